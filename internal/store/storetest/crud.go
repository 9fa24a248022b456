package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

func testOpportunityCRUD(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Sub-millisecond parts must be dropped, not rounded, and zones normalised.
	o := newOpportunity(scopeA, "O1000001", baseTime.Add(1234567*time.Nanosecond).In(time.FixedZone("X", 3600)))
	o.TargetCloseDate = ""
	o.Doc = nil
	insert(t, s, o)

	got := mustGet(t, s, scopeA, o.ID)
	if d := diffOpportunity(got, o); d != "" {
		t.Fatal(d)
	}
	page, err := s.ListOpportunities(ctx, store.OpportunityQuery{Scope: scopeA, SummariesOnly: true})
	if err != nil || len(page) != 1 || string(page[0].Summary) != string(o.Summary) || len(page[0].Doc) != 0 {
		t.Fatalf("SummariesOnly listing: %+v, %v", page, err)
	}
	if got.LastModifiedDate.Location() != time.UTC || got.LastModifiedDate.Nanosecond() != 1000000 {
		t.Fatalf("LastModifiedDate = %v, want UTC with exactly 1 ms", got.LastModifiedDate)
	}

	dup := newOpportunity(scopeA, o.ID, baseTime)
	err = s.Update(ctx, func(tx store.Tx) error { return tx.InsertOpportunity(ctx, &dup) })
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("second insert of %s: %v, want ErrExists", o.ID, err)
	}
	if d := diffOpportunity(mustGet(t, s, scopeA, o.ID), o); d != "" {
		t.Fatalf("failed insert changed the row: %s", d)
	}

	if _, err := s.GetOpportunity(ctx, scopeA, "O404"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetOpportunity(missing) = %v, want ErrNotFound", err)
	}
}

func testCompareAndSwap(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := newOpportunity(scopeA, "O1000001", baseTime)
	insert(t, s, o)

	next := o
	next.LastModifiedDate = baseTime.Add(time.Millisecond)
	next.Stage = "Qualified"
	next.Doc = []byte(`{"changed":true}`)
	// Expected is compared at millisecond precision: extra nanoseconds match.
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		return tx.UpdateOpportunity(ctx, &next, o.LastModifiedDate.Add(999*time.Microsecond))
	})
	if d := diffOpportunity(mustGet(t, s, scopeA, o.ID), next); d != "" {
		t.Fatal(d)
	}

	stale := o
	stale.Stage = "Lost"
	stale.LastModifiedDate = baseTime.Add(2 * time.Millisecond)
	err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateOpportunity(ctx, &stale, o.LastModifiedDate) })
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("update with old version: %v, want ErrStale", err)
	}
	if d := diffOpportunity(mustGet(t, s, scopeA, o.ID), next); d != "" {
		t.Fatalf("stale update changed the row: %s", d)
	}

	gone := newOpportunity(scopeA, "O404", baseTime)
	err = s.Update(ctx, func(tx store.Tx) error { return tx.UpdateOpportunity(ctx, &gone, baseTime) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of missing row: %v, want ErrNotFound", err)
	}
}

func testScopeIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	scopes := []store.Scope{scopeA, scopeSandbox, scopeOtherAcc}
	for i, sc := range scopes {
		o := newOpportunity(sc, "O1000001", baseTime.Add(time.Duration(i)*time.Second))
		o.Stage = sc.Account + sc.Catalog
		insert(t, s, o)
	}
	for i, sc := range scopes {
		got := mustGet(t, s, sc, "O1000001")
		if got.Scope != sc || got.Stage != sc.Account+sc.Catalog {
			t.Errorf("scope %v sees %v/%s", sc, got.Scope, got.Stage)
		}
		list, err := s.ListOpportunities(ctx, store.OpportunityQuery{Scope: sc, Limit: 10})
		if err != nil || len(list) != 1 || list[0].Scope != sc {
			t.Errorf("ListOpportunities(%v) = %v, %v; want only its own row", sc, list, err)
		}
		// A write in one scope with another scope's version fails there only.
		o := newOpportunity(sc, "O1000001", baseTime.Add(time.Minute))
		err = s.Update(ctx, func(tx store.Tx) error {
			return tx.UpdateOpportunity(ctx, &o, baseTime.Add(time.Duration((i+1)%3)*time.Second))
		})
		if !errors.Is(err, store.ErrStale) {
			t.Errorf("update in %v with another scope's version: %v, want ErrStale", sc, err)
		}
	}
	if _, err := s.GetOpportunity(ctx, store.Scope{Account: "333333333333", Catalog: "AWS"}, "O1000001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown account sees a row: %v", err)
	}

	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutSetting(ctx, scopeA, "name", "a"); err != nil {
			return err
		}
		if err := tx.PutSolution(ctx, &store.Solution{Scope: scopeA, ID: "S-0000001", Name: "n"}); err != nil {
			return err
		}
		return tx.PutIdempotency(ctx, &store.Idempotency{Scope: scopeA, Operation: "CreateOpportunity", Token: "tok"})
	})
	for _, sc := range scopes[1:] {
		if _, err := s.GetSetting(ctx, sc, "name"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetSetting from %v: %v, want ErrNotFound", sc, err)
		}
		if _, err := s.GetSolution(ctx, sc, "S-0000001"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetSolution from %v: %v, want ErrNotFound", sc, err)
		}
		if n, err := s.CountSolutions(ctx, sc); err != nil || n != 0 {
			t.Errorf("CountSolutions(%v) = %d, %v; want 0", sc, n, err)
		}
		if list, err := s.ListSolutions(ctx, store.SolutionQuery{Scope: sc}); err != nil || len(list) != 0 {
			t.Errorf("ListSolutions(%v) = %v, %v; want none", sc, list, err)
		}
		if _, err := s.GetIdempotency(ctx, sc, "CreateOpportunity", "tok"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetIdempotency from %v: %v, want ErrNotFound", sc, err)
		}
	}
}

