package account

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// defaultPageSize is the page size of Account lists that take no
// MaxResults (ListPartners); AWS does not document it.
const defaultPageSize = 20

// page is one request of an Account list operation: documents of one kind
// in a catalog, filtered by Query's keys, in creation order.
type page struct {
	Query store.DocumentQuery // Limit and After are set by listPage
	// Binding ties a NextToken to the request it continues (see binding).
	Binding string
	// Token is the request's NextToken; nil or empty starts the listing.
	Token *string
	// Size is how many documents a page holds at most.
	Size int
}

// listPage reads one page and the NextToken of the next, nil on the last.
// An invalid, tampered or foreign NextToken is a ValidationException.
func listPage[T any, P interface {
	*T
	docstore.Record
}](ctx context.Context, s *Service, r store.Reader, p page) ([]*T, *string, error) {
	q := p.Query
	if p.Token != nil && *p.Token != "" {
		var pos store.Position
		if err := s.tokens.Decode(p.Binding, *p.Token, &pos); err != nil {
			return nil, nil, pagetoken.Invalid()
		}
		q.After = &pos
	}
	q.Limit = p.Size + 1 // one more than asked tells whether another page exists
	rows, _, err := docstore.List[T](ctx, r, q)
	if err != nil {
		return nil, nil, err
	}
	if len(rows) <= p.Size {
		return rows, nil, nil
	}
	rows = rows[:p.Size]
	last := P(rows[p.Size-1])
	tok, err := s.tokens.Encode(p.Binding, store.Position{Key: store.FormatMillis(last.DocCreated()), ID: last.DocID()})
	if err != nil {
		return nil, nil, fmt.Errorf("account: encode token: %w", err)
	}
	return rows, &tok, nil
}

// pageSize is MaxResults, or defaultPageSize when the request has none.
func pageSize(n *int32) int {
	if n == nil {
		return defaultPageSize
	}
	return int(*n)
}
