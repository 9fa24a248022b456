package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/events/delivery"
	"github.com/cosell/cosell/internal/events/notify"
	"github.com/cosell/cosell/internal/events/webhook"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

const secret = "s3cret"

// fastBackoff keeps retry tests short.
var fastBackoff = delivery.Backoff{Initial: 5 * time.Millisecond, Max: 40 * time.Millisecond}

func openStore(t *testing.T, dir string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(dir, "cosell.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Cleanups run last first: dispatchers, started later, stop before this.
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// appendEvents commits n events for account, one transaction each, and
// returns their Seqs.
func appendEvents(t *testing.T, st store.Store, account string, n int, detailType string) []int64 {
	t.Helper()
	var seqs []int64
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s-%d-%d", account, time.Now().UnixNano(), i)
		body, _ := json.Marshal(map[string]any{"version": "0", "id": id, "detail-type": detailType,
			"source": "aws.partnercentral-selling", "account": account, "detail": map[string]any{"catalog": "Sandbox", "n": i}})
		e := &store.Event{Account: account, ID: id, Time: time.Now(), DetailType: detailType, Body: body}
		if err := st.Update(context.Background(), func(tx store.Tx) error { return tx.AppendEvent(context.Background(), e) }); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, e.Seq)
	}
	return seqs
}

// receiver is a webhook endpoint that records what it acknowledged and
// checks every signature.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	got    []int64 // Seqs acknowledged, in arrival order
	calls  int
	fail   func(call int) bool // true: answer 500
	notify chan struct{}
}

