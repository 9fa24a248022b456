package server

import (
	"net/http"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/sqsqueue"
)

// newSQS serves every account's events as an SQS queue on the API port,
// over the domains' store, woken by the same notifier as the other event
// followers.
func newSQS(d *deps, verifier *auth.Verifier, rec metrics.Recorder) *sqsqueue.Handler {
	return sqsqueue.New(sqsqueue.Config{Store: d.store, Verifier: verifier, Clock: d.cfg.Clock, Region: d.cfg.Region, Changed: d.notifier.Changed, Recorder: rec})
}

// routeSQS sends requests signed for SQS to the queues and everything else
// to next.
func routeSQS(queues http.Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sqsqueue.IsSQSRequest(r) {
			queues.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
