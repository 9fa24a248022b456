package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// resetFixture fills two accounts' scopes and the server-wide scope with
// one of everything, and returns the documents it wrote.
func resetFixture(t *testing.T, s store.Store) {
	t.Helper()
	docs := []*store.Document{
		// Only account A's name on it.
		{Kind: "task", Catalog: "AWS", ID: "task-a", Keys: map[string][]string{"owner": {scopeA.Account}, "status": {"COMPLETE"}}},
		// A and another account: shared.
		{Kind: "engagement", Catalog: "AWS", ID: "eng-shared", Keys: map[string][]string{"member": {scopeA.Account, scopeOtherAcc.Account}}},
		{Kind: "invitation", Catalog: "AWS", ID: "engi-shared", Keys: map[string][]string{"sender": {scopeA.Account}, "receiver": {scopeOtherAcc.Account}}},
		// A under two keys, nobody else: still A's alone.
		{Kind: "engagement", Catalog: "AWS", ID: "eng-a", Keys: map[string][]string{"member": {scopeA.Account}, "createdBy": {scopeA.Account}}},
		// A's, but in the other catalog.
		{Kind: "task", Catalog: "Sandbox", ID: "task-a-sandbox", Keys: map[string][]string{"owner": {scopeA.Account}}},
		// A only under a key that does not name accounts.
		{Kind: "task", Catalog: "AWS", ID: "task-unkeyed", Keys: map[string][]string{"note": {scopeA.Account}}},
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for _, scope := range []store.Scope{scopeA, scopeSandbox, scopeOtherAcc} {
			o := newOpportunity(scope, "O1", baseTime)
			if err := tx.InsertOpportunity(ctx, &o); err != nil {
				return err
			}
			if err := tx.PutIdempotency(ctx, &store.Idempotency{Scope: scope, Operation: "CreateOpportunity", Token: "t", RequestHash: "h", CreatedAt: baseTime}); err != nil {
				return err
			}
			if err := tx.PutSolution(ctx, &store.Solution{Scope: scope, ID: "S-1", Name: "n", Category: "c", Status: "Active", CreatedDate: baseTime}); err != nil {
				return err
			}
			if err := tx.PutSetting(ctx, scope, "role", "r"); err != nil {
				return err
			}
			if err := tx.PutTags(ctx, scope.Account, arnIn(scope), []store.Tag{{Key: "k", Value: "v"}}); err != nil {
				return err
			}
		}
		if err := tx.PutSetting(ctx, store.Scope{}, "server", "kept"); err != nil {
			return err
		}
		for _, d := range docs {
			d.CreatedAt = baseTime
			if err := tx.PutDocument(ctx, d, 0); err != nil {
				return err
			}
		}
		return tx.AppendEvent(ctx, &store.Event{Account: scopeA.Account, ID: "ev-1", Time: baseTime, DetailType: "Opportunity Created", Body: []byte(`{}`)})
	})
}

// arnIn is an ARN of the scope's catalog, as the domains write them.
func arnIn(scope store.Scope) string {
	return "arn:aws:partnercentral:us-east-1:" + scope.Account + ":catalog/" + scope.Catalog + "/opportunity/O1"
}

// scopeState says which of the scope's records are still there.
func scopeState(t *testing.T, s store.Store, scope store.Scope) (opp, idem, sol, setting, tag bool) {
	t.Helper()
	ctx := context.Background()
	present := func(err error) bool {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("read %v: %v", scope, err)
		}
		return err == nil
	}
	_, err := s.GetOpportunity(ctx, scope, "O1")
	opp = present(err)
	_, err = s.GetIdempotency(ctx, scope, "CreateOpportunity", "t")
	idem = present(err)
	_, err = s.GetSolution(ctx, scope, "S-1")
	sol = present(err)
	_, err = s.GetSetting(ctx, scope, "role")
	setting = present(err)
	tags, err := s.ListTags(ctx, scope.Account, arnIn(scope))
	if err != nil {
		t.Fatalf("ListTags: %v", err)
	}
	return opp, idem, sol, setting, len(tags) > 0
}

func docPresent(t *testing.T, s store.Store, kind, catalog, id string) bool {
	t.Helper()
	_, err := s.GetDocument(context.Background(), kind, catalog, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetDocument %s: %v", id, err)
	}
	return err == nil
}

