package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/auth"
)

// send makes one request with the given headers (a "Host" entry sets the
// Host the server sees) and returns the status and body.
func send(t *testing.T, s *Server, method, path, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

// With an admin token set, LocalStack's routes that change the server need
// it too; the health check stays open, and an explicit opt-in opens them.
func TestLocalStackRoutesNeedTheAdminToken(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	for _, r := range []struct{ method, path string }{{http.MethodPost, "/_localstack/state/reset"}, {http.MethodGet, "/_localstack/chaos/faults"}, {http.MethodPost, "/_localstack/chaos/faults"}} {
		if code, out := send(t, s, r.method, r.path, "[]", nil); code != http.StatusUnauthorized {
			t.Errorf("%s %s without the token: %d %s", r.method, r.path, code, out)
		}
	}
	if code, _ := send(t, s, http.MethodGet, "/_localstack/health", "", nil); code != http.StatusOK {
		t.Errorf("health without the token: %d", code)
	}
	if code, out := send(t, s, http.MethodGet, "/_localstack/chaos/faults", "", map[string]string{"Authorization": "Bearer tok"}); code != http.StatusOK {
		t.Errorf("with the token: %d %s", code, out)
	}
	open := startServer(t, Config{AdminToken: "tok", Exposure: Exposure{LocalStackOpen: true}})
	if code, out := send(t, open, http.MethodGet, "/_localstack/chaos/faults", "", nil); code != http.StatusOK {
		t.Errorf("opted in, without the token: %d %s", code, out)
	}
}

// A web page on another origin cannot use the unsigned routes, not even
// with a CORS "simple" request; a DNS-rebound name is refused everywhere.
func TestForeignOriginsAndHostsAreRefused(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	opp := createOpportunity(t, s, "kept")
	port := s.URL()[strings.LastIndex(s.URL(), ":"):]
	evil := map[string]string{"Origin": "http://evil.example.com", "Content-Type": "text/plain"}
	for _, path := range []string{"/_localstack/state/reset", "/_cosell/reset"} {
		for _, withToken := range []bool{false, true} {
			h := map[string]string{"Origin": evil["Origin"], "Content-Type": "text/plain"}
			if withToken {
				h["Authorization"] = "Bearer tok"
			}
			if code, out := send(t, s, http.MethodPost, path, "", h); code != http.StatusForbidden || !strings.Contains(out, "cross-origin") {
				t.Errorf("POST %s from another origin (token %v): %d %s", path, withToken, code, out)
			}
		}
	}
	for _, origin := range []string{"null", "http://127.0.0.1" + port + ".evil.example.com"} {
		if code, _ := send(t, s, http.MethodGet, "/health", "", map[string]string{"Origin": origin}); code != http.StatusForbidden {
			t.Errorf("Origin %s: %d", origin, code)
		}
	}
	if opportunityStatus(t, s, opp) != http.StatusOK {
		t.Fatal("a refused reset emptied the server")
	}
	// The server's own origin, by name or address, is fine.
	for _, origin := range []string{s.URL(), "http://localhost" + port} {
		host := strings.TrimPrefix(origin, "http://")
		if code, out := send(t, s, http.MethodGet, "/_cosell/clock", "", map[string]string{"Origin": origin, "Host": host, "Authorization": "Bearer tok"}); code != http.StatusOK {
			t.Errorf("same origin %s: %d %s", origin, code, out)
		}
	}

	// DNS rebinding: a name that is not loopback nor allowed is refused,
	// even for a correctly signed AWS request.
	res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", signingName: "partnercentral-selling",
		body: `{"Catalog":"Sandbox"}`, host: "evil.example.com" + port})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body["error"].(string), "--allowed-hosts") {
		t.Errorf("a request for Host evil.example.com: %d %v", res.StatusCode, body)
	}
	allowed := startServer(t, Config{Exposure: Exposure{AllowedHosts: []string{"cosell.corp.example", ".team.example"}}})
	for _, host := range []string{"cosell.corp.example", "ace.team.example", "localhost", "bucket.localhost", "[::1]"} {
		if code, out := send(t, allowed, http.MethodGet, "/health", "", map[string]string{"Host": host + ":1"}); code != http.StatusOK {
			t.Errorf("Host %s: %d %s", host, code, out)
		}
	}
	if code, _ := send(t, allowed, http.MethodGet, "/health", "", map[string]string{"Host": "corp.example"}); code != http.StatusForbidden {
		t.Errorf("a host not listed: %d", code)
	}
}

