package syncbench

import (
	"maps"
	"net/http"
	"strings"
	"sync"
)

// countingTransport counts the requests that pass through it by Selling API
// operation (the X-Amz-Target after the service name), retries included:
// what the connector costs the service.
type countingTransport struct {
	base http.RoundTripper

	mu     sync.Mutex
	counts map[string]int
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndexByte(op, '.')+1:]
	t.mu.Lock()
	t.counts[op]++
	t.mu.Unlock()
	return t.base.RoundTrip(r)
}

// take returns the counts since the last take and starts again from zero.
func (t *countingTransport) take() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := maps.Clone(t.counts)
	clear(t.counts)
	return out
}
