package syncer

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
)

const (
	adminToken = "t"
	account    = "111111111111"
	catalog    = "Sandbox"
)

// cosell is a real server running in-process on a data directory, so it
// can be stopped and started again on the same data.
type cosell struct {
	t    *testing.T
	dir  string
	url  string
	stop func()
}

func startCosell(t *testing.T, dir string) *cosell {
	t.Helper()
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: adminToken, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	c := &cosell{t: t, dir: dir, url: s.URL()}
	stopped := false
	c.stop = func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
		}
	}
	t.Cleanup(c.stop)
	return c
}

// client is a Selling API client of the test account, without rate
// limiting and with near-zero backoff.
func (c *cosell) client() *sellingclient.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	return sellingclient.New(cfg, func(o *sellingclient.Options) {
		o.BaseEndpoint = c.url
		o.RateLimit.Disabled = true
		o.Retry.BaseDelay = time.Millisecond
	})
}

// admin sends an admin API request and fails the test unless it answers 200.
func (c *cosell) admin(method, path, body string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(res.Body)
		c.t.Fatalf("%s %s: HTTP %d %s", method, path, res.StatusCode, msg)
	}
}

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// eventually polls cond until it holds, failing the test after a generous
// deadline (a hang guard, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
