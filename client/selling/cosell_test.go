package sellingclient_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
)

const adminToken = "t"

// cosell is a real server running in-process for one test.
type cosell struct {
	t   *testing.T
	url string
}

func startCosell(t *testing.T) *cosell {
	t.Helper()
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: ":memory:", AdminToken: adminToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &cosell{t: t, url: s.URL()}
}

// client is a client of account 111111111111 without rate limiting and
// with near-zero backoff, changed by optFns.
func (c *cosell) client(optFns ...func(*sellingclient.Options)) *sellingclient.Client {
	return c.clientAs("test", "test", optFns...)
}

func (c *cosell) clientAs(key, secret string, optFns ...func(*sellingclient.Options)) *sellingclient.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, "")}
	return sellingclient.New(cfg, append([]func(*sellingclient.Options){func(o *sellingclient.Options) {
		o.BaseEndpoint = c.url
		o.RateLimit.Disabled = true
		o.Retry.BaseDelay = 1 // a nanosecond: retries without waiting
	}}, optFns...)...)
}

// admin sends a request to the admin API and fails the test unless it
// answers 200.
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
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("%s %s: HTTP %d", method, path, res.StatusCode)
	}
}

// faultsFor returns an HTTP client that counts the requests it sends and
// lets the first n of them meet the fault rules, removing every rule just
// before request n+1: "fail the next n calls".
func (c *cosell) faultsFor(n int, rules string) *countingClient {
	c.admin(http.MethodPut, "/_cosell/faults", rules)
	return &countingClient{before: func(sent int64) {
		if sent == int64(n)+1 {
			c.admin(http.MethodDelete, "/_cosell/faults", "")
		}
	}}
}

type countingClient struct {
	sent   atomic.Int64
	before func(sent int64)
}

func (h *countingClient) Do(req *http.Request) (*http.Response, error) {
	h.before(h.sent.Add(1))
	return http.DefaultClient.Do(req)
}
