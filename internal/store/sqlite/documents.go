package sqlite

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

const documentColumns = `kind, catalog, id, created_ms, version, doc`

func (r reader) GetDocument(ctx context.Context, kind, catalog, id string) (*store.Document, error) {
	row := r.q.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE kind = ? AND catalog = ? AND id = ?`, kind, catalog, id)
	d, err := scanDocument(row)
	if err != nil {
		return nil, notFound("get document", err)
	}
	if d.Keys, err = r.documentKeys(ctx, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (r reader) documentKeys(ctx context.Context, d *store.Document) (map[string][]string, error) {
	type kv struct{ key, value string }
	pairs, err := queryAll(ctx, r.q, "get document keys",
		`SELECT key, value FROM document_keys WHERE kind = ? AND catalog = ? AND id = ? ORDER BY key, value`,
		[]any{d.Kind, d.Catalog, d.ID}, func(row rowScanner) (kv, error) {
			var p kv
			return p, row.Scan(&p.key, &p.value)
		})
	if err != nil {
		return nil, err
	}
	keys := map[string][]string{}
	for _, p := range pairs {
		keys[p.key] = append(keys[p.key], p.value)
	}
	return keys, nil
}

func scanDocument(row rowScanner) (store.Document, error) {
	var d store.Document
	var created int64
	err := row.Scan(&d.Kind, &d.Catalog, &d.ID, &created, &d.Version, &d.Doc)
	d.CreatedAt = sqlquery.FromMillis(created)
	return d, err
}

// ListDocuments returns documents in creation order. With a single-value
// key filter (the usual "member = this account") the page is driven from
// the key index, so its cost follows the matching documents rather than all
// the catalog's documents of that kind; otherwise it walks the kind's
// creation-order index and checks the filters as it goes. Listing returns
// the documents without their Keys; callers that need them use GetDocument.
func (r reader) ListDocuments(ctx context.Context, q store.DocumentQuery) ([]store.Document, error) {
	query, args, err := buildListDocuments(q)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, r.q, "list documents", query, args, scanDocument)
}

func buildListDocuments(q store.DocumentQuery) (string, []any, error) {
	var b sqlquery.Builder
	from := "documents d INDEXED BY documents_by_created"
	driver, driven := sqlquery.DrivingKey(q.Match)
	if driven {
		// CROSS JOIN and INDEXED BY fix the plan: without statistics SQLite
		// would rather walk every document of the kind.
		from = "document_keys k0 INDEXED BY document_keys_by_value CROSS JOIN documents d ON d.kind = k0.kind AND d.catalog = k0.catalog AND d.id = k0.id"
		b.Add("k0.kind = ? AND k0.catalog = ? AND k0.key = ? AND k0.value = ?", q.Kind, q.Catalog, driver, q.Match[driver][0])
	}
	b.Add("d.kind = ? AND d.catalog = ?", q.Kind, q.Catalog)
	orderBy, err := sqlquery.DocumentFilters(&b, q, driver)
	if err != nil {
		return "", nil, err
	}
	query := "SELECT " + sqlquery.Prefixed("d.", documentColumns) + " FROM " + from + " WHERE " + b.Clause() + " ORDER BY " + orderBy
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.Args = append(b.Args, q.Limit)
	}
	return query, b.Args, nil
}

func (t *tx) PutDocument(ctx context.Context, d *store.Document, expectedVersion int64) error {
	doc := d.Doc
	if doc == nil {
		doc = []byte{}
	}
	if expectedVersion == 0 {
		res, err := t.q.ExecContext(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (?, ?, ?, ?, 1, ?)
			ON CONFLICT DO NOTHING`, d.Kind, d.Catalog, d.ID, d.CreatedAt.UnixMilli(), doc)
		if err != nil {
			return fmt.Errorf("sqlite: insert document: %w", err)
		}
		if err := existsUnlessInserted(res); err != nil {
			return err
		}
		d.Version = 1
	} else {
		res, err := t.q.ExecContext(ctx, `UPDATE documents SET version = version + 1, doc = ?
			WHERE kind = ? AND catalog = ? AND id = ? AND version = ?`, doc, d.Kind, d.Catalog, d.ID, expectedVersion)
		if err != nil {
			return fmt.Errorf("sqlite: update document: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := t.GetDocument(ctx, d.Kind, d.Catalog, d.ID); err != nil {
				return err
			}
			return store.ErrStale
		}
		d.Version = expectedVersion + 1
	}
	return t.replaceKeys(ctx, d)
}

func (t *tx) replaceKeys(ctx context.Context, d *store.Document) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM document_keys WHERE kind = ? AND catalog = ? AND id = ?`, d.Kind, d.Catalog, d.ID); err != nil {
		return fmt.Errorf("sqlite: clear document keys: %w", err)
	}
	for _, key := range sqlquery.SortedKeys(d.Keys) {
		for _, v := range d.Keys[key] {
			if _, err := t.q.ExecContext(ctx, `INSERT OR IGNORE INTO document_keys (kind, catalog, id, key, value) VALUES (?, ?, ?, ?, ?)`,
				d.Kind, d.Catalog, d.ID, key, v); err != nil {
				return fmt.Errorf("sqlite: put document key: %w", err)
			}
		}
	}
	return nil
}
