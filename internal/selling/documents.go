package selling

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// Kinds of the collaboration documents the Selling API keeps in the store.
const (
	kindEngagement  = "engagement"
	kindInvitation  = "invitation"
	kindSnapshot    = "snapshot"
	kindSnapshotJob = "snapshot-job"
	kindTask        = "task"
)

// document is one collaboration record decoded: its value and the store
// version an update must present.
type document[T any] struct {
	Value   *T
	Version int64
}

// getDocument reads and decodes a document; a missing one is notFound().
func getDocument[T any](ctx context.Context, r store.Reader, kind, catalog, id string, notFound func() error) (document[T], error) {
	d, err := r.GetDocument(ctx, kind, catalog, id)
	if errors.Is(err, store.ErrNotFound) {
		return document[T]{}, notFound()
	}
	if err != nil {
		return document[T]{}, internal("get "+kind, err)
	}
	v := new(T)
	if err := json.Unmarshal(d.Doc, v); err != nil {
		return document[T]{}, internal("decode "+kind, err)
	}
	return document[T]{Value: v, Version: d.Version}, nil
}

// indexed is a collaboration record that says how it is stored.
type indexed interface {
	documentID() string
	createdAt() time.Time
	// keys are the values listings filter on (see store.Document.Keys).
	keys() map[string][]string
}

// putDocument writes v as a document of kind: an insert when version is 0,
// otherwise a compare-and-swap on version. A lost race is a conflict.
func putDocument(ctx context.Context, tx store.Tx, kind, catalog string, v indexed, version int64) (int64, error) {
	doc, err := json.Marshal(v)
	if err != nil {
		return 0, internal("encode "+kind, err)
	}
	d := &store.Document{Kind: kind, Catalog: catalog, ID: v.documentID(), CreatedAt: v.createdAt(), Keys: v.keys(), Doc: doc}
	switch err := tx.PutDocument(ctx, d, version); {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrExists):
		return 0, apierr.Conflict("The %s %s was changed by another request; retry.", kind, v.documentID())
	case err != nil:
		return 0, internal("put "+kind, err)
	}
	return d.Version, nil
}

// listDocuments reads one page of decoded documents and the cursor after it.
func listDocuments[T any](ctx context.Context, r store.Reader, q store.DocumentQuery) ([]*T, *store.Position, error) {
	rows, err := r.ListDocuments(ctx, q)
	if errors.Is(err, store.ErrBadPosition) {
		return nil, nil, invalidToken()
	}
	if err != nil {
		return nil, nil, internal("list "+q.Kind, err)
	}
	out := make([]*T, 0, len(rows))
	for _, row := range rows {
		v := new(T)
		if err := json.Unmarshal(row.Doc, v); err != nil {
			return nil, nil, internal("decode "+q.Kind, err)
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

// newID returns prefix followed by n random lowercase base-36 characters,
// the form of engagement (eng-, 14), invitation (engi-, 13), task (task-, 13)
// and snapshot job (job-, 13) ids.
func newID(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = base36[int(b[i])%len(base36)]
	}
	return prefix + string(b)
}
