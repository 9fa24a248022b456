package sellingclient_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

// cosell is a real server running in-process for one test.
type cosell struct {
	*servertest.Server
	url string
}

func startCosell(t *testing.T) *cosell {
	t.Helper()
	s := servertest.Start(t, server.Config{})
	return &cosell{Server: s, url: s.URL()}
}

// client is a client of account 111111111111 (see servertest.SellingClient),
// changed by optFns.
func (c *cosell) client(optFns ...func(*sellingclient.Options)) *sellingclient.Client {
	return c.SellingClient("test", "test", optFns...)
}

func (c *cosell) clientAs(key, secret string, optFns ...func(*sellingclient.Options)) *sellingclient.Client {
	return c.SellingClient(key, secret, optFns...)
}

// faultsFor returns an HTTP client that counts the requests it sends and
// lets the first n of them meet the fault rules, removing every rule just
// before request n+1: "fail the next n calls".
func (c *cosell) faultsFor(n int, rules string) *countingClient {
	c.Admin(http.MethodPut, "/_cosell/faults", rules)
	return &countingClient{before: func(sent int64) {
		if sent == int64(n)+1 {
			c.Admin(http.MethodDelete, "/_cosell/faults", "")
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
