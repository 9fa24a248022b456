package surface

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestGuard(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := Guard{AllowedHosts: []string{"Cosell.Corp.Example", ".team.example"}}.Wrap(ok)
	for _, c := range []struct {
		host, origin, auth string
		want               int
	}{
		{"127.0.0.1:4577", "", "", http.StatusNoContent},
		{"[::1]:4577", "", "", http.StatusNoContent},
		{"localhost:4577", "http://localhost:4577", "", http.StatusNoContent},
		{"bucket.localhost:4577", "", "", http.StatusNoContent},
		{"10.0.0.5:4577", "https://10.0.0.5:4577", "", http.StatusNoContent}, // behind a TLS proxy
		{"cosell.corp.example", "", "", http.StatusNoContent},
		{"a.team.example:80", "", "", http.StatusNoContent},
		{"team.example", "", "", http.StatusNoContent},
		{"evil.example.com:4577", "", "", http.StatusForbidden},
		{"localhost.evil.example:4577", "", "", http.StatusForbidden},
		{"corp.example", "", "", http.StatusForbidden},
		{"127.0.0.1:4577", "http://evil.example.com", "", http.StatusForbidden},
		{"127.0.0.1:4577", "http://127.0.0.1:4578", "", http.StatusForbidden},
		{"127.0.0.1:4577", "null", "", http.StatusForbidden},
		{"127.0.0.1:4577", "http://evil.example.com", "Bearer tok", http.StatusForbidden},
		// Header-signed requests need a preflight cosell never grants: not a page's.
		{"127.0.0.1:4577", "http://evil.example.com", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00", http.StatusNoContent},
	} {
		r := httptest.NewRequest(http.MethodPost, "/_cosell/reset", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("Host %s Origin %q: %d, want %d", c.host, c.origin, w.Code, c.want)
		}
	}
}

// The listener never has more than max connections open; a closed one
// lets the next in, and the full and relieved callbacks run once each.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	full, relieved := make(chan struct{}, 4), make(chan struct{}, 4)
	l := LimitListener(inner, 2, func() { full <- struct{}{} }, func() { relieved <- struct{}{} })
	defer l.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	<-full
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	first.Close() // a second Close frees nothing more
	third := <-accepted
	second.Close()
	third.Close()
	<-relieved // under nine tenths of 2: none open
}
