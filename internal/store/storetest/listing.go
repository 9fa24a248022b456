package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

var sortFields = []store.SortField{store.SortLastModifiedDate, store.SortIdentifier, store.SortCustomerCompany,
	store.SortCreatedDate, store.SortTargetCloseDate}

var (
	stages    = []string{"Prospect", "Qualified", "Technical Validation", "Business Validation", "Committed", "Launched", "Closed Lost"}
	reviews   = []string{"Pending Submission", "Submitted", "In review", "Approved", "Rejected", "Action Required"}
	companies = []string{"", "Acme", "acme", "Acme ", "Zeta GmbH", "Ärger AG", "beta", "Beta"}
	dates     = []string{"", "2025-01-31", "2025-02-01", "2025-06-30", "2025-10-11", "2026-01-01"}
)

// randomOpportunities makes n rows in scope with many ties on every sort key
// and IDs of different lengths, so ordering and tie-breaks are exercised.
func randomOpportunities(rng *rand.Rand, scope store.Scope, n int, taken map[string]bool) []store.Opportunity {
	var out []store.Opportunity
	for len(out) < n {
		id := fmt.Sprintf("O%d", rng.Int64N(int64(10)<<rng.IntN(30)))
		if taken[scope.Account+scope.Catalog+id] {
			continue
		}
		taken[scope.Account+scope.Catalog+id] = true
		out = append(out, randomOpportunity(rng, scope, id))
	}
	return out
}

func randomOpportunity(rng *rand.Rand, scope store.Scope, id string) store.Opportunity {
	o := newOpportunity(scope, id, randomTime(rng))
	o.CreatedDate = randomTime(rng)
	o.Stage = stages[rng.IntN(len(stages))]
	o.ReviewStatus = reviews[rng.IntN(len(reviews))]
	o.CustomerCompany = companies[rng.IntN(len(companies))]
	o.TargetCloseDate = dates[rng.IntN(len(dates))]
	return o
}

// randomTime is one of few milliseconds (for ties), sometimes with
// sub-millisecond noise the store must drop.
func randomTime(rng *rand.Rand) time.Time {
	t := baseTime.Add(time.Duration(rng.IntN(40)) * time.Millisecond)
	if rng.IntN(4) == 0 {
		t = t.Add(time.Duration(rng.IntN(1000000)))
	}
	return t
}

// randomQuery draws a random combination of filters.
func randomQuery(rng *rand.Rand, scope store.Scope, rows []store.Opportunity) store.OpportunityQuery {
	q := store.OpportunityQuery{Scope: scope}
	pick := func(from []string) []string {
		out := []string{}
		for len(out) == 0 {
			for _, v := range from {
				if rng.IntN(3) == 0 {
					out = append(out, v)
				}
			}
		}
		return out
	}
	bound := func() *time.Time { t := randomTime(rng); return &t }
	if rng.IntN(4) == 0 {
		for i := 0; i < 1+rng.IntN(6); i++ {
			q.IDs = append(q.IDs, rows[rng.IntN(len(rows))].ID)
		}
		q.IDs = append(q.IDs, "O0")
	}
	if rng.IntN(3) == 0 {
		q.Stages = pick(stages)
	}
	if rng.IntN(3) == 0 {
		q.ReviewStatuses = pick(reviews)
	}
	if rng.IntN(4) == 0 {
		q.CustomerCompany = pick(companies)
	}
	if rng.IntN(4) == 0 {
		q.ModifiedAfter = bound()
	}
	if rng.IntN(4) == 0 {
		q.ModifiedBefore = bound()
	}
	if rng.IntN(4) == 0 {
		q.CreatedAfter = bound()
	}
	if rng.IntN(4) == 0 {
		q.CreatedBefore = bound()
	}
	if rng.IntN(4) == 0 {
		q.TargetCloseAfter = dates[1+rng.IntN(len(dates)-1)]
	}
	if rng.IntN(4) == 0 {
		q.TargetCloseBefore = dates[1+rng.IntN(len(dates)-1)]
	}
	return q
}

