package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var signedAt = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const sellingName = "partnercentral-selling"

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func testVerifier() *Verifier {
	return &Verifier{Accounts: DefaultAccounts(), Clock: fixedClock(signedAt.Add(2 * time.Minute))}
}

// signOpts describes how a test client signs.
type signOpts struct {
	key, secret, token string
	service, region    string
	at                 time.Time
	bodyHashHeader     bool // JS SDK style: send and sign x-amz-content-sha256
	path               string
}

func (o signOpts) withDefaults() signOpts {
	if o.key == "" {
		o.key, o.secret = "test", "test"
	}
	if o.service == "" {
		o.service = sellingName
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.at.IsZero() {
		o.at = signedAt
	}
	if o.path == "" {
		o.path = "/"
	}
	return o
}

// signedRequest signs a client request with the real aws-sdk-go-v2 signer,
// then rebuilds it the way Go's server would hand it to a handler.
func signedRequest(t testing.TB, body string, o signOpts) *http.Request {
	t.Helper()
	o = o.withDefaults()
	client, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:4577"+o.path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	client.Header.Set("Content-Type", "application/x-amz-json-1.0")
	client.Header.Set("X-Amz-Target", "AWSPartnerCentralSelling.ListOpportunities")
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])
	if o.bodyHashHeader {
		client.Header.Set("X-Amz-Content-Sha256", hash)
	}
	creds := aws.Credentials{AccessKeyID: o.key, SecretAccessKey: o.secret, SessionToken: o.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, client, hash, o.service, o.region, o.at); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewRequest(http.MethodPost, client.URL.String(), strings.NewReader(body))
	server.Header = client.Header.Clone()
	return server
}

func wantAuthError(t *testing.T, err error, code string, status int, msgPart string) {
	t.Helper()
	var ae *Error
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want *auth.Error %s", err, code)
	}
	if ae.Code != code || ae.Status != status || !strings.Contains(ae.Message, msgPart) {
		t.Fatalf("got %s %d %q, want %s %d containing %q", ae.Code, ae.Status, ae.Message, code, status, msgPart)
	}
}

func TestVerifyAcceptsRealSignatures(t *testing.T) {
	body := `{"Catalog":"Sandbox"}`
	cases := map[string]signOpts{
		"cli style, no body hash header": {},
		"js style, signed body hash":     {bodyHashHeader: true},
		"session token signed":           {bodyHashHeader: true, token: "FQoGZXIvYXdzEXAMPLE"},
		"second account":                 {key: "test2", secret: "test2"},
		"other region":                   {region: "eu-west-1"},
		"path routing":                   {path: "/ListOpportunities"},
		"14 minutes old":                 {at: signedAt.Add(-12 * time.Minute)},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			r := signedRequest(t, body, o)
			c, err := testVerifier().Verify(r, []byte(body), sellingName)
			if err != nil {
				t.Fatal(err)
			}
			o = o.withDefaults()
			wantAccount := map[string]string{"test": "111111111111", "test2": "222222222222"}[o.key]
			if c.AccountID != wantAccount || c.AccessKeyID != o.key || c.Region != o.region || c.SigningName != sellingName || c.CompanyName == "" {
				t.Fatalf("caller %+v", c)
			}
		})
	}
}

