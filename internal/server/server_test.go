package server

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cosell/cosell/internal/clock"
)

// startServer runs a real server on a free port until the test ends, and
// checks it shuts down cleanly.
func startServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.DataDir == "" {
		cfg.DataDir = ":memory:"
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s
}

type signed struct {
	target, body   string
	signingName    string
	key, secret    string
	at             time.Time
	withoutAuthHdr bool
	host           string // the Host header, when not the server's address
	region         string // of the credential scope; "" is us-east-1
}

func post(t *testing.T, s *Server, c signed) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/", strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", c.target)
	if c.host != "" {
		req.Host = c.host
	}
	if !c.withoutAuthHdr {
		if c.key == "" {
			c.key, c.secret = "test", "test"
		}
		if c.at.IsZero() {
			c.at = time.Now()
		}
		sum := sha256.Sum256([]byte(c.body))
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.key, SecretAccessKey: c.secret},
			req, hex.EncodeToString(sum[:]), c.signingName, cmp.Or(c.region, "us-east-1"), c.at)
		if err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("body %q: %v", raw, err)
		}
	}
	if res.Header.Get("X-Amzn-RequestId") == "" && c.host == "" { // a refused Host never reaches the AWS endpoint
		t.Fatal("no x-amzn-RequestId")
	}
	return res, body
}

func TestServeBothServices(t *testing.T) {
	s := startServer(t, Config{})
	t.Run("selling op with a handler", func(t *testing.T) {
		res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", body: `{"Catalog":"Sandbox"}`, signingName: "partnercentral-selling"})
		if res.StatusCode != http.StatusOK || body["OpportunitySummaries"] == nil {
			t.Fatalf("status %d body %v", res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
			t.Fatalf("Content-Type %q", ct)
		}
	})
	t.Run("account op", func(t *testing.T) {
		res, body := post(t, s, signed{target: "PartnerCentralAccount.GetAllianceLeadContact", body: `{"Catalog":"Sandbox","Identifier":"partner-1234567890abc"}`, signingName: "partnercentral-account"})
		if res.StatusCode != http.StatusNotFound || body["__type"] != "com.amazonaws.partnercentralaccount#ResourceNotFoundException" || body["Reason"] != "PARTNER_NOT_FOUND" {
			t.Fatalf("status %d body %v", res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/x-amz-json-1.0" {
			t.Fatalf("Content-Type %q", ct)
		}
	})
}

// The real models and the model validator are wired in: a request that
// breaks the model is rejected in each service's own error style even
// though no handler exists.
func TestServeValidatesWithTheModels(t *testing.T) {
	s := startServer(t, Config{})
	res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", body: `{}`, signingName: "partnercentral-selling"})
	if res.StatusCode != 400 || body["__type"] != "com.amazon.partnerintegrationapi.common#ValidationException" || body["ErrorList"] == nil {
		t.Fatalf("selling: %d %v", res.StatusCode, body)
	}
	res, body = post(t, s, signed{target: "PartnerCentralAccount.GetPartner", body: `{"Catalog":"Sandbox","Identifier":"nope"}`, signingName: "partnercentral-account"})
	if res.StatusCode != 400 || body["__type"] != "com.amazonaws.partnercentralaccount#ValidationException" || body["ErrorDetails"] == nil || body["Reason"] != "REQUEST_VALIDATION_FAILED" {
		t.Fatalf("account: %d %v", res.StatusCode, body)
	}
}

func TestServeAuthFailures(t *testing.T) {
	// The domain clock is moved a day ahead; signatures are still judged
	// against real time.
	ahead := clock.NewManual()
	ahead.Advance(24 * time.Hour)
	s := startServer(t, Config{Clock: ahead})
	selling := "AWSPartnerCentralSelling.ListOpportunities"
	res, _ := post(t, s, signed{target: selling, body: `{"Catalog":"Sandbox"}`, signingName: "partnercentral-selling"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("a request signed now was refused: %d", res.StatusCode)
	}
	cases := []struct {
		name   string
		c      signed
		status int
		typ    string
	}{
		{"unsigned", signed{target: selling, body: "{}", withoutAuthHdr: true}, 403, "MissingAuthenticationTokenException"},
		{"unknown key", signed{target: selling, body: "{}", signingName: "partnercentral-selling", key: "AKIDNOBODY", secret: "x"}, 403, "UnrecognizedClientException"},
		{"wrong secret", signed{target: selling, body: "{}", signingName: "partnercentral-selling", key: "test", secret: "bad"}, 403, "InvalidSignatureException"},
		{"wrong service", signed{target: selling, body: "{}", signingName: "partnercentral-account"}, 403, "InvalidSignatureException"},
		{"signed an hour ago", signed{target: selling, body: "{}", signingName: "partnercentral-selling", at: time.Now().Add(-time.Hour)}, 403, "InvalidSignatureException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := post(t, s, tc.c)
			if res.StatusCode != tc.status || body["__type"] != "com.amazon.coral.service#"+tc.typ {
				t.Fatalf("status %d body %v", res.StatusCode, body)
			}
		})
	}
}

func TestServeAccountsFile(t *testing.T) {
	path := t.TempDir() + "/accounts.json"
	content := `{"accounts":[{"accountId":"333333333333","accessKeyId":"AKIDTHREE","secretAccessKey":"s3","companyName":"Three"}]}`
	if err := writeFile(path, content); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, Config{AccountsFile: path})
	if a := s.Accounts(); len(a) != 1 || a[0].AccountID != "333333333333" {
		t.Fatalf("accounts %+v", a)
	}
	res, _ := post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", body: `{"Catalog":"AWS"}`, signingName: "partnercentral-selling", key: "AKIDTHREE", secret: "s3"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	res, _ = post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", body: `{"Catalog":"AWS"}`, signingName: "partnercentral-selling"})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("default account still accepted: %d", res.StatusCode)
	}
	if _, err := New(Config{Addr: "127.0.0.1:0", DataDir: ":memory:", AccountsFile: t.TempDir() + "/missing.json"}); err == nil {
		t.Fatal("missing accounts file accepted")
	}
}

func TestHealth(t *testing.T) {
	s := startServer(t, Config{})
	res, err := http.Get(s.URL() + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(b) != `{"status":"ok"}` {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
}

func TestListenError(t *testing.T) {
	s := startServer(t, Config{})
	addr := strings.TrimPrefix(s.URL(), "http://")
	if _, err := New(Config{Addr: addr, DataDir: ":memory:"}); err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("second listener on %s: %v", addr, err)
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
