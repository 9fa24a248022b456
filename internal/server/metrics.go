package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/console"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/sts"
)

// maxReportedLag is where counting a destination's lag stops: beyond it the
// gauge reads maxReportedLag, which is alarm enough.
const maxReportedLag = 1000

// MetricsPath is where Prometheus scrapes the server.
const MetricsPath = "/metrics"

// mountMetrics serves /metrics: state read at each scrape (delivery lag per
// event destination, each account's SQS queue, the store's size) beside
// the request counts the protocol layers record. It needs the admin token
// when one is set, as Prometheus can send (authorization: credentials);
// without one it is open like the rest of a local server.
func (s *Server) mountMetrics(mux *http.ServeMux, obs *metrics.Observer, sizer store.Sizer) {
	src := metrics.Sources{
		OutboxLag: func(ctx context.Context) (map[string]int, error) { return s.events.Lags(ctx, maxReportedLag) },
		QueueDepths: func(ctx context.Context) (map[string]metrics.QueueDepth, error) {
			depths := map[string]metrics.QueueDepth{}
			for _, a := range s.accounts.List() {
				visible, inFlight, err := s.sqs.Depth(ctx, a.AccountID)
				if err != nil {
					return nil, err
				}
				depths[a.AccountID] = metrics.QueueDepth{Visible: visible, InFlight: inFlight}
			}
			return depths, nil
		},
	}
	if sizer != nil {
		src.StoreBytes = sizer.SizeBytes
	}
	obs.Watch(src)
	var h http.Handler = obs.Handler()
	if s.cfg.AdminToken != "" {
		h = admin.RequireToken(s.cfg.AdminToken, h)
	}
	mux.Handle("GET "+MetricsPath, h)
}

// describeRequest names, for the access log and request metrics, a request
// no protocol layer recorded: an S3 file exchange request by its method,
// the rest by the route of the server's mux that took it (its own routes
// such as the admin API's are one route per prefix there).
func (s *Server) describeRequest(mux *http.ServeMux) func(*http.Request) (service, operation string) {
	return func(r *http.Request) (string, string) {
		if s.ace.buckets.IsS3Request(r) {
			return "s3", r.Method
		}
		service := "cosell"
		switch p := r.URL.Path; {
		case sts.IsSTSRequest(r):
			service = sts.SigningName
		case strings.HasPrefix(p, admin.Prefix):
			service = "cosell-admin"
		case strings.HasPrefix(p, strings.TrimSuffix(console.Prefix, "/")):
			service = "cosell-console"
		case strings.HasPrefix(p, "/_localstack/"):
			service = "localstack"
		}
		_, route := mux.Handler(r)
		switch {
		case route == "":
			route = r.Method + " (no route)"
		case !strings.Contains(route, " "):
			route = r.Method + " " + route
		}
		return service, route
	}
}
