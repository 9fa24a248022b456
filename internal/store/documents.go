package store

import (
	"context"
	"time"
)

// Document is a record of the collaboration model — an engagement, an
// invitation, a resource snapshot, a snapshot job or a task. These are
// shared between accounts (an engagement has members, an invitation a sender
// and a receiver), so they belong to a catalog, and who may see one is
// expressed through its Keys (e.g. "member" = each member account), which
// listing filters on. Every list of them sorts by creation time.
type Document struct {
	Kind      string // "engagement", "invitation", ...
	Catalog   string
	ID        string
	CreatedAt time.Time // stored with millisecond precision; the list order
	// Version is the optimistic-lock counter: 1 after insert, +1 per write.
	Version int64
	// Keys are indexed attribute values: key → values. A document matches
	// a key filter when any of its values for that key is in the filter.
	Keys map[string][]string
	Doc  []byte // the domain's JSON; opaque to the store
}

// DocumentQuery selects one page of documents of a kind in a catalog, in
// creation order (ties by ID, in the same direction).
type DocumentQuery struct {
	Kind    string
	Catalog string
	// Match: for every key, the document has at least one of the values.
	Match map[string][]string
	// Exclude: for every key, the document has none of the values.
	Exclude    map[string][]string
	Descending bool
	// After continues a listing strictly after this position; Key is the
	// creation time in FormatMillis form.
	After *Position
	Limit int // <= 0: no limit
}

// DocumentReader reads documents.
type DocumentReader interface {
	GetDocument(ctx context.Context, kind, catalog, id string) (*Document, error)
	ListDocuments(ctx context.Context, q DocumentQuery) ([]Document, error)
}

// DocumentWriter writes documents inside a transaction.
type DocumentWriter interface {
	// PutDocument inserts d when expectedVersion is 0 (ErrExists if the ID
	// is taken) and otherwise replaces it only if the stored Version still
	// equals expectedVersion (ErrStale if not, ErrNotFound if absent). It
	// sets d.Version to the stored version and replaces d's keys.
	PutDocument(ctx context.Context, d *Document, expectedVersion int64) error
}
