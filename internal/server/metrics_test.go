package server

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/events/hub"
)

// Every API request gets an access log line at info level (none at warn)
// and is counted on /metrics, beside the delivery lag, queue depths and
// store size; /metrics needs the admin token when one is set.
func TestAccessLogAndMetrics(t *testing.T) {
	var log syncBuffer
	s := startServer(t, Config{AdminToken: "tok", Logger: slog.New(slog.NewTextHandler(&log, nil)), Events: evFast})
	// A webhook nobody answers, so its lag shows.
	if code, out := evAdmin(t, s, http.MethodPut, "/_cosell/webhooks/down", `{"account":"111111111111","url":"http://127.0.0.1:1/","secret":"s"}`, nil); code != http.StatusOK {
		t.Fatalf("webhook: %d %s", code, out)
	}
	evCreate(t, s, "metered")
	if res, _ := post(t, s, signed{target: "AWSPartnerCentralSelling.ListOpportunities", signingName: "partnercentral-selling",
		body: `{"Catalog":"Sandbox"}`, key: "nobody", secret: "x"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("unknown key: %d", res.StatusCode)
	}

	for _, want := range []string{
		`msg=request service=partnercentral-selling op=CreateOpportunity account=111111111111 status=200 error_code="" latency=`,
		`msg=request service=partnercentral-selling op=ListOpportunities account="" status=403 error_code=UnrecognizedClientException`,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("no log line with %s in\n%s", want, log.String())
		}
	}

	if code, _ := send(t, s, http.MethodGet, "/metrics", "", nil); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d", code)
	}
	code, out := send(t, s, http.MethodGet, "/metrics", "", map[string]string{"Authorization": "Bearer tok"})
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, out)
	}
	for _, want := range []string{
		`cosell_requests_total{error_code="",operation="CreateOpportunity",service="partnercentral-selling",status="200"} 1`,
		`cosell_requests_total{error_code="UnrecognizedClientException",operation="ListOpportunities",service="partnercentral-selling",status="403"} 1`,
		`cosell_request_duration_seconds_count{operation="CreateOpportunity",service="partnercentral-selling"} 1`,
		`cosell_outbox_lag_events{destination="webhook:down"} 1`,
		`cosell_sqs_queue_messages{account="111111111111",state="visible"} 1`,
		`cosell_store_bytes `,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// --log-level warn silences the access log.
func TestAccessLogSilencedAtWarn(t *testing.T) {
	var log syncBuffer
	s := startServer(t, Config{Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn})), Events: hub.Options{}})
	evCreate(t, s, "quiet")
	if strings.Contains(log.String(), "msg=request") {
		t.Fatalf("access log at warn:\n%s", log.String())
	}
}
