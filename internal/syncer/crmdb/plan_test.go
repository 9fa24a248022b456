package crmdb

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The connector's steady-state queries search indexes; none scans the
// opportunities table (SQLite's plans; PostgreSQL picks by statistics).
func TestSQLiteQueriesSearchIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := openSQLite(ctx, filepath.Join(t.TempDir(), "crm.db"), latest)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for query, index := range map[string]string{
		`SELECT ` + opportunityColumns + ` FROM opportunities WHERE catalog = ? AND ` + inOutbox + ` ORDER BY crm_id`: "opportunities_outbox",
		newestQuery:      "opportunities_changed",
		versionsQuery(3): "opportunities_pc_id",
		matchQuery:       "opportunities_pc_id",
	} {
		args := make([]any, strings.Count(query, "?"))
		for i := range args {
			args[i] = "x"
		}
		plan := explain(t, s, query, args)
		if !strings.Contains(plan, index) || strings.Contains(plan, "SCAN opportunities") {
			t.Errorf("%s\nplan:\n%s\nwant a search of %s and no scan", query, plan, index)
		}
	}
}

func explain(t *testing.T, s *sqlStore, query string, args []any) string {
	t.Helper()
	rows, err := s.conn().query(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan.String()
}
