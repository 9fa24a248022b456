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
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
)

// AdminToken is the admin API's token of a server Start gives one to.
const AdminToken = "tok"

// Server is a running cosell server.
type Server struct {
	*server.Server
	t    testing.TB
	stop func()
}

// Start runs a server until the test ends. cfg.Addr is always a free
// loopback port; DataDir defaults to ":memory:", AdminToken to AdminToken
// and Logger to one that discards.
func Start(t testing.TB, cfg server.Config) *Server {
	t.Helper()
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
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	s := &Server{Server: srv, t: t}
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
	t.Cleanup(s.stop)
	return s
}

// Stop stops the server now rather than when the test ends; a test
// restarts one by starting another on the same DataDir.
func (s *Server) Stop() { s.stop() }

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
