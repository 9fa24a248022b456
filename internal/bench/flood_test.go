package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestFloodCountsAndProbes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	cfg := FloodConfig{Endpoint: srv.URL, Idle: 5, Slow: 1, Hold: 200 * time.Millisecond, Probes: 2}
	rep, err := Flood(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Opened != 6 || rep.Served != 5 || rep.ProbeOK != 2 || len(rep.ProbeLatencies) != 2 {
		t.Fatalf("report %+v", rep)
	}
	if _, err := Flood(context.Background(), FloodConfig{Endpoint: "http://192.0.2.1:80", Idle: 1}); err == nil {
		t.Fatal("a flood of a non-loopback endpoint started")
	}
}
