// Package storetest is the conformance suite every store.Store
// implementation must pass. An implementation's own test calls Run.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// Run runs the whole suite. open must return a new, empty store for each
// call; Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"OpportunityCRUD", testOpportunityCRUD},
		{"OpportunityCompareAndSwap", testCompareAndSwap},
		{"ScopeIsolation", testScopeIsolation},
		{"OpportunityNumbers", testOpportunityNumbers},
		{"TransactionRollback", testTransactionRollback},
		{"Idempotency", testIdempotency},
		{"Tags", testTags},
		{"Settings", testSettings},
		{"Solutions", testSolutions},
		{"ListOpportunitiesMatchesReference", testListMatchesReference},
		{"ListOpportunitiesPaginationStability", testPaginationStability},
		{"ListOpportunitiesBadPosition", testBadPosition},
		{"ConcurrentReadersAndWriters", testConcurrency},
		{"Documents", testDocuments},
		{"ListDocuments", testListDocuments},
		{"Events", testEvents},
		{"ResetScope", testResetScope},
		{"ResetAll", testResetAll},
		{"Leases", testLeases},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

var (
	scopeA        = store.Scope{Account: "111111111111", Catalog: "AWS"}
	scopeSandbox  = store.Scope{Account: "111111111111", Catalog: "Sandbox"}
	scopeOtherAcc = store.Scope{Account: "222222222222", Catalog: "AWS"}
)

// baseTime is a fixed instant so results never depend on the wall clock.
var baseTime = time.Date(2025, 2, 19, 3, 11, 25, 0, time.UTC)

// update runs fn in a transaction and fails the test on error.
func update(t *testing.T, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := s.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func insert(t *testing.T, s store.Store, opps ...store.Opportunity) {
	t.Helper()
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := range opps {
			if err := tx.InsertOpportunity(ctx, &opps[i]); err != nil {
				return fmt.Errorf("insert %s: %w", opps[i].ID, err)
			}
		}
		return nil
	})
}

// newOpportunity returns a fully populated opportunity in scope.
func newOpportunity(scope store.Scope, id string, modified time.Time) store.Opportunity {
	return store.Opportunity{
		Scope:            scope,
		ID:               id,
		CreatedDate:      modified.Add(-time.Hour),
		LastModifiedDate: modified,
		Stage:            "Prospect",
		ReviewStatus:     "Pending Submission",
		CustomerCompany:  "Example Corp " + id,
		TargetCloseDate:  "2025-10-11",
		Doc:              []byte(`{"Id":"` + id + `","Project":{"Title":"t"}}`),
		Summary:          []byte(`{"Id":"` + id + `"}`),
	}
}

// truncated is o as a store returns it: times at millisecond precision, UTC.
func truncated(o store.Opportunity) store.Opportunity {
	o.CreatedDate = o.CreatedDate.Truncate(time.Millisecond).UTC()
	o.LastModifiedDate = o.LastModifiedDate.Truncate(time.Millisecond).UTC()
	return o
}

// diffOpportunity describes how got differs from want, or returns "".
func diffOpportunity(got, want store.Opportunity) string {
	want = truncated(want)
	switch {
	case got.Scope != want.Scope || got.ID != want.ID:
		return fmt.Sprintf("key %v/%s, want %v/%s", got.Scope, got.ID, want.Scope, want.ID)
	case !got.CreatedDate.Equal(want.CreatedDate):
		return fmt.Sprintf("%s: CreatedDate %v, want %v", got.ID, got.CreatedDate, want.CreatedDate)
	case !got.LastModifiedDate.Equal(want.LastModifiedDate):
		return fmt.Sprintf("%s: LastModifiedDate %v, want %v", got.ID, got.LastModifiedDate, want.LastModifiedDate)
	case got.Stage != want.Stage || got.ReviewStatus != want.ReviewStatus:
		return fmt.Sprintf("%s: stage/review %q/%q, want %q/%q", got.ID, got.Stage, got.ReviewStatus, want.Stage, want.ReviewStatus)
	case got.CustomerCompany != want.CustomerCompany || got.TargetCloseDate != want.TargetCloseDate:
		return fmt.Sprintf("%s: company/close %q/%q, want %q/%q", got.ID, got.CustomerCompany, got.TargetCloseDate,
			want.CustomerCompany, want.TargetCloseDate)
	case !bytes.Equal(got.Doc, want.Doc):
		return fmt.Sprintf("%s: Doc %q, want %q", got.ID, got.Doc, want.Doc)
	case !bytes.Equal(got.Summary, want.Summary):
		return fmt.Sprintf("%s: Summary %q, want %q", got.ID, got.Summary, want.Summary)
	}
	return ""
}

func ids(opps []store.Opportunity) []string {
	out := make([]string, len(opps))
	for i, o := range opps {
		out[i] = o.ID
	}
	return out
}

// mustGet reads an opportunity through the store (outside a transaction).
func mustGet(t *testing.T, s store.Reader, scope store.Scope, id string) store.Opportunity {
	t.Helper()
	o, err := s.GetOpportunity(context.Background(), scope, id)
	if err != nil {
		t.Fatalf("GetOpportunity(%v, %s): %v", scope, id, err)
	}
	return *o
}
