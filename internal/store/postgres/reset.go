package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

func (t *tx) DeleteScope(ctx context.Context, scope store.Scope) error {
	for _, table := range []string{"opportunities", "idempotency", "solutions", "settings"} {
		if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE account = ? AND catalog = ?`, scope.Account, scope.Catalog); err != nil {
			return fmt.Errorf("postgres: delete %s of scope: %w", table, err)
		}
	}
	return nil
}

// likeEscaper escapes LIKE's wildcards, so an ARN part matches literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (t *tx) DeleteTags(ctx context.Context, account, arnPart string) error {
	_, err := t.exec(ctx, `DELETE FROM tags WHERE account = ? AND arn LIKE ? ESCAPE '\'`,
		account, "%"+likeEscaper.Replace(arnPart)+"%")
	if err != nil {
		return fmt.Errorf("postgres: delete tags: %w", err)
	}
	return nil
}

func (t *tx) DeleteDocumentsOf(ctx context.Context, catalog, account string, keys []string) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	owned, args := sqlquery.OwnedDocuments(catalog, account, keys)
	type ref struct{ kind, id string }
	refs, err := queryAll(ctx, t.reader, "find owned documents", owned, args, func(row pgx.Row) (ref, error) {
		var r ref
		return r, row.Scan(&r.kind, &r.id)
	})
	if err != nil {
		return 0, err
	}
	for _, r := range refs {
		for _, table := range []string{"document_keys", "documents"} {
			if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE kind = ? AND catalog = ? AND id = ?`, r.kind, catalog, r.id); err != nil {
				return 0, fmt.Errorf("postgres: delete document %s/%s: %w", r.kind, r.id, err)
			}
		}
	}
	return len(refs), nil
}

func (t *tx) DeleteAll(ctx context.Context) error {
	for _, stmt := range []string{
		`DELETE FROM opportunities`,
		`DELETE FROM idempotency`,
		`DELETE FROM solutions`,
		`DELETE FROM tags`,
		`DELETE FROM document_keys`,
		`DELETE FROM documents`,
		`DELETE FROM events`,
		`DELETE FROM settings WHERE account <> '' OR catalog <> ''`,
	} {
		if _, err := t.exec(ctx, stmt); err != nil {
			return fmt.Errorf("postgres: %s: %w", stmt, err)
		}
	}
	return nil
}
