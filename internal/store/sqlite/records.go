package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// notFound maps "no row" to store.ErrNotFound and wraps anything else.
func notFound(what string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

func (r reader) GetIdempotency(ctx context.Context, scope store.Scope, operation, token string) (*store.Idempotency, error) {
	rec := store.Idempotency{Scope: scope, Operation: operation, Token: token}
	var created int64
	err := r.q.QueryRowContext(ctx, `SELECT request_hash, response, created_ms FROM idempotency
		WHERE account = ? AND catalog = ? AND operation = ? AND token = ?`,
		scope.Account, scope.Catalog, operation, token).Scan(&rec.RequestHash, &rec.Response, &created)
	if err != nil {
		return nil, notFound("get idempotency record", err)
	}
	rec.CreatedAt = sqlquery.FromMillis(created)
	return &rec, nil
}

// PutIdempotency records rec, replacing any record with the same token.
func (t *tx) PutIdempotency(ctx context.Context, rec *store.Idempotency) error {
	resp := rec.Response
	if resp == nil {
		resp = []byte{}
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO idempotency
		(account, catalog, operation, token, request_hash, response, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET request_hash = excluded.request_hash, response = excluded.response,
			created_ms = excluded.created_ms`,
		rec.Account, rec.Catalog, rec.Operation, rec.Token, rec.RequestHash, resp, rec.CreatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("sqlite: put idempotency record: %w", err)
	}
	return nil
}

func (r reader) GetSetting(ctx context.Context, scope store.Scope, name string) (string, error) {
	var v string
	err := r.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE account = ? AND catalog = ? AND name = ?`,
		scope.Account, scope.Catalog, name).Scan(&v)
	if err != nil {
		return "", notFound("get setting", err)
	}
	return v, nil
}

func (t *tx) PutSetting(ctx context.Context, scope store.Scope, name, value string) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO settings (account, catalog, name, value) VALUES (?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET value = excluded.value`, scope.Account, scope.Catalog, name, value)
	if err != nil {
		return fmt.Errorf("sqlite: put setting: %w", err)
	}
	return nil
}

func (r reader) ListTags(ctx context.Context, account, arn string) ([]store.Tag, error) {
	return queryAll(ctx, r.q, "list tags", `SELECT key, value FROM tags WHERE account = ? AND arn = ? ORDER BY key`,
		[]any{account, arn}, func(row rowScanner) (store.Tag, error) {
			var tag store.Tag
			err := row.Scan(&tag.Key, &tag.Value)
			return tag, err
		})
}

func (t *tx) PutTags(ctx context.Context, account, arn string, tags []store.Tag) error {
	for _, tag := range tags {
		if _, err := t.q.ExecContext(ctx, `INSERT INTO tags (account, arn, key, value) VALUES (?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET value = excluded.value`, account, arn, tag.Key, tag.Value); err != nil {
			return fmt.Errorf("sqlite: put tags: %w", err)
		}
	}
	return nil
}

func (t *tx) RemoveTags(ctx context.Context, account, arn string, keys []string) error {
	for _, key := range keys {
		if _, err := t.q.ExecContext(ctx, `DELETE FROM tags WHERE account = ? AND arn = ? AND key = ?`,
			account, arn, key); err != nil {
			return fmt.Errorf("sqlite: remove tags: %w", err)
		}
	}
	return nil
}
