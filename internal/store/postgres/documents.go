package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

const documentColumns = `kind, catalog, id, created_ms, version, doc`

func scanDocument(row pgx.Row) (store.Document, error) {
	var d store.Document
	var created int64
	err := row.Scan(&d.Kind, &d.Catalog, &d.ID, &created, &d.Version, &d.Doc)
	d.CreatedAt = sqlquery.FromMillis(created)
	return d, err
}

func (r reader) GetDocument(ctx context.Context, kind, catalog, id string) (*store.Document, error) {
	d, err := scanDocument(r.q.QueryRow(ctx, sqlquery.Rebind(`SELECT `+documentColumns+` FROM documents
		WHERE kind = ? AND catalog = ? AND id = ?`), kind, catalog, id))
	if err != nil {
		return nil, notFound("get document", r.note(err))
	}
	type kv struct{ key, value string }
	pairs, err := queryAll(ctx, r, "get document keys",
		`SELECT key, value FROM document_keys WHERE kind = ? AND catalog = ? AND id = ? ORDER BY key, value`,
		[]any{kind, catalog, id}, func(row pgx.Row) (kv, error) {
			var p kv
			return p, row.Scan(&p.key, &p.value)
		})
	if err != nil {
		return nil, err
	}
	d.Keys = map[string][]string{}
	for _, p := range pairs {
		d.Keys[p.key] = append(d.Keys[p.key], p.value)
	}
	return &d, nil
}

// ListDocuments returns documents in creation order, without their Keys.
// With a one-value key filter the query starts from the key index; the
// planner, which has statistics here, picks the order of the rest.
func (r reader) ListDocuments(ctx context.Context, q store.DocumentQuery) ([]store.Document, error) {
	var b sqlquery.Builder
	from := "documents d"
	driver, driven := sqlquery.DrivingKey(q.Match)
	if driven {
		from = "document_keys k0 JOIN documents d ON d.kind = k0.kind AND d.catalog = k0.catalog AND d.id = k0.id"
		b.Add("k0.kind = ? AND k0.catalog = ? AND k0.key = ? AND k0.value = ?", q.Kind, q.Catalog, driver, q.Match[driver][0])
	}
	b.Add("d.kind = ? AND d.catalog = ?", q.Kind, q.Catalog)
	orderBy, err := sqlquery.DocumentFilters(&b, q, driver)
	if err != nil {
		return nil, err
	}
	query := "SELECT " + sqlquery.Prefixed("d.", documentColumns) + " FROM " + from + " WHERE " + b.Clause() + " ORDER BY " + orderBy
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.Args = append(b.Args, q.Limit)
	}
	return queryAll(ctx, r, "list documents", query, b.Args, scanDocument)
}

func (t *tx) PutDocument(ctx context.Context, d *store.Document, expectedVersion int64) error {
	if expectedVersion == 0 {
		tag, err := t.exec(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (?, ?, ?, ?, 1, ?)
			ON CONFLICT DO NOTHING`, d.Kind, d.Catalog, d.ID, d.CreatedAt.UnixMilli(), nonNil(d.Doc))
		if err != nil {
			return fmt.Errorf("postgres: insert document: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return store.ErrExists
		}
		d.Version = 1
	} else {
		tag, err := t.exec(ctx, `UPDATE documents SET version = version + 1, doc = ?
			WHERE kind = ? AND catalog = ? AND id = ? AND version = ?`, nonNil(d.Doc), d.Kind, d.Catalog, d.ID, expectedVersion)
		if err != nil {
			return fmt.Errorf("postgres: update document: %w", err)
		}
		if tag.RowsAffected() == 0 {
			if _, err := t.GetDocument(ctx, d.Kind, d.Catalog, d.ID); err != nil {
				return err
			}
			return store.ErrStale
		}
		d.Version = expectedVersion + 1
	}
	return t.replaceKeys(ctx, d)
}

// replaceKeys writes d's keys in place of the stored ones, in one statement.
func (t *tx) replaceKeys(ctx context.Context, d *store.Document) error {
	if _, err := t.exec(ctx, `DELETE FROM document_keys WHERE kind = ? AND catalog = ? AND id = ?`, d.Kind, d.Catalog, d.ID); err != nil {
		return fmt.Errorf("postgres: clear document keys: %w", err)
	}
	var keys, values []string
	for _, key := range sqlquery.SortedKeys(d.Keys) {
		for _, v := range d.Keys[key] {
			keys, values = append(keys, key), append(values, v)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO document_keys (kind, catalog, id, key, value)
		SELECT ?, ?, ?, k, v FROM unnest(?::text[], ?::text[]) AS u(k, v) ON CONFLICT DO NOTHING`,
		d.Kind, d.Catalog, d.ID, keys, values)
	if err != nil {
		return fmt.Errorf("postgres: put document keys: %w", err)
	}
	return nil
}
