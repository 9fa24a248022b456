package storetest

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// testConcurrency runs writers and readers in parallel (meaningful under
// -race): every write lands exactly once, read-modify-write in a transaction
// loses no increment, and readers only ever see committed, ordered data.
func testConcurrency(t *testing.T, s store.Store) {
	const writers, writes, readers = 4, 25, 3
	counter := newOpportunity(scopeA, "O1", baseTime)
	counter.Doc = []byte("0")
	insert(t, s, counter)

	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < writes; i++ {
				if err := incrementAndCreate(s); err != nil {
					t.Errorf("writer: %v", err)
					return
				}
			}
		}()
	}
	var readersWG sync.WaitGroup
	for r := 0; r < readers; r++ {
		readersWG.Add(1)
		go func() {
			defer readersWG.Done()
			last := -1
			for {
				select {
				case <-done:
					return
				default:
				}
				if err := checkSnapshot(s, &last); err != nil {
					t.Errorf("reader: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	readersWG.Wait()

	got := mustGet(t, s, scopeA, "O1")
	if string(got.Doc) != strconv.Itoa(writers*writes) {
		t.Errorf("counter = %s after %d increments", got.Doc, writers*writes)
	}
	all, err := s.ListOpportunities(context.Background(), store.OpportunityQuery{Scope: scopeA, SortBy: store.SortIdentifier})
	if err != nil || len(all) != 1+writers*writes {
		t.Errorf("ListOpportunities: %d rows, %v; want %d", len(all), err, 1+writers*writes)
	}
}

// incrementAndCreate bumps the counter row and creates one opportunity whose
// Doc records the counter value it was created with, in one transaction.
func incrementAndCreate(s store.Store) error {
	ctx := context.Background()
	return s.Update(ctx, func(tx store.Tx) error {
		c, err := tx.GetOpportunity(ctx, scopeA, "O1")
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(string(c.Doc))
		if err != nil {
			return err
		}
		next := *c
		next.Doc = []byte(strconv.Itoa(n + 1))
		next.LastModifiedDate = c.LastModifiedDate.Add(time.Millisecond)
		if err := tx.UpdateOpportunity(ctx, &next, c.LastModifiedDate); err != nil {
			return err
		}
		num, err := tx.NextOpportunityNumber(ctx)
		if err != nil {
			return err
		}
		o := newOpportunity(scopeA, fmt.Sprintf("O%d", num), next.LastModifiedDate)
		o.Doc = next.Doc
		return tx.InsertOpportunity(ctx, &o)
	})
}

// checkSnapshot reads the counter and the created rows and checks they agree
// with what a committed state can look like: the counter never goes back, and
// the counter row and created rows are consistent with each other.
func checkSnapshot(s store.Store, last *int) error {
	ctx := context.Background()
	c, err := s.GetOpportunity(ctx, scopeA, "O1")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(string(c.Doc))
	if err != nil {
		return err
	}
	if n < *last {
		return fmt.Errorf("counter went back from %d to %d", *last, n)
	}
	*last = n
	// Every created row carries a distinct counter value and, since the
	// counter was read first, at least n rows exist.
	rows, err := s.ListOpportunities(ctx, store.OpportunityQuery{Scope: scopeA, Descending: true,
		SortBy: store.SortIdentifier, Stages: []string{"Prospect"}})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, o := range rows {
		if i > 0 && store.CompareIDs(rows[i-1].ID, o.ID) <= 0 {
			return fmt.Errorf("rows out of order: %s then %s", rows[i-1].ID, o.ID)
		}
		if o.ID != "O1" && seen[string(o.Doc)] {
			return fmt.Errorf("two rows created with counter %s", o.Doc)
		}
		seen[string(o.Doc)] = true
	}
	if len(rows)-1 < n {
		return fmt.Errorf("counter is %d but only %d rows were created", n, len(rows)-1)
	}
	return nil
}
