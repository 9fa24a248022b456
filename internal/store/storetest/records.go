package storetest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

func testIdempotency(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.GetIdempotency(ctx, scopeA, "CreateOpportunity", "t1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetIdempotency(missing) = %v, want ErrNotFound", err)
	}
	rec := store.Idempotency{Scope: scopeA, Operation: "CreateOpportunity", Token: "t1", RequestHash: "h1",
		Response: []byte(`{"Id":"O1"}`), CreatedAt: baseTime.Add(1500 * time.Microsecond)}
	// The same token under another operation is a different record.
	other := rec
	other.Operation, other.RequestHash = "StartEngagementFromOpportunityTask", "h2"
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutIdempotency(ctx, &rec); err != nil {
			return err
		}
		return tx.PutIdempotency(ctx, &other)
	})
	for _, want := range []store.Idempotency{rec, other} {
		got, err := s.GetIdempotency(ctx, want.Scope, want.Operation, want.Token)
		if err != nil {
			t.Fatalf("GetIdempotency(%s): %v", want.Operation, err)
		}
		if got.Scope != want.Scope || got.Operation != want.Operation || got.Token != want.Token ||
			got.RequestHash != want.RequestHash || !bytes.Equal(got.Response, want.Response) ||
			!got.CreatedAt.Equal(want.CreatedAt.Truncate(time.Millisecond)) {
			t.Errorf("GetIdempotency = %+v, want %+v", got, want)
		}
	}
}

func testTags(t *testing.T, s store.Store) {
	ctx := context.Background()
	arn := "arn:aws:partnercentral:us-east-1:111111111111:catalog/AWS/opportunity/O1000001"
	list := func(account, arn string) []store.Tag {
		t.Helper()
		tags, err := s.ListTags(ctx, account, arn)
		if err != nil {
			t.Fatalf("ListTags: %v", err)
		}
		return tags
	}
	if tags := list(scopeA.Account, arn); len(tags) != 0 {
		t.Fatalf("new store has tags %v", tags)
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutTags(ctx, scopeA.Account, arn, []store.Tag{tag("b", "1"), tag("a", "2"), tag("c", "")}); err != nil {
			return err
		}
		return tx.PutTags(ctx, scopeOtherAcc.Account, arn, []store.Tag{tag("a", "other")})
	})
	if got, want := list(scopeA.Account, arn), []store.Tag{tag("a", "2"), tag("b", "1"), tag("c", "")}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ListTags = %v, want %v (sorted by key)", got, want)
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.PutTags(ctx, scopeA.Account, arn, []store.Tag{tag("a", "overwritten"), tag("d", "4")}); err != nil {
			return err
		}
		return tx.RemoveTags(ctx, scopeA.Account, arn, []string{"b", "missing"})
	})
	if got, want := list(scopeA.Account, arn), []store.Tag{tag("a", "overwritten"), tag("c", ""), tag("d", "4")}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after overwrite and remove ListTags = %v, want %v", got, want)
	}
	if got, want := list(scopeOtherAcc.Account, arn), []store.Tag{tag("a", "other")}; !reflect.DeepEqual(got, want) {
		t.Fatalf("other account's tags = %v, want %v", got, want)
	}
	if tags := list(scopeA.Account, arn+"x"); len(tags) != 0 {
		t.Fatalf("another ARN has tags %v", tags)
	}
}

func tag(key, value string) store.Tag { return store.Tag{Key: key, Value: value} }

func testSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.GetSetting(ctx, scopeA, "mode"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetSetting(missing) = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first", "second", ""} {
		update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.PutSetting(ctx, scopeA, "mode", v) })
		if got, err := s.GetSetting(ctx, scopeA, "mode"); err != nil || got != v {
			t.Fatalf("GetSetting = %q, %v; want %q", got, err, v)
		}
	}
}

