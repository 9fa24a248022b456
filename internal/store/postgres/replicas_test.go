package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/testpg"
)

// Two Stores opened on one database are two replicas: nothing is shared
// between them but the database.

var replicaScope = store.Scope{Account: "111111111111", Catalog: "AWS"}

func openReplicas(t *testing.T, n int) []*Store {
	t.Helper()
	url := testpg.NewDatabase(t)
	out := make([]*Store, n)
	for i := range out {
		out[i] = mustOpen(t, url)
		s := out[i]
		t.Cleanup(func() { s.Close() })
	}
	return out
}

func testOpportunity(id string, modified time.Time, doc string) store.Opportunity {
	return store.Opportunity{Scope: replicaScope, ID: id, CreatedDate: modified, LastModifiedDate: modified,
		Stage: "Prospect", ReviewStatus: "Pending Submission", CustomerCompany: "Example", Doc: []byte(doc)}
}

// runOn runs fn(i, replica) on goroutines spread over the replicas and
// waits for all of them.
func runOn(replicas []*Store, goroutines int, fn func(i int, s *Store)) {
	var wg sync.WaitGroup
	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i, replicas[i%len(replicas)])
		}()
	}
	wg.Wait()
}

// Replicas racing to compare-and-swap the same version: exactly one wins,
// every other one is told its version is stale.
func TestReplicasCompareAndSwapHasOneWinner(t *testing.T) {
	replicas := openReplicas(t, 2)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	o := testOpportunity("O1", base, "v0")
	if err := replicas[0].Update(ctx, func(tx store.Tx) error { return tx.InsertOpportunity(ctx, &o) }); err != nil {
		t.Fatal(err)
	}
	const racers = 8
	results := make([]error, racers)
	runOn(replicas, racers, func(i int, s *Store) {
		next := testOpportunity("O1", base.Add(time.Duration(i+1)*time.Second), "v"+strconv.Itoa(i+1))
		results[i] = s.Update(ctx, func(tx store.Tx) error { return tx.UpdateOpportunity(ctx, &next, base) })
	})
	winners := 0
	for i, err := range results {
		switch {
		case err == nil:
			winners++
		case !errors.Is(err, store.ErrStale):
			t.Errorf("racer %d: %v, want nil or ErrStale", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d racers won the compare-and-swap, want 1", winners)
	}
}

// Read-modify-write transactions on several replicas lose no update, and
// the ids they allocate are never handed out twice.
func TestReplicasLoseNoUpdateAndShareNoID(t *testing.T) {
	replicas := openReplicas(t, 2)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	counter := testOpportunity("O1", base, "0")
	if err := replicas[0].Update(ctx, func(tx store.Tx) error { return tx.InsertOpportunity(ctx, &counter) }); err != nil {
		t.Fatal(err)
	}
	const goroutines, increments = 6, 15
	var mu sync.Mutex
	numbers := map[int64]bool{}
	runOn(replicas, goroutines, func(_ int, s *Store) {
		for range increments {
			var n int64
			err := s.Update(ctx, func(tx store.Tx) error {
				c, err := tx.GetOpportunity(ctx, replicaScope, "O1")
				if err != nil {
					return err
				}
				v, _ := strconv.Atoi(string(c.Doc))
				next := *c
				next.Doc = []byte(strconv.Itoa(v + 1))
				next.LastModifiedDate = c.LastModifiedDate.Add(time.Millisecond)
				if err := tx.UpdateOpportunity(ctx, &next, c.LastModifiedDate); err != nil {
					return err
				}
				if n, err = tx.NextOpportunityNumber(ctx); err != nil {
					return err
				}
				o := testOpportunity(fmt.Sprintf("O%d", n), base, "")
				return tx.InsertOpportunity(ctx, &o)
			})
			if err != nil {
				t.Errorf("increment: %v", err)
				return
			}
			mu.Lock()
			if numbers[n] {
				t.Errorf("number %d handed out twice", n)
			}
			numbers[n] = true
			mu.Unlock()
		}
	})
	got, err := replicas[1].GetOpportunity(ctx, replicaScope, "O1")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Doc) != strconv.Itoa(goroutines*increments) {
		t.Fatalf("counter = %s after %d increments on two replicas", got.Doc, goroutines*increments)
	}
	all, err := replicas[1].ListOpportunities(ctx, store.OpportunityQuery{Scope: replicaScope})
	if err != nil || len(all) != 1+goroutines*increments {
		t.Fatalf("%d opportunities (%v), want %d", len(all), err, 1+goroutines*increments)
	}
}

// The same client token sent to several replicas at once creates one
// opportunity, and every caller gets its answer.
func TestReplicasClientTokenRunsOnce(t *testing.T) {
	replicas := openReplicas(t, 2)
	ctx := context.Background()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type answer struct{ ID string }
	const racers = 8
	answers := make([]string, racers)
	runOn(replicas, racers, func(i int, s *Store) {
		out, err := idempotency.Run(ctx, s, now, replicaScope, "CreateOpportunity", "token-1", map[string]string{"title": "t"},
			func(tx store.Tx) (*answer, error) {
				n, err := tx.NextOpportunityNumber(ctx)
				if err != nil {
					return nil, err
				}
				o := testOpportunity(fmt.Sprintf("O%d", n), now, "")
				return &answer{o.ID}, tx.InsertOpportunity(ctx, &o)
			})
		if err != nil {
			t.Errorf("racer %d: %v", i, err)
			return
		}
		answers[i] = out.ID
	})
	for i, id := range answers {
		if id != answers[0] {
			t.Fatalf("racer %d got %q, racer 0 %q: one token, two answers", i, id, answers[0])
		}
	}
	all, err := replicas[0].ListOpportunities(ctx, store.OpportunityQuery{Scope: replicaScope})
	if err != nil || len(all) != 1 || all[0].ID != answers[0] {
		t.Fatalf("opportunities after the race: %v (%v), want just %s", ids(all), err, answers[0])
	}
}

func ids(opps []store.Opportunity) []string {
	out := make([]string, len(opps))
	for i, o := range opps {
		out[i] = o.ID
	}
	return out
}

// Writers on two replicas append events and hold their transactions open
// for a random while afterwards, so commits finish out of the order in
// which events were appended; some roll back. Readers on both replicas
// follow the outbox as the delivery does (seq > the last one seen). Had a
// reader ever passed a seq that a later commit then filled in below it,
// it would miss that event: each must end with every committed event,
// exactly once, in order, and none of the rolled-back ones.
func TestReplicasOutboxHasNoGapsInCommitOrder(t *testing.T) {
	replicas := openReplicas(t, 2)
	ctx := context.Background()
	const writers, txPerWriter = 6, 25
	errRollBack := errors.New("rolled back on purpose")

	var mu sync.Mutex
	committed := map[string]bool{}
	writing := make(chan struct{})
	readerDone := make(chan []store.Event, len(replicas))
	for _, s := range replicas {
		go func() { readerDone <- follow(t, s, writing) }()
	}
	runOn(replicas, writers, func(w int, s *Store) {
		rng := rand.New(rand.NewPCG(uint64(w), 2))
		for i := range txPerWriter {
			var appended []string
			rollBack := rng.IntN(5) == 0
			hold := time.Duration(rng.IntN(3000)) * time.Microsecond
			err := s.Update(ctx, func(tx store.Tx) error {
				appended = appended[:0]
				for j := range 1 + rng.IntN(2) {
					e := store.Event{Account: replicaScope.Account, ID: fmt.Sprintf("w%d-t%d-e%d", w, i, j),
						Time: time.Now(), DetailType: "Test", Body: []byte("{}")}
					if err := tx.AppendEvent(ctx, &e); err != nil {
						return err
					}
					appended = append(appended, e.ID)
				}
				time.Sleep(hold)
				if rollBack {
					return errRollBack
				}
				return nil
			})
			if err != nil && !(rollBack && errors.Is(err, errRollBack)) {
				t.Errorf("writer %d: %v", w, err)
				return
			}
			if err == nil {
				mu.Lock()
				for _, id := range appended {
					committed[id] = true
				}
				mu.Unlock()
			}
		}
	})
	close(writing)
	for range replicas {
		seen := <-readerDone
		got := map[string]bool{}
		for _, e := range seen {
			if got[e.ID] {
				t.Errorf("event %s read twice", e.ID)
			}
			got[e.ID] = true
			if !committed[e.ID] {
				t.Errorf("event %s read but never committed", e.ID)
			}
		}
		for id := range committed {
			if !got[id] {
				t.Errorf("committed event %s was never read: a reader passed its seq before it committed", id)
			}
		}
	}
	if len(committed) == 0 {
		t.Fatal("no event committed")
	}
}

// follow reads the outbox after the last seq it has seen until writing is
// closed and one more read finds nothing new, checking seqs only grow.
func follow(t *testing.T, s *Store, writing <-chan struct{}) []store.Event {
	ctx := context.Background()
	var seen []store.Event
	var last int64
	for finished := false; ; {
		select {
		case <-writing:
			finished = true
		default:
		}
		page, err := s.ListEvents(ctx, store.EventQuery{AfterSeq: last, Limit: 20})
		if err != nil {
			t.Errorf("follow: %v", err)
			return seen
		}
		for _, e := range page {
			if e.Seq <= last {
				t.Errorf("seq %d after %d", e.Seq, last)
			}
			last = e.Seq
		}
		seen = append(seen, page...)
		if finished && len(page) == 0 {
			return seen
		}
	}
}

// A replica learns of another one's commit of events through
// WatchCommits, without polling.
func TestReplicasHearOfEachOthersCommits(t *testing.T) {
	replicas := openReplicas(t, 2)
	ctx := context.Background()
	heard := make(chan struct{}, 16)
	replicas[1].WatchCommits(func() {
		select {
		case heard <- struct{}{}:
		default:
		}
	})
	wait := func(what string) {
		t.Helper()
		select {
		case <-heard:
		case <-time.After(30 * time.Second): // a hang guard, not a speed check
			t.Fatalf("no notification: %s", what)
		}
	}
	wait("when the watcher connected")
	err := replicas[0].Update(ctx, func(tx store.Tx) error {
		return tx.AppendEvent(ctx, &store.Event{Account: replicaScope.Account, ID: "e1", Time: time.Now(), DetailType: "Test", Body: []byte("{}")})
	})
	if err != nil {
		t.Fatal(err)
	}
	wait("after the other replica's commit")
	events, err := replicas[1].ListEvents(ctx, store.EventQuery{})
	if err != nil || len(events) != 1 || events[0].ID != "e1" {
		t.Fatalf("after the notification: %+v, %v", events, err)
	}
}
