package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

const solutionColumns = `account, catalog, id, name, category, status, created_ms`

func scanSolution(row rowScanner) (store.Solution, error) {
	var s store.Solution
	var created int64
	err := row.Scan(&s.Account, &s.Catalog, &s.ID, &s.Name, &s.Category, &s.Status, &created)
	s.CreatedDate = sqlquery.FromMillis(created)
	return s, err
}

func (r reader) GetSolution(ctx context.Context, scope store.Scope, id string) (*store.Solution, error) {
	s, err := scanSolution(r.q.QueryRowContext(ctx,
		`SELECT `+solutionColumns+` FROM solutions WHERE account = ? AND catalog = ? AND id = ?`,
		scope.Account, scope.Catalog, id))
	if err != nil {
		return nil, notFound("get solution", err)
	}
	return &s, nil
}

// PutSolution inserts s or replaces the solution with its ID.
func (t *tx) PutSolution(ctx context.Context, s *store.Solution) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO solutions (`+solutionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET name = excluded.name, category = excluded.category,
			status = excluded.status, created_ms = excluded.created_ms`,
		s.Account, s.Catalog, s.ID, s.Name, s.Category, s.Status, s.CreatedDate.UnixMilli())
	if err != nil {
		return fmt.Errorf("sqlite: put solution: %w", err)
	}
	return nil
}

// ListSolutions pages by offset: an account has few solutions, so the sort
// over its rows is cheap.
func (r reader) ListSolutions(ctx context.Context, q store.SolutionQuery) ([]store.Solution, error) {
	column, err := sqlquery.SolutionSortColumn(q.SortBy)
	if err != nil {
		return nil, err
	}
	var b sqlquery.Builder
	b.Add("account = ? AND catalog = ?", q.Account, q.Catalog)
	b.In("id", q.IDs)
	b.In("status", q.Statuses)
	b.In("category", q.Categories)
	dir := " ASC"
	if q.Descending {
		dir = " DESC"
	}
	orderBy := "id_len" + dir + ", id" + dir
	if column != "" {
		orderBy = column + dir + ", " + orderBy
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	query := `SELECT ` + solutionColumns + ` FROM solutions WHERE ` + strings.Join(b.Where, " AND ") +
		` ORDER BY ` + orderBy + ` LIMIT ? OFFSET ?`
	return queryAll(ctx, r.q, "list solutions", query, append(b.Args, limit, max(q.Offset, 0)), scanSolution)
}

func (r reader) CountSolutions(ctx context.Context, scope store.Scope) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM solutions WHERE account = ? AND catalog = ?`,
		scope.Account, scope.Catalog).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count solutions: %w", err)
	}
	return n, nil
}