func testResetScope(t *testing.T, s store.Store) {
	resetFixture(t, s)
	accountKeys := []string{"member", "owner", "sender", "receiver", "createdBy"}
	var removed int
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.DeleteScope(ctx, scopeA); err != nil {
			return err
		}
		if err := tx.DeleteTags(ctx, scopeA.Account, ":catalog/"+scopeA.Catalog+"/"); err != nil {
			return err
		}
		var err error
		removed, err = tx.DeleteDocumentsOf(ctx, scopeA.Catalog, scopeA.Account, accountKeys)
		return err
	})
	if opp, idem, sol, setting, tag := scopeState(t, s, scopeA); opp || idem || sol || setting || tag {
		t.Errorf("after the reset of %v: opportunity %v, idempotency %v, solution %v, setting %v, tag %v; want none", scopeA, opp, idem, sol, setting, tag)
	}
	for _, other := range []store.Scope{scopeSandbox, scopeOtherAcc} {
		if opp, idem, sol, setting, tag := scopeState(t, s, other); !opp || !idem || !sol || !setting || !tag {
			t.Errorf("the reset of %v touched %v: opportunity %v, idempotency %v, solution %v, setting %v, tag %v", scopeA, other, opp, idem, sol, setting, tag)
		}
	}
	if removed != 2 {
		t.Errorf("DeleteDocumentsOf removed %d documents, want 2 (task-a, eng-a)", removed)
	}
	for _, d := range []struct {
		kind, catalog, id string
		want              bool
	}{
		{"task", "AWS", "task-a", false},
		{"engagement", "AWS", "eng-a", false},
		{"engagement", "AWS", "eng-shared", true},
		{"invitation", "AWS", "engi-shared", true},
		{"task", "Sandbox", "task-a-sandbox", true},
		{"task", "AWS", "task-unkeyed", true},
	} {
		if got := docPresent(t, s, d.kind, d.catalog, d.id); got != d.want {
			t.Errorf("document %s present %v after the scoped reset, want %v", d.id, got, d.want)
		}
	}
	// A removed document's keys go with it: it no longer lists.
	got, err := s.ListDocuments(context.Background(), store.DocumentQuery{Kind: "task", Catalog: "AWS", Match: map[string][]string{"owner": {scopeA.Account}}})
	if err != nil || len(got) != 0 {
		t.Errorf("listing by a removed document's key: %d documents, %v", len(got), err)
	}
	if n, err := deleteOwned(s, "AWS", scopeA.Account, nil); err != nil || n != 0 {
		t.Errorf("DeleteDocumentsOf without keys removed %d (%v), want 0", n, err)
	}
}

func deleteOwned(s store.Store, catalog, account string, keys []string) (int, error) {
	var n int
	err := s.Update(context.Background(), func(tx store.Tx) error {
		var err error
		n, err = tx.DeleteDocumentsOf(context.Background(), catalog, account, keys)
		return err
	})
	return n, err
}

func testResetAll(t *testing.T, s store.Store) {
	ctx := context.Background()
	resetFixture(t, s)
	var before int64
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		var err error
		if before, err = tx.NextOpportunityNumber(ctx); err != nil {
			return err
		}
		return tx.DeleteAll(ctx)
	})
	for _, scope := range []store.Scope{scopeA, scopeSandbox, scopeOtherAcc} {
		if opp, idem, sol, setting, tag := scopeState(t, s, scope); opp || idem || sol || setting || tag {
			t.Errorf("after DeleteAll %v has opportunity %v, idempotency %v, solution %v, setting %v, tag %v", scope, opp, idem, sol, setting, tag)
		}
	}
	for _, id := range []string{"eng-shared", "eng-a"} {
		if docPresent(t, s, "engagement", "AWS", id) {
			t.Errorf("document %s survived DeleteAll", id)
		}
	}
	if events, err := s.ListEvents(ctx, store.EventQuery{}); err != nil || len(events) != 0 {
		t.Errorf("events after DeleteAll: %d, %v", len(events), err)
	}
	if v, err := s.GetSetting(ctx, store.Scope{}, "server"); err != nil || v != "kept" {
		t.Errorf("server-wide setting after DeleteAll: %q, %v; want it kept", v, err)
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		after, err := tx.NextOpportunityNumber(ctx)
		if err == nil && after <= before {
			t.Errorf("opportunity number %d after DeleteAll, want more than %d: IDs must never repeat", after, before)
		}
		// The store is usable as new: the same keys insert again.
		o := newOpportunity(scopeA, "O1", baseTime.Add(time.Hour))
		if err == nil {
			err = tx.InsertOpportunity(ctx, &o)
		}
		return err
	})
}