// With the admin API off, its routes say so and how to turn it on.
func TestAdminOffSaysHowToTurnItOn(t *testing.T) {
	s := startServer(t, Config{})
	for _, path := range []string{"/_cosell/clock", "/_cosell/aws/opportunities/O1/review", "/_cosell/events"} {
		code, out := send(t, s, http.MethodGet, path, "", nil)
		var body map[string]string
		if code != http.StatusNotFound || json.Unmarshal([]byte(out), &body) != nil || body["error"] != admin.OffMessage {
			t.Errorf("%s with the admin API off: %d %s", path, code, out)
		}
	}
}

// Listening beyond the machine with the public default keys is refused
// unless asked for (checked before listening: tests bind loopback only).
func TestNonLoopbackListenNeedsOwnKeysOrOptIn(t *testing.T) {
	_, err := New(Config{Addr: "0.0.0.0:0", DataDir: ":memory:"})
	if err == nil || !strings.Contains(err.Error(), "--insecure-public") {
		t.Fatalf("0.0.0.0 with default keys: %v", err)
	}
	for addr, public := range map[string]bool{"0.0.0.0:1": true, ":1": true, "10.1.2.3:1": true, "cosell.example:1": true,
		"127.0.0.1:1": false, "[::1]:1": false, "localhost:1": false} {
		if got := !isLoopback(addr); got != public {
			t.Errorf("%s beyond the machine: %v, want %v", addr, got, public)
		}
	}
	s := &Server{cfg: Config{Addr: "0.0.0.0:1", Exposure: Exposure{InsecurePublic: true}}, accounts: auth.DefaultAccounts()}
	if public, err := s.checkExposure(); !public || err != nil {
		t.Errorf("with --insecure-public: public %v, %v", public, err)
	}
}

// Text that is not valid Unicode is refused, not stored as U+FFFD.
func TestInvalidUTF8IsRefused(t *testing.T) {
	s := startServer(t, Config{})
	for _, title := range []string{"a\xff\xfeb", `a\ud800b`} {
		res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.CreateOpportunity", signingName: "partnercentral-selling",
			body: `{"Catalog":"Sandbox","ClientToken":"u","Project":{"Title":"` + title + `"}}`})
		if res.StatusCode != http.StatusBadRequest || !strings.HasSuffix(body["__type"].(string), "#SerializationException") {
			t.Errorf("title %q: %d %v", title, res.StatusCode, body)
		}
	}
}

// --strict-region refuses a signature scoped to another region with AWS's
// error; without it any region is accepted.
func TestStrictRegion(t *testing.T) {
	list := signed{target: "AWSPartnerCentralSelling.ListOpportunities", signingName: "partnercentral-selling", body: `{"Catalog":"Sandbox"}`, region: "eu-west-3"}
	strict := startServer(t, Config{Exposure: Exposure{StrictRegion: true}})
	res, body := post(t, strict, list)
	if res.StatusCode != http.StatusForbidden || !strings.HasSuffix(body["__type"].(string), "#InvalidSignatureException") ||
		body["message"] != "Credential should be scoped to a valid region, not 'eu-west-3'. " {
		t.Errorf("strict, eu-west-3: %d %v", res.StatusCode, body)
	}
	if res, body := post(t, strict, signed{target: list.target, signingName: list.signingName, body: list.body}); res.StatusCode != http.StatusOK {
		t.Errorf("strict, us-east-1: %d %v", res.StatusCode, body)
	}
	if res, body := post(t, startServer(t, Config{}), list); res.StatusCode != http.StatusOK {
		t.Errorf("not strict, eu-west-3: %d %v", res.StatusCode, body)
	}
}