// compareIn orders two rows as ListOpportunities must for q: by the sort
// key's position text (times as FormatMillis sort as strings), ties by ID.
func compareIn(q store.OpportunityQuery) func(a, b store.Opportunity) int {
	return func(a, b store.Opportunity) int {
		return comparePositions(q, store.PositionOf(&a, q.SortBy), store.PositionOf(&b, q.SortBy))
	}
}

func comparePositions(q store.OpportunityQuery, a, b store.Position) int {
	c := store.CompareIDs(a.ID, b.ID)
	if q.SortBy != store.SortIdentifier {
		c = cmp.Or(cmp.Compare(a.Key, b.Key), c)
	}
	if q.Descending {
		return -c
	}
	return c
}

// matchesQuery is the reference filter; rows are as stored (ms precision).
func matchesQuery(q store.OpportunityQuery, o store.Opportunity) bool {
	o = truncated(o)
	inDates := q.TargetCloseAfter == "" && q.TargetCloseBefore == "" ||
		o.TargetCloseDate != "" && o.TargetCloseDate >= q.TargetCloseAfter &&
			(q.TargetCloseBefore == "" || o.TargetCloseDate <= q.TargetCloseBefore)
	return o.Scope == q.Scope && matches(q.IDs, o.ID) && matches(q.Stages, o.Stage) &&
		matches(q.ReviewStatuses, o.ReviewStatus) && matches(q.CustomerCompany, o.CustomerCompany) &&
		(q.ModifiedAfter == nil || !o.LastModifiedDate.Before(*q.ModifiedAfter)) &&
		(q.ModifiedBefore == nil || !o.LastModifiedDate.After(*q.ModifiedBefore)) &&
		(q.CreatedAfter == nil || !o.CreatedDate.Before(*q.CreatedAfter)) &&
		(q.CreatedBefore == nil || !o.CreatedDate.After(*q.CreatedBefore)) && inDates
}

// referenceList is ListOpportunities (without After and Limit) computed in Go.
func referenceList(rows []store.Opportunity, q store.OpportunityQuery) []store.Opportunity {
	var out []store.Opportunity
	for _, o := range rows {
		if matchesQuery(q, o) {
			out = append(out, truncated(o))
		}
	}
	slices.SortFunc(out, compareIn(q))
	return out
}

// rowsAfter keeps the rows strictly after pos in q's order.
func rowsAfter(q store.OpportunityQuery, rows []store.Opportunity, pos *store.Position) []store.Opportunity {
	if pos == nil {
		return rows
	}
	var out []store.Opportunity
	for _, o := range rows {
		if comparePositions(q, store.PositionOf(&o, q.SortBy), *pos) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// walk pages through q, starting after q.After, with pageSize rows per call,
// calling between(page number) after each page, and returns every row it saw.
func walk(t *testing.T, s store.Reader, q store.OpportunityQuery, pageSize int, between func(int)) []store.Opportunity {
	t.Helper()
	q.Limit = pageSize
	var all []store.Opportunity
	for page := 0; ; page++ {
		got, err := s.ListOpportunities(context.Background(), q)
		if err != nil {
			t.Fatalf("ListOpportunities(%+v): %v", q, err)
		}
		if len(got) > pageSize {
			t.Fatalf("ListOpportunities returned %d rows, Limit %d", len(got), pageSize)
		}
		all = append(all, got...)
		if len(got) < pageSize {
			return all
		}
		pos := store.PositionOf(&got[len(got)-1], q.SortBy)
		q.After = &pos
		between(page)
	}
}

func diffList(got, want []store.Opportunity) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d rows %v\nwant %d rows %v", len(got), ids(got), len(want), ids(want))
	}
	for i := range got {
		if d := diffOpportunity(got[i], want[i]); d != "" {
			return fmt.Sprintf("row %d: %s\ngot  %v\nwant %v", i, d, ids(got), ids(want))
		}
	}
	return ""
}

