package account

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/mail/mailtest"
)

func TestEmailCodesAreLoggedAndLimited(t *testing.T) {
	f := newFixture(t)
	send := func() error {
		_, err := f.svc.SendEmailVerificationCode(f.ctx, acctOne, &api.SendEmailVerificationCodeRequest{Catalog: CatalogAWS, Email: "Me@Corp.example"})
		return err
	}
	for i := range maxEmailCodesPerDay {
		if err := send(); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
		f.clock.Advance(time.Hour)
	}
	wantErr(t, send(), apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_EMAIL")

	// The window rolls: a day after the first code, one more may go.
	f.clock.Advance(20 * time.Hour)
	if err := send(); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	codes, err := f.svc.SentCodes(f.ctx)
	if err != nil || len(codes) != 1 || codes[0].Email != "me@corp.example" || len(codes[0].Code) != 6 || codes[0].Account != acctOne || codes[0].Used {
		t.Fatalf("mail log %+v %v", codes, err)
	}
}

func TestSandboxSendsNoEmail(t *testing.T) {
	f := newFixture(t)
	for range maxEmailCodesPerDay + 1 {
		if _, err := f.svc.SendEmailVerificationCode(f.ctx, acctOne, &api.SendEmailVerificationCodeRequest{Catalog: CatalogSandbox, Email: "a@b.example"}); err != nil {
			t.Fatal(err)
		}
	}
	if codes, _ := f.svc.SentCodes(f.ctx); len(codes) != 0 {
		t.Errorf("the Sandbox logged %+v", codes)
	}
}

// A code works once, only while valid, and only the newest counts.
func TestEmailCodeIsConsumed(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogAWS)
	put := func(email, code string) error {
		_, err := f.svc.PutAllianceLeadContact(f.ctx, acctOne, &api.PutAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Id,
			AllianceLeadContact: api.AllianceLeadContact{FirstName: "N", LastName: "L", Email: email, BusinessTitle: "T"}, EmailVerificationCode: &code})
		return err
	}
	old := f.sendCode(t, acctOne, "new@corp.example")
	newest := f.sendCode(t, acctOne, "new@corp.example")
	if old != newest {
		wantCode(t, put("new@corp.example", old), apierr.CodeInvalidValue)
	}
	if err := put("new@corp.example", newest); err != nil {
		t.Fatal(err)
	}
	wantCode(t, put("third@corp.example", newest), apierr.CodeInvalidValue) // sent to another address

	late := f.sendCode(t, acctOne, "late@corp.example")
	f.clock.Advance(emailCodeLifetime)
	wantCode(t, put("late@corp.example", late), apierr.CodeInvalidValue)
	codes, _ := f.svc.SentCodes(f.ctx)
	for _, c := range codes {
		if c.Email == "new@corp.example" && !c.Used {
			t.Error("the used code is not marked used")
		}
	}
}

// With a mail.Sender the AWS catalog emails the code it logs; the Sandbox
// still sends nothing.
func TestEmailCodeIsDeliveredOverSMTP(t *testing.T) {
	f := newFixture(t)
	srv := mailtest.Start(t)
	f.svc.mail = &mail.SMTP{Addr: srv.Addr, From: "no-reply@cosell.local"}

	if _, err := f.svc.SendEmailVerificationCode(f.ctx, acctOne, &api.SendEmailVerificationCodeRequest{Catalog: CatalogSandbox, Email: "lead@corp.example"}); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 0 {
		t.Fatalf("the Sandbox emailed %+v", msgs)
	}

	code := f.sendCode(t, acctOne, "Lead@Corp.example")
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "Lead@Corp.example" || !strings.Contains(m.Data, "\r\nTo: Lead@Corp.example\r\n") {
		t.Errorf("recipient %v in\n%s", m.To, m.Data)
	}
	if !strings.Contains(m.Data, "\r\nSubject: "+emailCodeSubject+"\r\n") {
		t.Errorf("no subject %q in\n%s", emailCodeSubject, m.Data)
	}
	if _, body, _ := strings.Cut(m.Data, "\r\n\r\n"); !strings.Contains(body, code) {
		t.Errorf("the body does not carry the code %s:\n%s", code, m.Data)
	}
}

// A delivery failure is only a warning: the request succeeds and the code
// can be read from the mail log.
func TestUndeliveredEmailCodeStaysInTheMailLog(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // connections to addr are refused
	var logs bytes.Buffer
	f.svc.mail = &mail.SMTP{Addr: addr, From: "no-reply@cosell.local"}
	f.svc.logger = slog.New(slog.NewTextHandler(&logs, nil))

	if code := f.sendCode(t, acctOne, "lead@corp.example"); len(code) != 6 {
		t.Fatalf("code %q", code)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "to=lead@corp.example") || !strings.Contains(l, addr) {
		t.Errorf("log:\n%s", l)
	}
}
