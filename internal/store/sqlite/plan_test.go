package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// TestListingPlansAreIndexed checks SQLite's plan for every sort order,
// direction, filter and cursor: a page is a search of the sort order's index,
// never a scan, and never sorted — except with an ID filter, where the rows
// come from primary-key lookups and at most len(IDs) of them are sorted.
func TestListingPlansAreIndexed(t *testing.T) {
	s := mustOpen(t, ":memory:")
	defer s.Close()
	ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	filters := map[string]func(q *store.OpportunityQuery){
		"none":     func(*store.OpportunityQuery) {},
		"stage":    func(q *store.OpportunityQuery) { q.Stages = []string{"Prospect", "Qualified"} },
		"review":   func(q *store.OpportunityQuery) { q.ReviewStatuses = []string{"Approved"} },
		"company":  func(q *store.OpportunityQuery) { q.CustomerCompany = []string{"Acme", "Zeta"} },
		"modified": func(q *store.OpportunityQuery) { q.ModifiedAfter, q.ModifiedBefore = &ts, &ts },
		"created":  func(q *store.OpportunityQuery) { q.CreatedAfter, q.CreatedBefore = &ts, &ts },
		"close":    func(q *store.OpportunityQuery) { q.TargetCloseAfter, q.TargetCloseBefore = "2025-01-01", "2026-01-01" },
		"all": func(q *store.OpportunityQuery) {
			q.Stages, q.ReviewStatuses, q.CustomerCompany = []string{"Prospect"}, []string{"Approved"}, []string{"Acme"}
			q.ModifiedAfter, q.CreatedBefore, q.TargetCloseAfter = &ts, &ts, "2025-01-01"
		},
		"ids": func(q *store.OpportunityQuery) { q.IDs = []string{"O1000001", "O1000002"} },
	}
	for field, index := range sortIndexes {
		order, err := sqlquery.SortColumnOf(field)
		if err != nil {
			t.Fatal(err)
		}
		for _, desc := range []bool{false, true} {
			for name, filter := range filters {
				for _, cursor := range []bool{false, true} {
					q := store.OpportunityQuery{Scope: store.Scope{Account: "a", Catalog: "AWS"},
						SortBy: field, Descending: desc, Limit: 101}
					filter(&q)
					if cursor {
						q.After = &store.Position{Key: store.FormatMillis(ts), ID: "O1000001"}
					}
					plan := explain(t, s, q)
					label := fmt.Sprintf("%s desc=%v filter=%s cursor=%v", field, desc, name, cursor)
					lookup, byLookup := lookupIndex(q)
					checkPlan(t, label, plan, order.Column, index, lookup, byLookup, cursor)
				}
			}
		}
	}
}

func checkPlan(t *testing.T, label string, plan []string, column, sortIndex, lookup string, byLookup, cursor bool) {
	t.Helper()
	index, sortedRows := sortIndex, "USE TEMP B-TREE"
	if byLookup {
		index = lookup
	}
	joined := strings.Join(plan, "\n")
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN") {
			t.Errorf("%s: plan scans:\n%s", label, joined)
		}
		if strings.Contains(line, sortedRows) && !(byLookup && lookup != sortIndex) {
			t.Errorf("%s: plan sorts:\n%s", label, joined)
		}
	}
	if !strings.Contains(joined, "SEARCH opportunities USING INDEX "+index+" (account=? AND catalog=?") {
		t.Errorf("%s: plan does not search %s by scope:\n%s", label, index, joined)
	}
	// The cursor must position the index search, not filter a walk from the start.
	if cursor && (!byLookup || sortIndex == lookup) {
		seek := "(id_len,id)"
		if column != "" {
			seek = "(" + column + ",id_len,id)"
		}
		if !strings.Contains(joined, seek) && !strings.Contains(joined, column+"=?") {
			t.Errorf("%s: cursor does not seek the index:\n%s", label, joined)
		}
	}
}

// TestDocumentListingFollowsTheKey checks that a listing with a one-value
// key filter starts from the key index, not from every document of the kind.
func TestDocumentListingFollowsTheKey(t *testing.T) {
	s := mustOpen(t, ":memory:")
	defer s.Close()
	q := store.DocumentQuery{Kind: "engagement", Catalog: "AWS", Limit: 20,
		Match: map[string][]string{"member": {"111111111111"}, "contextType": {"Lead", "CustomerProject"}}}
	query, args, err := buildListDocuments(q)
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(explainQuery(t, s, query, args), "\n")
	if !strings.Contains(plan, "SEARCH k0 USING COVERING INDEX document_keys_by_value") || strings.Contains(plan, "SCAN d") {
		t.Fatalf("plan does not start from the key index:\n%s", plan)
	}
}

func explain(t *testing.T, s *Store, q store.OpportunityQuery) []string {
	t.Helper()
	query, args, err := buildListOpportunities(q)
	if err != nil {
		t.Fatal(err)
	}
	return explainQuery(t, s, query, args)
}

func explainQuery(t *testing.T, s *Store, query string, args []any) []string {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
