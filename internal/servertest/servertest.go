// Package servertest runs real cosell servers inside tests: the in-process
// server that end-to-end tests of the clients, the exchange and the
// connector talk to, on a free loopback port, stopped with the test and
// checked for a clean shutdown.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
)

// AdminToken is the admin API's token of a server Start gives one to.
const AdminToken = "tok"

// Running is a cosell server serving in the background until Stop.
type Running struct {
	*server.Server
	stop func() error
}

// Run starts a server on a free loopback port and serves it in the
// background. DataDir defaults to ":memory:", AdminToken to AdminToken and
// Logger to one that discards.
func Run(cfg server.Config) (*Running, error) {
	cfg.Addr = "127.0.0.1:0"
	if cfg.DataDir == "" {
		cfg.DataDir = ":memory:"
	}
	if cfg.AdminToken == "" {
		cfg.AdminToken = AdminToken
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	srv, err := server.New(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	var once sync.Once
	var stopErr error
	return &Running{Server: srv, stop: func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}}, nil
}

// Stop stops the server and closes its store; it returns Serve's error,
// the same on every call.
func (r *Running) Stop() error { return r.stop() }

// Server is a running cosell server.
type Server struct {
	*Running
	t       testing.TB
	stopped bool
}

// Start runs a server (see Run) until the test ends, and fails the test
// unless it stops cleanly.
func Start(t testing.TB, cfg server.Config) *Server {
	t.Helper()
	r, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Running: r, t: t}
	t.Cleanup(s.Stop)
	return s
}

// Stop stops the server now rather than when the test ends; a test
// restarts one by starting another on the same DataDir.
func (s *Server) Stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	if err := s.Running.Stop(); err != nil {
		s.t.Errorf("Serve: %v", err)
	}
}

// Admin sends an admin API request with the AdminToken and fails the test
// unless it answers 200; it returns the answer's body.
func (s *Server) Admin(method, path, body string) []byte {
	s.t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+AdminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("%s %s: HTTP %d %s", method, path, res.StatusCode, answer)
	}
	return answer
}

// SellingClient is a Selling API client signed with key and secret, with
// no client-side rate limit and retries that barely wait, so tests run at
// local speed; optFns change it further.
func (s *Server) SellingClient(key, secret string, optFns ...func(*sellingclient.Options)) *sellingclient.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, "")}
	return sellingclient.New(cfg, append([]func(*sellingclient.Options){func(o *sellingclient.Options) {
		o.BaseEndpoint = s.URL()
		o.RateLimit.Disabled = true
		o.Retry.BaseDelay = time.Millisecond
	}}, optFns...)...)
}
