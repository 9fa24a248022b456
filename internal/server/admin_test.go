package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// adminCall sends one admin API request with the given token.
func adminCall(t *testing.T, s *Server, method, body, token string) (int, map[string]string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+"/_cosell/clock", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]string
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// Moving the clock through the admin API moves the times the domain
// records, while requests signed with real time stay valid.
func TestAdminClockDrivesDomainTime(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	code, moved := adminCall(t, s, http.MethodPost, `{"advance":"360h"}`, "tok")
	if code != http.StatusOK {
		t.Fatalf("advance: %d %v", code, moved)
	}
	serverNow, err := time.Parse(time.RFC3339Nano, moved["now"])
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(serverNow); d < 359*time.Hour || d > 361*time.Hour {
		t.Fatalf("server clock %v is not 360h ahead", serverNow)
	}

	res, created := post(t, s, signed{target: "AWSPartnerCentralSelling.CreateEngagement", signingName: "partnercentral-selling",
		body: `{"Catalog":"Sandbox","ClientToken":"c1","Title":"Later","Description":"Created in the future"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("CreateEngagement signed with real time: %d %v", res.StatusCode, created)
	}
	res, got := post(t, s, signed{target: "AWSPartnerCentralSelling.GetEngagement", signingName: "partnercentral-selling",
		body: `{"Catalog":"Sandbox","Identifier":"` + created["Id"].(string) + `"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GetEngagement: %d %v", res.StatusCode, got)
	}
	createdAt, err := time.Parse(time.RFC3339Nano, got["CreatedAt"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if d := createdAt.Sub(serverNow); d < -time.Millisecond || d > time.Minute {
		t.Errorf("CreatedAt %v does not follow the server clock %v", createdAt, serverNow)
	}
}

func TestAdminAPIOffWithoutToken(t *testing.T) {
	s := startServer(t, Config{})
	if code, body := adminCall(t, s, http.MethodGet, "", ""); code == http.StatusOK || body["now"] != "" {
		t.Fatalf("admin API answered without a configured token: %d %v", code, body)
	}
	on := startServer(t, Config{AdminToken: "tok"})
	if code, _ := adminCall(t, on, http.MethodGet, "", "other"); code != http.StatusForbidden {
		t.Fatalf("wrong token: %d", code)
	}
}