func testSolutions(t *testing.T, s store.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	var all []store.Solution
	for i := 0; i < 40; i++ {
		all = append(all, store.Solution{
			Scope: scopeA,
			// Mixed widths check the numeric-looking ID order (CompareIDs).
			ID:          fmt.Sprintf("S-%0*d", 5+rng.IntN(3), i),
			Name:        fmt.Sprintf("Solution %d", rng.IntN(10)),
			Category:    []string{"Software Product", "Consulting Service", "Managed Service"}[rng.IntN(3)],
			Status:      []string{"Active", "Inactive", "Draft"}[rng.IntN(3)],
			CreatedDate: baseTime.Add(time.Duration(rng.IntN(5)) * time.Hour),
		})
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := range all {
			if err := tx.PutSolution(ctx, &all[i]); err != nil {
				return err
			}
		}
		// Put replaces: rename one solution.
		all[0].Name = "Renamed"
		return tx.PutSolution(ctx, &all[0])
	})
	if n, err := s.CountSolutions(ctx, scopeA); err != nil || n != len(all) {
		t.Fatalf("CountSolutions = %d, %v; want %d", n, err, len(all))
	}
	got, err := s.GetSolution(ctx, scopeA, all[0].ID)
	if err != nil || got.Name != "Renamed" || !got.CreatedDate.Equal(all[0].CreatedDate) {
		t.Fatalf("GetSolution = %+v, %v; want %+v", got, err, all[0])
	}
	if _, err := s.GetSolution(ctx, scopeA, "S-404"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetSolution(missing) = %v, want ErrNotFound", err)
	}

	keys := map[string]func(store.Solution) string{
		"Identifier":  func(store.Solution) string { return "" },
		"Name":        func(x store.Solution) string { return x.Name },
		"Status":      func(x store.Solution) string { return x.Status },
		"Category":    func(x store.Solution) string { return x.Category },
		"CreatedDate": func(x store.Solution) string { return store.FormatMillis(x.CreatedDate) },
	}
	for field, key := range keys {
		for _, desc := range []bool{false, true} {
			for trial := 0; trial < 5; trial++ {
				q := store.SolutionQuery{Scope: scopeA, SortBy: field, Descending: desc}
				if rng.IntN(2) == 0 {
					q.Statuses = []string{"Active", "Draft"}[:1+rng.IntN(2)]
				}
				if rng.IntN(3) == 0 {
					q.Categories = []string{"Managed Service"}
				}
				if rng.IntN(3) == 0 {
					q.IDs = []string{all[1].ID, all[2].ID, all[3].ID, "S-404"}
				}
				want := referenceSolutions(all, q, key)
				// Walk the result in offset pages of a random size.
				q.Limit = 1 + rng.IntN(7)
				var walked []store.Solution
				for q.Offset = 0; ; q.Offset += q.Limit {
					page, err := s.ListSolutions(ctx, q)
					if err != nil {
						t.Fatalf("ListSolutions(%+v): %v", q, err)
					}
					walked = append(walked, page...)
					if len(page) < q.Limit {
						break
					}
				}
				if !slices.EqualFunc(walked, want, sameSolution) {
					t.Fatalf("ListSolutions(%+v) =\n %v\nwant\n %v", q, walked, want)
				}
			}
		}
	}
}

func sameSolution(a, b store.Solution) bool {
	return a.Scope == b.Scope && a.ID == b.ID && a.Name == b.Name && a.Category == b.Category &&
		a.Status == b.Status && a.CreatedDate.Equal(b.CreatedDate)
}

// referenceSolutions is ListSolutions computed in Go: filter, then order by
// key with ties by ID, reversed as a whole for descending.
func referenceSolutions(all []store.Solution, q store.SolutionQuery, key func(store.Solution) string) []store.Solution {
	var out []store.Solution
	for _, x := range all {
		if x.Scope == q.Scope && matches(q.IDs, x.ID) && matches(q.Statuses, x.Status) && matches(q.Categories, x.Category) {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b store.Solution) int {
		c := cmp.Or(cmp.Compare(key(a), key(b)), store.CompareIDs(a.ID, b.ID))
		if q.Descending {
			return -c
		}
		return c
	})
	return out
}

// matches reports whether v passes an "any of" filter; an empty filter passes all.
func matches(filter []string, v string) bool { return len(filter) == 0 || slices.Contains(filter, v) }