func TestVerifyIgnoresUnsignedHeaders(t *testing.T) {
	body := `{}`
	r := signedRequest(t, body, signOpts{})
	r.Header.Set("User-Agent", "added-after-signing")
	r.Header.Set("X-Amzn-User-Agent", "Partner|PostmanCollection|CRM|v1")
	if _, err := testVerifier().Verify(r, []byte(body), sellingName); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyRejects(t *testing.T) {
	body := `{"Catalog":"Sandbox"}`
	forbidden, bad := http.StatusForbidden, http.StatusBadRequest
	cases := []struct {
		name   string
		opts   signOpts
		mutate func(r *http.Request) []byte // returns the body the server sees
		code   string
		status int
		msg    string
	}{
		{"no authorization", signOpts{}, func(r *http.Request) []byte { r.Header.Del("Authorization"); return nil },
			CodeMissingToken, forbidden, "Missing Authentication Token"},
		{"tampered body", signOpts{}, func(*http.Request) []byte { return []byte(`{"Catalog":"AWS"}`) },
			CodeInvalidSignature, forbidden, "does not match the signature you provided"},
		{"tampered body with js body hash", signOpts{bodyHashHeader: true}, func(*http.Request) []byte { return []byte(`{"Catalog":"AWS"}`) },
			CodeInvalidSignature, forbidden, "x-amz-content-sha256"},
		{"tampered signed header", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("X-Amz-Target", "AWSPartnerCentralSelling.CreateOpportunity")
			return nil
		}, CodeInvalidSignature, forbidden, "Check your AWS Secret Access Key"},
		{"unknown access key", signOpts{key: "AKIDUNKNOWN", secret: "x"}, nil,
			CodeUnrecognizedClient, forbidden, "The security token included in the request is invalid."},
		{"wrong secret", signOpts{key: "test", secret: "not-the-secret"}, nil,
			CodeInvalidSignature, forbidden, "The request signature we calculated does not match"},
		{"wrong service", signOpts{service: "partnercentral-account"}, nil,
			CodeInvalidSignature, forbidden, "Credential should be scoped to correct service: 'partnercentral-selling'."},
		{"expired", signOpts{at: signedAt.Add(-20 * time.Minute)}, nil,
			CodeInvalidSignature, forbidden, "Signature expired: 20260101T114000Z is now earlier than 20260101T114700Z (20260101T120200Z - 15 min.)"},
		{"from the future", signOpts{at: signedAt.Add(30 * time.Minute)}, nil,
			CodeInvalidSignature, forbidden, "Signature not yet current: 20260101T123000Z is still later than 20260101T121700Z (20260101T120200Z + 15 min.)"},
		{"date outside scope", signOpts{}, func(r *http.Request) []byte { r.Header.Set("X-Amz-Date", "20260102T120000Z"); return nil },
			CodeInvalidSignature, forbidden, "Date in Credential scope does not match"},
		{"bad date format", signOpts{}, func(r *http.Request) []byte { r.Header.Set("X-Amz-Date", "2026-01-01"); return nil },
			CodeIncompleteSignature, bad, "ISO-8601"},
		{"no date", signOpts{}, func(r *http.Request) []byte { r.Header.Del("X-Amz-Date"); return nil },
			CodeIncompleteSignature, bad, "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{"not sigv4", signOpts{}, func(r *http.Request) []byte { r.Header.Set("Authorization", "Bearer abc"); return nil },
			CodeIncompleteSignature, bad, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc"},
		{"sigv4a", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), algorithm, "AWS4-ECDSA-P256-SHA256", 1))
			return nil
		}, CodeIncompleteSignature, bad, "Unsupported AWS 'algorithm'"},
		{"missing signature", signOpts{}, func(r *http.Request) []byte {
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
			return nil
		}, CodeIncompleteSignature, bad, "Authorization header requires 'Signature' parameter."},
		{"no equal sign", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential=test", "Credential test", 1))
			return nil
		}, CodeIncompleteSignature, bad, "not a valid key=value pair (missing equal-sign)"},
		{"short credential", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/", 1))
			return nil
		}, CodeIncompleteSignature, bad, "Credential must have exactly 5 slash-delimited elements"},
		{"bad terminator", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "aws4_request", "aws4_reqest", 1))
			return nil
		}, CodeInvalidSignature, forbidden, "valid terminator"},
		{"host not signed", signOpts{}, func(r *http.Request) []byte {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
			return nil
		}, CodeIncompleteSignature, bad, "'Host' or ':authority' must be a 'SignedHeader'"},
		{"signed header missing", signOpts{}, func(r *http.Request) []byte { r.Header.Del("X-Amz-Target"); return nil },
			CodeInvalidSignature, forbidden, "does not match"},
		{"different host", signOpts{}, func(r *http.Request) []byte { r.Host = "127.0.0.1:9999"; return nil },
			CodeInvalidSignature, forbidden, "does not match"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := signedRequest(t, body, tc.opts)
			seen := []byte(body)
			if tc.mutate != nil {
				if b := tc.mutate(r); b != nil {
					seen = b
				}
			}
			_, err := testVerifier().Verify(r, seen, sellingName)
			wantAuthError(t, err, tc.code, tc.status, tc.msg)
		})
	}
}

func TestVerifyRegionAllowList(t *testing.T) {
	v := testVerifier()
	v.Regions = []string{"us-east-1"}
	r := signedRequest(t, "{}", signOpts{region: "eu-west-1"})
	_, err := v.Verify(r, []byte("{}"), sellingName)
	wantAuthError(t, err, CodeInvalidSignature, http.StatusForbidden, "Credential should be scoped to a valid region, not 'eu-west-1'.")
	if _, err := v.Verify(signedRequest(t, "{}", signOpts{}), []byte("{}"), sellingName); err != nil {
		t.Fatal(err)
	}
}

// The HTTP Date header stands in for X-Amz-Date when a client sends only
// Date; the string to sign then uses the ISO-8601 form of that time.
func TestVerifyHTTPDate(t *testing.T) {
	r := signedRequest(t, "{}", signOpts{})
	r.Header.Del("X-Amz-Date")
	r.Header.Set("Date", signedAt.Format(http.TimeFormat))
	_, err := testVerifier().Verify(r, []byte("{}"), sellingName)
	// The client signed x-amz-date, which is now gone: the canonical request
	// differs, so only the signature check may fail, not date parsing.
	wantAuthError(t, err, CodeInvalidSignature, http.StatusForbidden, "does not match")
}

func TestCanonicalQueryMatchesSigner(t *testing.T) {
	// The Go signer encodes query values strictly; the verifier must
	// rebuild the same canonical query from the raw one.
	body := "{}"
	o := signOpts{path: "/?b=2&a=x%20y&a=%2Bplus&empty="}
	r := signedRequest(t, body, o)
	if _, err := testVerifier().Verify(r, []byte(body), sellingName); err != nil {
		t.Fatal(err)
	}
}

func TestSigningName(t *testing.T) {
	r := signedRequest(t, "{}", signOpts{service: "partnercentral-account"})
	if got := SigningName(r.Header.Get("Authorization")); got != "partnercentral-account" {
		t.Fatalf("got %q", got)
	}
	if got := SigningName("garbage"); got != "" {
		t.Fatalf("got %q", got)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(signedRequest(f, "{}", signOpts{}).Header.Get("Authorization"))
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=;, Signature=")
	f.Add("AWS4-HMAC-SHA256 ,,,=,")
	f.Add("AWS4-X")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header, true)
		if err == nil && (a.AccessKeyID == "" || len(a.SignedHeaders) == 0 || a.Signature == "") {
			t.Fatalf("accepted incomplete header %q: %+v", header, a)
		}
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", bytes.NewReader(nil))
		r.Header.Set("Authorization", header)
		r.Header.Set("X-Amz-Date", signedAt.Format(amzDateFormat))
		if _, err := testVerifier().Verify(r, nil, sellingName); err == nil {
			t.Fatalf("fuzzed header %q verified", header)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"Catalog":"Sandbox","MaxResults":50}`)
	r := signedRequest(b, string(body), signOpts{bodyHashHeader: true})
	v := testVerifier()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body, sellingName); err != nil {
			b.Fatal(err)
		}
	}
}
