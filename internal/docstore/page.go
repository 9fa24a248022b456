package docstore

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Page is one request of a list operation over documents: one kind in a
// catalog, filtered by Query's keys, in creation order.
type Page struct {
	Query store.DocumentQuery // Limit and After are set by ListPage
	// Binding ties a NextToken to the request it continues (pagetoken.Binding).
	Binding string
	// Token is the request's NextToken; nil or empty starts the listing.
	Token *string
	// Size is how many documents a page holds at most.
	Size int
}

// ListPage reads one page and the NextToken of the next, nil on the last.
// An invalid, tampered or foreign NextToken is a ValidationException.
func ListPage[T any, P interface {
	*T
	Record
}](ctx context.Context, tokens *pagetoken.Codec, r store.Reader, p Page) ([]*T, *string, error) {
	q := p.Query
	if p.Token != nil && *p.Token != "" {
		var pos store.Position
		if err := tokens.Decode(p.Binding, *p.Token, &pos); err != nil {
			return nil, nil, pagetoken.Invalid()
		}
		q.After = &pos
	}
	q.Limit = p.Size + 1 // one more than asked tells whether another page exists
	rows, _, err := List[T](ctx, r, q)
	if err != nil {
		return nil, nil, err
	}
	if len(rows) <= p.Size {
		return rows, nil, nil
	}
	rows = rows[:p.Size]
	last := P(rows[p.Size-1])
	tok, err := tokens.Encode(p.Binding, store.Position{Key: store.FormatMillis(last.DocCreated()), ID: last.DocID()})
	if err != nil {
		return nil, nil, fmt.Errorf("encode token: %w", err)
	}
	return rows, &tok, nil
}
