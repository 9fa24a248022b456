package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/mail/mailtest"
)

// A code sent through the Account API shows in the admin API's mail log.
func TestAdminMailShowsSentCodes(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	res, body := post(t, s, signed{target: "PartnerCentralAccount.SendEmailVerificationCode", signingName: "partnercentral-account",
		body: `{"Catalog":"AWS","Email":"lead@example.com"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("SendEmailVerificationCode: %d %v", res.StatusCode, body)
	}
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/_cosell/mail", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	var mailLog struct {
		Codes []struct{ Email, Code, Account string }
	}
	if err := json.NewDecoder(got.Body).Decode(&mailLog); err != nil || got.StatusCode != http.StatusOK {
		t.Fatalf("GET /_cosell/mail: %d %v", got.StatusCode, err)
	}
	if len(mailLog.Codes) != 1 || mailLog.Codes[0].Email != "lead@example.com" || len(mailLog.Codes[0].Code) != 6 || mailLog.Codes[0].Account != "111111111111" {
		t.Fatalf("mail log %+v", mailLog)
	}
}

// With Config.Mail the server also emails the code.
func TestSentCodesAreEmailed(t *testing.T) {
	box := mailtest.Start(t)
	s := startServer(t, Config{Mail: &mail.SMTP{Addr: box.Addr, From: "no-reply@cosell.local"}})
	res, body := post(t, s, signed{target: "PartnerCentralAccount.SendEmailVerificationCode", signingName: "partnercentral-account",
		body: `{"Catalog":"AWS","Email":"lead@example.com"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("SendEmailVerificationCode: %d %v", res.StatusCode, body)
	}
	if msgs := box.Messages(); len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "lead@example.com" || msgs[0].From != "no-reply@cosell.local" {
		t.Fatalf("messages %+v", msgs)
	}
}
