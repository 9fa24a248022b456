package feed

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync"
)

// Webhook receives events POSTed by a cosell webhook (PUT
// /_cosell/webhooks/{id}): it checks the X-Cosell-Signature HMAC and
// answers 2xx only once the event's work is committed, so the sender
// redelivers anything lost. The sender keeps the cursor.
type Webhook struct {
	Secret string

	mu      sync.Mutex
	ctx     context.Context
	deliver Deliver
}

// maxEventBytes bounds a request body; EventBridge events are at most 256 KB.
const maxEventBytes = 256 << 10

// Run implements Source: it accepts events until ctx ends.
func (w *Webhook) Run(ctx context.Context, _ string, deliver Deliver) error {
	w.mu.Lock()
	w.ctx, w.deliver = ctx, deliver
	w.mu.Unlock()
	<-ctx.Done()
	w.mu.Lock()
	w.deliver = nil
	w.mu.Unlock()
	return nil
}

// ServeHTTP implements http.Handler.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxEventBytes))
	if err != nil {
		http.Error(rw, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	mac := hmac.New(sha256.New, []byte(w.Secret))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Cosell-Signature"))) {
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	e, err := Parse(body)
	if err != nil {
		rw.WriteHeader(http.StatusOK) // acknowledged: a malformed event would only come again
		return
	}
	w.mu.Lock()
	ctx, deliver := w.ctx, w.deliver
	w.mu.Unlock()
	if deliver == nil {
		http.Error(rw, "not running", http.StatusServiceUnavailable)
		return
	}
	if err := deliver(ctx, e); err != nil {
		http.Error(rw, err.Error(), http.StatusServiceUnavailable)
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}
