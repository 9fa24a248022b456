package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

var benchScope = store.Scope{Account: "111111111111", Catalog: "AWS"}

// benchOpportunity is row number n of a synthetic store: spread over a year,
// a few hundred companies, every stage, a realistic document size.
func benchOpportunity(n int64) store.Opportunity {
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(365*24*3600*1000)) * time.Millisecond)
	id := fmt.Sprintf("O%d", 1000000+n)
	close := ""
	if rng.IntN(5) > 0 {
		close = created.AddDate(0, 3, rng.IntN(90)).Format(time.DateOnly)
	}
	return store.Opportunity{
		Scope: benchScope, ID: id, CreatedDate: created,
		LastModifiedDate: created.Add(time.Duration(rng.Int64N(30*24*3600*1000)) * time.Millisecond),
		Stage:            []string{"Prospect", "Qualified", "Technical Validation", "Business Validation", "Committed", "Launched", "Closed Lost"}[rng.IntN(7)],
		ReviewStatus:     []string{"Pending Submission", "Submitted", "In review", "Approved", "Rejected", "Action Required"}[rng.IntN(6)],
		CustomerCompany:  fmt.Sprintf("Customer %03d", rng.IntN(500)),
		TargetCloseDate:  close,
		Doc:              fmt.Appendf(nil, `{"Id":%q,"Project":{"Title":"Project %d","CustomerBusinessProblem":"%0400d"}}`, id, n, n),
	}
}

// seed bulk-loads n rows in batches (bounded memory), numbered 1..n.
func seed(b *testing.B, s *Store, n int) {
	b.Helper()
	const batch = 50000
	for start := 0; start < n; start += batch {
		opps := make([]store.Opportunity, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			opps = append(opps, benchOpportunity(int64(i+1)))
		}
		if err := s.BulkInsertOpportunities(context.Background(), opps); err != nil {
			b.Fatal(err)
		}
	}
}

func benchStore(b *testing.B, rows int) *Store {
	b.Helper()
	s := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	b.Cleanup(func() { s.Close() })
	seed(b, s, rows)
	return s
}

func BenchmarkInsert(b *testing.B) {
	s := benchStore(b, 0)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := benchOpportunity(int64(i + 1))
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.InsertOpportunity(ctx, &o) }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetByID(b *testing.B) {
	const rows = 100000
	s := benchStore(b, rows)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.GetOpportunity(ctx, benchScope, fmt.Sprintf("O%d", 1000001+i%rows)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCASUpdate(b *testing.B) {
	const rows = 100000
	s := benchStore(b, rows)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("O%d", 1000001+i%rows)
		err := s.Update(ctx, func(tx store.Tx) error {
			o, err := tx.GetOpportunity(ctx, benchScope, id)
			if err != nil {
				return err
			}
			expected := o.LastModifiedDate
			o.LastModifiedDate = expected.Add(time.Millisecond)
			return tx.UpdateOpportunity(ctx, o, expected)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListPage fetches filtered 100-row pages (plus the look-ahead row)
// from a million opportunities, following cursors deep into the listing.
// Seeding takes a while, so it runs only when named: -bench ListPage.
func BenchmarkListPage(b *testing.B) {
	benchmarkListPageOn(b, benchStore(b, 1000000))
}

func benchmarkListPageOn(b *testing.B, s *Store) {
	ctx := context.Background()
	after := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	queries := map[string]store.OpportunityQuery{
		"LastModifiedDesc": {SortBy: store.SortLastModifiedDate, Descending: true},
		"StageFilter":      {SortBy: store.SortLastModifiedDate, Descending: true, Stages: []string{"Committed", "Launched"}},
		"CompanyAsc":       {SortBy: store.SortCustomerCompany, ReviewStatuses: []string{"Approved"}},
		"CreatedAfter":     {SortBy: store.SortCreatedDate, CreatedAfter: &after},
		"IdentifierDesc":   {SortBy: store.SortIdentifier, Descending: true},
	}
	for name, q := range queries {
		b.Run(name, func(b *testing.B) {
			q.Scope, q.Limit = benchScope, 101
			for i := 0; i < b.N; i++ {
				page, err := s.ListOpportunities(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(page) < 101 {
					q.After = nil // wrapped around: start again
					continue
				}
				pos := store.PositionOf(&page[99], q.SortBy)
				q.After = &pos
			}
		})
	}
}

// BenchmarkBulkInsert reports the seeding cost per row (batches of 50,000).
func BenchmarkBulkInsert(b *testing.B) {
	s := benchStore(b, 0)
	b.ResetTimer()
	seed(b, s, b.N)
}
