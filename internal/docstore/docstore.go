// Package docstore gives domain services typed access to store documents:
// records kept as JSON, versioned for optimistic locking, listed in creation
// order and filtered by the keys each record declares.
package docstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// Record is a value stored as a document.
type Record interface {
	DocID() string
	DocCreated() time.Time
	// DocKeys are the values listings filter on (see store.Document.Keys).
	DocKeys() map[string][]string
}

// Doc is a decoded document and the version an update must present.
type Doc[T any] struct {
	Value   *T
	Version int64
}

// Get reads and decodes a document; a missing one is notFound().
func Get[T any](ctx context.Context, r store.Reader, kind, catalog, id string, notFound func() error) (Doc[T], error) {
	d, err := r.GetDocument(ctx, kind, catalog, id)
	if errors.Is(err, store.ErrNotFound) {
		return Doc[T]{}, notFound()
	}
	if err != nil {
		return Doc[T]{}, fmt.Errorf("get %s: %w", kind, err)
	}
	v := new(T)
	if err := json.Unmarshal(d.Doc, v); err != nil {
		return Doc[T]{}, fmt.Errorf("decode %s: %w", kind, err)
	}
	return Doc[T]{Value: v, Version: d.Version}, nil
}

// Put writes v as a document of kind: an insert when version is 0,
// otherwise a compare-and-swap on version. A lost race is a conflict. It
// returns the stored version.
func Put(ctx context.Context, tx store.Tx, kind, catalog string, v Record, version int64) (int64, error) {
	doc, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("encode %s: %w", kind, err)
	}
	d := &store.Document{Kind: kind, Catalog: catalog, ID: v.DocID(), CreatedAt: v.DocCreated(), Keys: v.DocKeys(), Doc: doc}
	switch err := tx.PutDocument(ctx, d, version); {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrExists):
		return 0, apierr.Conflict("The %s %s was changed by another request; retry.", kind, v.DocID())
	case err != nil:
		return 0, fmt.Errorf("put %s: %w", kind, err)
	}
	return d.Version, nil
}

// List reads one page of decoded documents and the position of its last.
func List[T any](ctx context.Context, r store.Reader, q store.DocumentQuery) ([]*T, *store.Position, error) {
	rows, err := r.ListDocuments(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	out := make([]*T, 0, len(rows))
	for _, row := range rows {
		v := new(T)
		if err := json.Unmarshal(row.Doc, v); err != nil {
			return nil, nil, fmt.Errorf("decode %s: %w", q.Kind, err)
		}
		out = append(out, v)
	}
	var last *store.Position
	if n := len(rows); n > 0 {
		last = &store.Position{Key: store.FormatMillis(rows[n-1].CreatedAt), ID: rows[n-1].ID}
	}
	return out, last, nil
}

// base36 is the alphabet of Partner Central's random id suffixes.
const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// NewID returns prefix followed by n random lowercase base-36 characters,
// the form of Partner Central's engagement (eng-, 14), invitation (engi-,
// 13), task (task-, 13) and snapshot job (job-, 13) ids.
func NewID(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = base36[int(b[i])%len(base36)]
	}
	return prefix + string(b)
}