func newReceiver(t *testing.T, fail func(call int) bool) *receiver {
	r := &receiver{t: t, fail: fail, notify: make(chan struct{}, 1000)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if got, want := req.Header.Get(webhook.HeaderSignature), webhook.Sign(secret, body); got != want {
		r.t.Errorf("signature %q, want %q", got, want)
	}
	var env struct {
		ID         string `json:"id"`
		DetailType string `json:"detail-type"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.ID != req.Header.Get(webhook.HeaderEventID) || env.DetailType != req.Header.Get(webhook.HeaderDetailType) {
		r.t.Errorf("headers %v do not describe the body %s", req.Header, body)
	}
	seq, _ := strconv.ParseInt(req.Header.Get(webhook.HeaderSeq), 10, 64)
	r.mu.Lock()
	r.calls++
	failing := r.fail != nil && r.fail(r.calls)
	if !failing {
		r.got = append(r.got, seq)
	}
	r.mu.Unlock()
	if failing {
		http.Error(w, "not now", http.StatusInternalServerError)
		return
	}
	r.notify <- struct{}{}
}

func (r *receiver) received() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// waitFor waits until the receiver has acknowledged at least n deliveries.
func (r *receiver) waitFor(n int) []int64 {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := r.received(); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-deadline:
			r.t.Fatalf("timed out: %d of %d deliveries: %v", len(r.received()), n, r.received())
		}
	}
}

// waitCursor waits until the destination's saved cursor is want: it is
// saved just after the receiver answers.
func waitCursor(t *testing.T, st store.Reader, name string, want int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := delivery.ReadCursor(context.Background(), st, name)
		if err == nil && c == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("cursor of %s is %d (%v), want %d", name, c, err, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run starts a dispatcher and returns a function that stops it and waits.
func run(t *testing.T, cfg delivery.Config) func() {
	t.Helper()
	if cfg.Backoff == (delivery.Backoff{}) {
		cfg.Backoff = fastBackoff
	}
	if cfg.Poll == 0 {
		cfg.Poll = 20 * time.Millisecond
	}
	d, err := delivery.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("dispatcher: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("dispatcher did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func sink(r *receiver) *webhook.Sink { return &webhook.Sink{URL: r.srv.URL, Secret: secret} }

func TestDeliversInCommitOrderWithSignature(t *testing.T) {
	st := openStore(t, t.TempDir())
	n := notify.New()
	wrapped := notify.Wrap(st, n)
	r := newReceiver(t, nil)
	before := appendEvents(t, wrapped, "111111111111", 3, "Opportunity Created")
	appendEvents(t, wrapped, "222222222222", 2, "Opportunity Created") // another account's: not for this webhook
	// A long poll, so the later events can only arrive this fast through
	// the commit notification.
	run(t, delivery.Config{Name: "webhook:a", Store: wrapped, Account: "111111111111", Sink: sink(r), Changed: n.Changed, Poll: time.Minute})
	r.waitFor(3)
	after := appendEvents(t, wrapped, "111111111111", 3, "Opportunity Updated")
	got := r.waitFor(6)
	if want := append(before, after...); !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v in commit order", got, want)
	}
	waitCursor(t, st, "webhook:a", after[2])
}

func TestRetriesUntilTheReceiverRecovers(t *testing.T) {
	st := openStore(t, t.TempDir())
	// The first 5 calls fail: the first event is retried, and nothing
	// after it overtakes it.
	r := newReceiver(t, func(call int) bool { return call <= 5 })
	want := appendEvents(t, st, "111111111111", 4, "Opportunity Created")
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r)})
	if got := r.waitFor(4); !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	r.mu.Lock()
	calls := r.calls
	r.mu.Unlock()
	if calls != 9 {
		t.Fatalf("%d calls, want 5 failures and 4 deliveries", calls)
	}
}

func TestABlockedWebhookBlocksOnlyItself(t *testing.T) {
	st := openStore(t, t.TempDir())
	down := newReceiver(t, func(int) bool { return true })
	up := newReceiver(t, nil)
	want := appendEvents(t, st, "111111111111", 3, "Opportunity Created")
	run(t, delivery.Config{Name: "webhook:down", Store: st, Account: "111111111111", Sink: sink(down)})
	run(t, delivery.Config{Name: "webhook:up", Store: st, Account: "111111111111", Sink: sink(up)})
	if got := up.waitFor(3); !slices.Equal(got, want) {
		t.Fatalf("healthy webhook got %v, want %v", got, want)
	}
	if got := down.received(); len(got) != 0 {
		t.Fatalf("failing webhook acknowledged %v", got)
	}
	if c, _ := delivery.ReadCursor(context.Background(), st, "webhook:down"); c != 0 {
		t.Fatalf("the failing webhook's cursor moved to %d", c)
	}
}

func TestMatchSkipsEventsButMovesTheCursor(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := newReceiver(t, nil)
	created := appendEvents(t, st, "111111111111", 2, "Opportunity Created")
	updated := appendEvents(t, st, "111111111111", 2, "Opportunity Updated")
	onlyCreated := func(e store.Event) bool { return e.DetailType == "Opportunity Created" }
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r), Match: onlyCreated})
	if got := r.waitFor(2); !slices.Equal(got, created) {
		t.Fatalf("delivered %v, want %v", got, created)
	}
	waitCursor(t, st, "webhook:a", updated[1]) // past the skipped events too
	if got := r.received(); len(got) != 2 {
		t.Fatalf("skipped events were delivered: %v", got)
	}
}

// A dispatcher stopped mid-stream and a new one on the same data
// directory together deliver every event at least once; what the first
// had acknowledged, the second does not send again.
func TestResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	want := appendEvents(t, st, "111111111111", 20, "Opportunity Created")

	// The first receiver acknowledges 7 events, then holds the 8th until
	// the dispatcher is stopped, so the stop lands mid-delivery.
	hold := make(chan struct{})
	var firstMu sync.Mutex
	var first []int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.ReadAll(req.Body) // the server notices a client hanging up only once the body is read
		seq, _ := strconv.ParseInt(req.Header.Get(webhook.HeaderSeq), 10, 64)
		firstMu.Lock()
		n := len(first)
		firstMu.Unlock()
		if n == 7 {
			close(hold)
			<-req.Context().Done() // never answers: the dispatcher gives up when stopped
			return
		}
		firstMu.Lock()
		first = append(first, seq)
		firstMu.Unlock()
	}))
	defer srv.Close()
	stop := run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: &webhook.Sink{URL: srv.URL, Secret: secret}})
	select {
	case <-hold:
	case <-time.After(10 * time.Second):
		t.Fatal("the first dispatcher never reached the 8th event")
	}
	stop()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2 := openStore(t, dir)
	r := newReceiver(t, nil)
	run(t, delivery.Config{Name: "webhook:a", Store: st2, Account: "111111111111", Sink: sink(r)})
	second := r.waitFor(len(want) - len(first))
	if !slices.Equal(first, want[:7]) {
		t.Fatalf("before the restart: %v, want %v", first, want[:7])
	}
	if !slices.Equal(second, want[7:]) {
		t.Fatalf("after the restart: %v, want the rest, %v, with nothing acknowledged sent again", second, want[7:])
	}
}

func TestChaosDuplicate(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := newReceiver(t, nil)
	seqs := appendEvents(t, st, "111111111111", 3, "Opportunity Created")
	knobs := chaos.NewSettings(chaos.Knobs{Duplicate: 1})
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r), Chaos: knobs})
	want := []int64{seqs[0], seqs[0], seqs[1], seqs[1], seqs[2], seqs[2]}
	if got := r.waitFor(6); !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want every event twice: %v", got, want)
	}
}

func TestChaosReorderWindow(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := newReceiver(t, nil)
	seqs := appendEvents(t, st, "111111111111", 9, "Opportunity Created")
	knobs := chaos.NewSettings(chaos.Knobs{ReorderWindow: 3, Seed: 7})
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r), Chaos: knobs})
	got := r.waitFor(9)
	if slices.Equal(got, seqs) {
		t.Fatalf("seed 7 kept commit order %v; the window should have shuffled it", got)
	}
	for w := 0; w < 9; w += 3 {
		window := slices.Clone(got[w : w+3])
		slices.Sort(window)
		if !slices.Equal(window, seqs[w:w+3]) {
			t.Fatalf("delivered %v: events left their window of 3 (commit order %v)", got, seqs)
		}
	}
	// The plan is the seed's: the same knobs give the same order.
	a := chaos.NewPlanner(chaos.NewSettings(chaos.Knobs{ReorderWindow: 3, Seed: 7}), "webhook:a").Plan(9)
	var again []int64
	for _, i := range a.Order {
		again = append(again, seqs[i])
	}
	if !slices.Equal(got, again) {
		t.Fatalf("delivered %v, but the seed plans %v", got, again)
	}
}

func TestChaosDelay(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := newReceiver(t, nil)
	appendEvents(t, st, "111111111111", 3, "Opportunity Created")
	knobs := chaos.NewSettings(chaos.Knobs{Delay: chaos.Duration(100 * time.Millisecond)})
	start := time.Now()
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r), Chaos: knobs})
	r.waitFor(3)
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("3 events with 100ms of added delay each arrived in %v", took)
	}
}

func TestChaosDropThenRedeliver(t *testing.T) {
	st := openStore(t, t.TempDir())
	r := newReceiver(t, nil)
	seqs := appendEvents(t, st, "111111111111", 10, "Opportunity Created")
	knobs := chaos.NewSettings(chaos.Knobs{DropThenRedeliver: 0.3, Seed: 1})
	run(t, delivery.Config{Name: "webhook:a", Store: st, Account: "111111111111", Sink: sink(r), Chaos: knobs})
	got := r.waitFor(10)
	if slices.Equal(got, seqs) {
		t.Fatalf("seed 1 dropped nothing: %v", got)
	}
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	if !slices.Equal(sorted, seqs) {
		t.Fatalf("delivered %v: every event must arrive exactly once (%v)", got, seqs)
	}
	// Dropped events come late: after every event that was not dropped.
	plan := chaos.NewPlanner(chaos.NewSettings(chaos.Knobs{DropThenRedeliver: 0.3, Seed: 1}), "webhook:a").Plan(10)
	var want []int64
	for _, i := range plan.Order {
		want = append(want, seqs[i])
	}
	if !slices.Equal(got, want) {
		t.Fatalf("delivered %v, the seed plans %v", got, want)
	}
	waitCursor(t, st, "webhook:a", seqs[9])
}
