package server

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestEveryRequestIsRecordedOnce: the requests no protocol layer records
// (admin API, LocalStack, console, S3 file exchange, unrouted) get their
// access log line and count from the server's wrapper; the ones a protocol
// layer records are not counted twice.
func TestEveryRequestIsRecordedOnce(t *testing.T) {
	var log syncBuffer
	s := startServer(t, Config{AdminToken: "tok", Logger: slog.New(slog.NewTextHandler(&log, nil)), Events: evFast})
	auth := map[string]string{"Authorization": "Bearer tok"}
	evCreate(t, s, "counted once")
	for _, c := range []struct {
		method, path string
		header       map[string]string
		want         int
	}{
		{http.MethodGet, "/_cosell/clock", auth, http.StatusOK},
		{http.MethodGet, "/_cosell/clock", nil, http.StatusUnauthorized},
		{http.MethodGet, "/_localstack/health", nil, http.StatusOK},
		{http.MethodGet, "/console/login", nil, http.StatusOK},
		{http.MethodGet, "/ace-apn-1111111-beta-us-west-2/", nil, http.StatusForbidden},
		// Refused by the Origin check before any route runs.
		{http.MethodPost, "/_cosell/clock", map[string]string{"Authorization": "Bearer tok", "Origin": "http://elsewhere.example"}, http.StatusForbidden},
	} {
		if code, out := send(t, s, c.method, c.path, "", c.header); code != c.want {
			t.Fatalf("%s %s: %d %s, want %d", c.method, c.path, code, out, c.want)
		}
	}
	for _, want := range []string{
		`msg=request service=cosell-admin op="GET /_cosell/" account="" status=200 `,
		`msg=request service=cosell-admin op="GET /_cosell/" account="" status=401 `,
		`msg=request service=localstack op="GET /_localstack/health" account="" status=200 `,
		`msg=request service=cosell-console op="GET /console/" account="" status=200 `,
		`msg=request service=s3 op=GET account="" status=403 `,
		`msg=request service=cosell-admin op="POST /_cosell/" account="" status=403 `,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("no log line with %s in\n%s", want, log.String())
		}
	}
	if n := strings.Count(log.String(), "op=CreateOpportunity"); n != 1 {
		t.Errorf("CreateOpportunity logged %d times, want once:\n%s", n, log.String())
	}
	code, out := send(t, s, http.MethodGet, "/metrics", "", auth)
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`cosell_requests_total{error_code="",operation="GET /_cosell/",service="cosell-admin",status="401"} 1`,
		`cosell_requests_total{error_code="",operation="GET",service="s3",status="403"} 1`,
		`cosell_requests_total{error_code="",operation="CreateOpportunity",service="partnercentral-selling",status="200"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
