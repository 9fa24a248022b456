package sqsqueue

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// newQueues is a store holding n events for each of two accounts, taking
// turns, so each account's sequence numbers have gaps.
func newQueues(t testing.TB, n int) *Queues {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(context.Background(), func(tx store.Tx) error {
		for i := range 2 * n {
			e := &store.Event{Account: []string{"111111111111", "222222222222"}[i%2], ID: fmt.Sprint("e", i), Time: time.Now(), DetailType: "Opportunity Created", Body: []byte(`{}`)}
			if err := tx.AppendEvent(context.Background(), e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Queues{Store: st, Clock: clock.NewManual()}
}

// Concurrent receivers never get the same message while it is in flight.
func TestConcurrentReceivesAreDisjoint(t *testing.T) {
	q := newQueues(t, 40)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				got, err := q.Receive(context.Background(), "111111111111", 3, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.Event.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Fatalf("received %d distinct messages, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s received %d times while in flight", id, n)
		}
	}
}

// Deletions out of order keep records until the head is deleted; then the
// cursor passes them and the state shrinks to what is still undeleted.
func TestDeletesCompactTheState(t *testing.T) {
	q := newQueues(t, 3)
	ctx := context.Background()
	const account = "111111111111"
	got, err := q.Receive(ctx, account, 10, time.Minute)
	if err != nil || len(got) != 3 {
		t.Fatalf("receive: %v %v", got, err)
	}
	state := func() *state {
		st, err := loadState(ctx, q.Store, account)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	for _, i := range []int{2, 0} {
		if err := q.Delete(ctx, account, got[i].ReceiptHandle); err != nil {
			t.Fatal(err)
		}
	}
	if st := state(); st.Cursor != got[1].Event.Seq-1 || len(st.Messages) != 2 {
		t.Fatalf("after deleting the first and last: cursor %d, %d records", st.Cursor, len(st.Messages))
	}
	if err := q.Delete(ctx, account, got[1].ReceiptHandle); err != nil {
		t.Fatal(err)
	}
	if st := state(); st.Cursor != got[2].Event.Seq || len(st.Messages) != 0 {
		t.Fatalf("after deleting all: cursor %d, %d records", st.Cursor, len(st.Messages))
	}
	if visible, inFlight, err := q.Counts(ctx, account); err != nil || visible != 0 || inFlight != 0 {
		t.Fatalf("counts %d %d %v", visible, inFlight, err)
	}
	if visible, _, _ := q.Counts(ctx, "222222222222"); visible != 3 {
		t.Fatalf("the other account's queue has %d visible, want 3", visible)
	}
}

// Status counts what is in flight and what came back after its visibility
// ran out, and follows the cursor as the head is deleted.
func TestStatusReportsInFlightAndRedelivered(t *testing.T) {
	q := newQueues(t, 3)
	ctx := context.Background()
	const account = "111111111111"
	if _, err := q.Receive(ctx, account, 2, time.Minute); err != nil {
		t.Fatal(err)
	}
	if s, err := q.Status(ctx, account); err != nil || s.InFlight != 2 || s.Redelivered != 0 || s.Cursor != 0 {
		t.Fatalf("after one receive: %+v %v", s, err)
	}
	q.Clock.(*clock.Manual).Advance(2 * time.Minute)
	got, err := q.Receive(ctx, account, 3, time.Minute)
	if err != nil || len(got) != 3 {
		t.Fatalf("second receive: %d messages, %v", len(got), err)
	}
	if err := q.Delete(ctx, account, got[0].ReceiptHandle); err != nil {
		t.Fatal(err)
	}
	s, err := q.Status(ctx, account)
	if err != nil {
		t.Fatal(err)
	}
	// The cursor passes the deleted head, up to the account's next event.
	if s.Cursor < got[0].Event.Seq || s.Cursor >= got[1].Event.Seq || s.InFlight != 2 || s.Redelivered != 1 || s.MaxReceives != 2 {
		t.Fatalf("status %+v, want the cursor in [%d, %d), 2 in flight, 1 redelivered twice", s, got[0].Event.Seq, got[1].Event.Seq)
	}
}
