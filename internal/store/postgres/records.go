package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

func (r reader) GetIdempotency(ctx context.Context, scope store.Scope, operation, token string) (*store.Idempotency, error) {
	rec := store.Idempotency{Scope: scope, Operation: operation, Token: token}
	var created int64
	err := r.scanRow(ctx, `SELECT request_hash, response, created_ms FROM idempotency
		WHERE account = ? AND catalog = ? AND operation = ? AND token = ?`,
		[]any{scope.Account, scope.Catalog, operation, token}, &rec.RequestHash, &rec.Response, &created)
	if err != nil {
		return nil, notFound("get idempotency record", err)
	}
	rec.CreatedAt = sqlquery.FromMillis(created)
	return &rec, nil
}

// PutIdempotency records rec, replacing any record with the same token.
// Two replicas racing to record the same token are two transactions
// writing one row: the serializable loser runs again and finds the
// winner's record.
func (t *tx) PutIdempotency(ctx context.Context, rec *store.Idempotency) error {
	_, err := t.exec(ctx, `INSERT INTO idempotency
		(account, catalog, operation, token, request_hash, response, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, catalog, operation, token) DO UPDATE SET request_hash = excluded.request_hash,
			response = excluded.response, created_ms = excluded.created_ms`,
		rec.Account, rec.Catalog, rec.Operation, rec.Token, rec.RequestHash, nonNil(rec.Response), rec.CreatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: put idempotency record: %w", err)
	}
	return nil
}

func (r reader) GetSetting(ctx context.Context, scope store.Scope, name string) (string, error) {
	var v string
	err := r.scanRow(ctx, `SELECT value FROM settings WHERE account = ? AND catalog = ? AND name = ?`,
		[]any{scope.Account, scope.Catalog, name}, &v)
	if err != nil {
		return "", notFound("get setting", err)
	}
	return v, nil
}

func (t *tx) PutSetting(ctx context.Context, scope store.Scope, name, value string) error {
	_, err := t.exec(ctx, `INSERT INTO settings (account, catalog, name, value) VALUES (?, ?, ?, ?)
		ON CONFLICT (account, catalog, name) DO UPDATE SET value = excluded.value`, scope.Account, scope.Catalog, name, value)
	if err != nil {
		return fmt.Errorf("postgres: put setting: %w", err)
	}
	return nil
}

func (r reader) ListTags(ctx context.Context, account, arn string) ([]store.Tag, error) {
	return queryAll(ctx, r, "list tags", `SELECT key, value FROM tags WHERE account = ? AND arn = ? ORDER BY key`,
		[]any{account, arn}, func(row pgx.Row) (store.Tag, error) {
			var tag store.Tag
			err := row.Scan(&tag.Key, &tag.Value)
			return tag, err
		})
}

func (t *tx) PutTags(ctx context.Context, account, arn string, tags []store.Tag) error {
	for _, tag := range tags {
		if _, err := t.exec(ctx, `INSERT INTO tags (account, arn, key, value) VALUES (?, ?, ?, ?)
			ON CONFLICT (account, arn, key) DO UPDATE SET value = excluded.value`, account, arn, tag.Key, tag.Value); err != nil {
			return fmt.Errorf("postgres: put tags: %w", err)
		}
	}
	return nil
}

func (t *tx) RemoveTags(ctx context.Context, account, arn string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if _, err := t.exec(ctx, `DELETE FROM tags WHERE account = ? AND arn = ? AND key = ANY(?)`, account, arn, keys); err != nil {
		return fmt.Errorf("postgres: remove tags: %w", err)
	}
	return nil
}

const solutionColumns = `account, catalog, id, name, category, status, created_ms`

func scanSolution(row pgx.Row) (store.Solution, error) {
	var s store.Solution
	var created int64
	err := row.Scan(&s.Account, &s.Catalog, &s.ID, &s.Name, &s.Category, &s.Status, &created)
	s.CreatedDate = sqlquery.FromMillis(created)
	return s, err
}

func (r reader) GetSolution(ctx context.Context, scope store.Scope, id string) (*store.Solution, error) {
	s, err := scanSolution(r.q.QueryRow(ctx, sqlquery.Rebind(`SELECT `+solutionColumns+` FROM solutions
		WHERE account = ? AND catalog = ? AND id = ?`), scope.Account, scope.Catalog, id))
	if err != nil {
		return nil, notFound("get solution", r.note(err))
	}
	return &s, nil
}

// PutSolution inserts s or replaces the solution with its ID.
func (t *tx) PutSolution(ctx context.Context, s *store.Solution) error {
	_, err := t.exec(ctx, `INSERT INTO solutions (`+solutionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, catalog, id) DO UPDATE SET name = excluded.name, category = excluded.category,
			status = excluded.status, created_ms = excluded.created_ms`,
		s.Account, s.Catalog, s.ID, s.Name, s.Category, s.Status, s.CreatedDate.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: put solution: %w", err)
	}
	return nil
}

// ListSolutions pages by offset: an account has few solutions.
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
	var limit any // NULL: no limit
	if q.Limit > 0 {
		limit = q.Limit
	}
	query := `SELECT ` + solutionColumns + ` FROM solutions WHERE ` + b.Clause() + ` ORDER BY ` + orderBy + ` LIMIT ? OFFSET ?`
	return queryAll(ctx, r, "list solutions", query, append(b.Args, limit, max(q.Offset, 0)), scanSolution)
}

func (r reader) CountSolutions(ctx context.Context, scope store.Scope) (int, error) {
	var n int
	if err := r.scanRow(ctx, `SELECT count(*) FROM solutions WHERE account = ? AND catalog = ?`,
		[]any{scope.Account, scope.Catalog}, &n); err != nil {
		return 0, fmt.Errorf("postgres: count solutions: %w", err)
	}
	return n, nil
}