func testListMatchesReference(t *testing.T, s store.Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	taken := map[string]bool{}
	rows := randomOpportunities(rng, scopeA, 400, taken)
	// Same IDs and keys in neighbouring scopes must never leak in.
	for _, sc := range []store.Scope{scopeSandbox, scopeOtherAcc} {
		for _, o := range rows[:100] {
			o.Scope = sc
			rows = append(rows, o)
		}
	}
	insert(t, s, rows...)

	for trial := 0; trial < 40; trial++ {
		q := randomQuery(rng, scopeA, rows)
		for _, field := range sortFields {
			for _, desc := range []bool{false, true} {
				q.SortBy, q.Descending, q.After = field, desc, nil
				want := referenceList(rows, q)
				if trial == 0 {
					// Limit <= 0 means the whole result.
					got, err := s.ListOpportunities(context.Background(), q)
					if err != nil {
						t.Fatal(err)
					}
					if d := diffList(got, want); d != "" {
						t.Fatalf("ListOpportunities(%s desc=%v, no limit): %s", field, desc, d)
					}
				}
				// Sometimes resume from any row's position, even one the
				// filters exclude (a cursor before, inside or past a range).
				if rng.IntN(3) == 0 {
					from := rows[rng.IntN(400)]
					pos := store.PositionOf(&from, field)
					q.After = &pos
				}
				want = rowsAfter(q, want, q.After)
				got := walk(t, s, q, 1+rng.IntN(40), func(int) {})
				if d := diffList(got, want); d != "" {
					t.Fatalf("trial %d, %s desc=%v, query %+v:\n%s", trial, field, desc, q, d)
				}
			}
		}
	}
}

func testPaginationStability(t *testing.T, s store.Store) {
	rng := rand.New(rand.NewPCG(3, 4))
	taken := map[string]bool{}
	current := map[string]store.Opportunity{}
	initial := randomOpportunities(rng, scopeA, 150, taken)
	insert(t, s, initial...)
	for _, o := range initial {
		current[o.ID] = truncated(o)
	}
	for _, field := range sortFields {
		for _, desc := range []bool{false, true} {
			q := store.OpportunityQuery{Scope: scopeA, SortBy: field, Descending: desc}
			var before []store.Opportunity
			for _, o := range current {
				before = append(before, o)
			}
			changed := map[string]bool{}
			got := walk(t, s, q, 3+rng.IntN(10), func(page int) {
				// Between pages, other clients create rows and edit rows
				// (for a while: rows moving ahead could prolong the walk).
				if page >= 12 {
					return
				}
				for _, o := range randomOpportunities(rng, scopeA, 2, taken) {
					insert(t, s, o)
					current[o.ID] = truncated(o)
				}
				for i := 0; i < 2; i++ {
					old := before[rng.IntN(len(before))]
					old = current[old.ID]
					next := randomOpportunity(rng, scopeA, old.ID)
					next.LastModifiedDate = old.LastModifiedDate.Add(time.Duration(1+rng.IntN(30)) * time.Millisecond)
					update(t, s, func(ctx context.Context, tx store.Tx) error {
						return tx.UpdateOpportunity(ctx, &next, old.LastModifiedDate)
					})
					current[next.ID] = truncated(next)
					changed[next.ID] = true
				}
			})
			// Every row untouched during the walk appears once, in order.
			var stable []store.Opportunity
			isStable := map[string]bool{}
			for _, o := range referenceList(before, q) {
				if !changed[o.ID] {
					stable = append(stable, o)
					isStable[o.ID] = true
				}
			}
			var seen []store.Opportunity
			for _, o := range got {
				if isStable[o.ID] {
					seen = append(seen, o)
				}
			}
			if d := diffList(seen, stable); d != "" {
				t.Fatalf("%s desc=%v: unchanged rows while paging: %s", field, desc, d)
			}
		}
	}
}

func testBadPosition(t *testing.T, s store.Store) {
	insert(t, s, newOpportunity(scopeA, "O1000001", baseTime))
	for _, field := range []store.SortField{store.SortLastModifiedDate, store.SortCreatedDate} {
		for _, key := range []string{"", "yesterday", "2025-02-19T03:11:25Z", "2025-02-19T03:11:25.000+01:00"} {
			q := store.OpportunityQuery{Scope: scopeA, SortBy: field, After: &store.Position{Key: key, ID: "O1"}, Limit: 10}
			if _, err := s.ListOpportunities(context.Background(), q); !errors.Is(err, store.ErrBadPosition) {
				t.Errorf("%s after key %q: %v, want ErrBadPosition", field, key, err)
			}
		}
	}
}