func testOpportunityNumbers(t *testing.T, s store.Store) {
	var last int64
	for i := 0; i < 5; i++ {
		update(t, s, func(ctx context.Context, tx store.Tx) error {
			for j := 0; j < 3; j++ {
				n, err := tx.NextOpportunityNumber(ctx)
				if err != nil {
					return err
				}
				if n <= last {
					t.Errorf("NextOpportunityNumber = %d after %d, want strictly increasing", n, last)
				}
				last = n
			}
			return nil
		})
	}
	if last < 1000000 {
		t.Errorf("opportunity numbers start too low to look real: %d", last)
	}
}

func testTransactionRollback(t *testing.T, s store.Store) {
	ctx := context.Background()
	kept := newOpportunity(scopeA, "O1000001", baseTime)
	insert(t, s, kept)

	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		o := newOpportunity(scopeA, "O1000002", baseTime)
		if err := tx.InsertOpportunity(ctx, &o); err != nil {
			return err
		}
		// Reads inside the transaction see its own writes.
		if _, err := tx.GetOpportunity(ctx, scopeA, o.ID); err != nil {
			t.Errorf("transaction cannot read its own insert: %v", err)
		}
		changed := kept
		changed.LastModifiedDate = baseTime.Add(time.Second)
		changed.Stage = "Lost"
		if err := tx.UpdateOpportunity(ctx, &changed, kept.LastModifiedDate); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, scopeA, "k", "v"); err != nil {
			return err
		}
		if err := tx.PutTags(ctx, scopeA.Account, "arn:x", []store.Tag{{Key: "k", Value: "v"}}); err != nil {
			return err
		}
		if err := tx.PutSolution(ctx, &store.Solution{Scope: scopeA, ID: "S-0000001"}); err != nil {
			return err
		}
		if err := tx.PutIdempotency(ctx, &store.Idempotency{Scope: scopeA, Operation: "Op", Token: "t"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	if _, err := s.GetOpportunity(ctx, scopeA, "O1000002"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back insert is visible: %v", err)
	}
	if d := diffOpportunity(mustGet(t, s, scopeA, kept.ID), kept); d != "" {
		t.Errorf("rolled-back update is visible: %s", d)
	}
	if _, err := s.GetSetting(ctx, scopeA, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back setting is visible: %v", err)
	}
	if tags, err := s.ListTags(ctx, scopeA.Account, "arn:x"); err != nil || len(tags) != 0 {
		t.Errorf("rolled-back tags are visible: %v, %v", tags, err)
	}
	if _, err := s.GetSolution(ctx, scopeA, "S-0000001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back solution is visible: %v", err)
	}
	if _, err := s.GetIdempotency(ctx, scopeA, "Op", "t"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back idempotency record is visible: %v", err)
	}

	// A panic in the callback also rolls back, and the store stays usable.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in Update callback was swallowed")
			}
		}()
		s.Update(ctx, func(tx store.Tx) error {
			o := newOpportunity(scopeA, "O1000003", baseTime)
			if err := tx.InsertOpportunity(ctx, &o); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if _, err := s.GetOpportunity(ctx, scopeA, "O1000003"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("insert before a panic is visible: %v", err)
	}
	insert(t, s, newOpportunity(scopeA, "O1000004", baseTime))
}
