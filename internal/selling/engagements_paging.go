package selling

import (
	"context"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// scanDocuments visits the documents q selects, in the store's order from
// q.After, reading batch at a time, until visit returns false or none are
// left. It serves listings that filter on more than the store indexes: the
// visitor skips what does not match, and a page still ends at a document's
// position, so NextTokens stay exact.
func scanDocuments[T any, P interface {
	*T
	docstore.Record
}](ctx context.Context, r store.Reader, q store.DocumentQuery, batch int, visit func(P) bool) error {
	q.Limit = batch
	for {
		page, last, err := docstore.List[T](ctx, r, q)
		if err != nil {
			return err
		}
		for _, v := range page {
			if !visit(P(v)) {
				return nil
			}
		}
		if len(page) < batch {
			return nil
		}
		q.After = last
	}
}

// positionOf is where a document stands in a listing, as listDocuments
// reports it.
func positionOf(v docstore.Record) store.Position {
	return store.Position{Key: store.FormatMillis(v.DocCreated()), ID: v.DocID()}
}

// resumeAt decodes a listing's NextToken into the position it continues
// after; no token starts from the beginning.
func (s *Service) resumeAt(binding string, token *string) (*store.Position, error) {
	t := deref(token)
	if t == "" {
		return nil, nil
	}
	var pos store.Position
	if err := s.tokens.Decode(binding, t, &pos); err != nil {
		return nil, pagetoken.Invalid()
	}
	return &pos, nil
}

// continueAt is the NextToken for a page that ended at pos; nil when the
// listing is complete.
func (s *Service) continueAt(binding string, pos *store.Position) (*string, error) {
	if pos == nil {
		return nil, nil
	}
	tok, err := s.tokens.Encode(binding, pos)
	if err != nil {
		return nil, internal("encode token", err)
	}
	return &tok, nil
}

// keyFilter makes m a DocumentQuery Match or Exclude by dropping keys
// without values: an empty filter means "any", while the store would read
// an empty value list as "none".
func keyFilter(m map[string][]string) map[string][]string {
	for k, values := range m {
		if len(values) == 0 {
			delete(m, k)
		}
	}
	return m
}

// limitOr is a request's MaxResults, or the operation's default.
func limitOr(n *int32, def int) int {
	if n == nil {
		return def
	}
	return int(*n)
}

// optional is a pointer to s, or nil for "" so the member is left out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
