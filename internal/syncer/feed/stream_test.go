package feed_test

import (
	"context"
	"fmt"
	"github.com/cosell/cosell/internal/testwait"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/syncer/feed"
)

const adminToken = "t"

// streamRig is a cosell behind a proxy that can cut the stream's
// connection and remembers each connection's cursor.
type streamRig struct {
	t      *testing.T
	api    *sellingclient.Client
	proxy  *httptest.Server
	mu     sync.Mutex
	afters []string // the ?after of each stream connection, in order
}

func startRig(t *testing.T) *streamRig {
	s, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: ":memory:", AdminToken: adminToken,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	target, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	r := &streamRig{t: t}
	rp := httputil.NewSingleHostReverseProxy(target)
	r.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.afters = append(r.afters, req.URL.Query().Get("after"))
		r.mu.Unlock()
		rp.ServeHTTP(w, req)
	}))
	t.Cleanup(r.proxy.Close)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	r.api = sellingclient.New(cfg, func(o *sellingclient.Options) {
		o.BaseEndpoint = s.URL()
		o.RateLimit.Disabled = true
	})
	return r
}

// create makes an opportunity, which emits an Opportunity Created event.
func (r *streamRig) create(name string) string {
	r.t.Helper()
	out, err := r.api.CreateOpportunity(context.Background(), &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: name,
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: name}}})
	if err != nil {
		r.t.Fatal(err)
	}
	return out.Id
}

func (r *streamRig) connections() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.afters)
}

// collector is a Deliver that records events; failOnce makes the first
// delivery of that opportunity's event fail.
type collector struct {
	mu       sync.Mutex
	events   []feed.Event
	failOnce string
}

func (c *collector) deliver(_ context.Context, e feed.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.OpportunityID != "" && e.OpportunityID == c.failOnce {
		c.failOnce = ""
		return fmt.Errorf("not committed")
	}
	c.events = append(c.events, e)
	return nil
}

func (c *collector) got() []feed.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}

// running is one Stream.Run in a goroutine.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

func follow(r *streamRig, after string, c *collector) *running {
	s := &feed.Stream{Endpoint: r.proxy.URL, Token: adminToken, Account: "111111111111", HTTP: &http.Client{},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	run := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { run.done <- s.Run(ctx, after, c.deliver) }()
	return run
}

// stop cancels the run and checks it returns nil.
func (run *running) stop(t *testing.T) {
	t.Helper()
	run.cancel()
	select {
	case err := <-run.done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("Run did not return after its context was cancelled")
	}
}

func waitFor(t *testing.T, c *collector, n int) []feed.Event {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("%d events", n), func() bool { return len(c.got()) >= n })
	return c.got()
}

// checkInOrder checks the events are the creations of ids, in order, each
// once, with increasing cursors.
func checkInOrder(t *testing.T, got []feed.Event, ids []string) {
	t.Helper()
	var opps []string
	last := int64(-1)
	for _, e := range got {
		seq, err := strconv.ParseInt(e.Cursor, 10, 64)
		if err != nil || seq <= last {
			t.Errorf("event %s has cursor %q after %d", e.ID, e.Cursor, last)
		}
		last = seq
		if e.DetailType == "Opportunity Created" {
			opps = append(opps, e.OpportunityID)
		}
	}
	if !slices.Equal(opps, ids) {
		t.Errorf("Opportunity Created events for %v, want %v", opps, ids)
	}
}

// The stream delivers events in order; after its connection breaks it
// reconnects from the last event delivered, so nothing is lost or
// repeated; an event whose delivery fails comes again; cancelling the
// context stops it.
func TestStreamResumesAfterBreaks(t *testing.T) {
	r := startRig(t)
	c := &collector{}
	run := follow(r, "", c)

	ids := []string{r.create("one"), r.create("two"), r.create("three")}
	got := waitFor(t, c, 3)
	checkInOrder(t, got, ids)

	r.proxy.CloseClientConnections() // the network breaks
	ids = append(ids, r.create("four"))
	c.mu.Lock()
	c.failOnce = r.create("five") // the connector fails to commit this one the first time
	c.mu.Unlock()
	ids = append(ids, c.failOnce)
	got = waitFor(t, c, 5)
	run.stop(t)
	checkInOrder(t, got, ids)

	// Connections: the first from the start, one resuming after the
	// break at the third event, one resuming after the failed delivery at
	// the fourth.
	conns := r.connections()
	if len(conns) != 3 || conns[0] != "" || conns[1] != got[2].Cursor || conns[2] != got[3].Cursor {
		t.Errorf("stream connections resumed after %q; want \"\", %q, %q", conns, got[2].Cursor, got[3].Cursor)
	}
}

// A Run started from a stored cursor delivers only the later events.
func TestStreamStartsAfterCursor(t *testing.T) {
	r := startRig(t)
	first := &collector{}
	run := follow(r, "", first)
	ids := []string{r.create("one"), r.create("two"), r.create("three")}
	got := waitFor(t, first, 3)
	run.stop(t)

	again := &collector{}
	run = follow(r, got[0].Cursor, again)
	checkInOrder(t, waitFor(t, again, 2), ids[1:])
	run.stop(t)
}
