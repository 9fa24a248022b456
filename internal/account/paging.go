package account

import (
	"context"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// defaultPageSize is the page size of Account lists that take no
// MaxResults (ListPartners); AWS does not document it.
const defaultPageSize = 20

// page is one request of an Account list operation (docstore.Page).
type page = docstore.Page

// listPage reads one page and the NextToken of the next (docstore.ListPage).
func listPage[T any, P interface {
	*T
	docstore.Record
}](ctx context.Context, s *Service, r store.Reader, p page) ([]*T, *string, error) {
	return docstore.ListPage[T, P](ctx, s.tokens, r, p)
}

// pageSize is MaxResults, or defaultPageSize when the request has none.
func pageSize(n *int32) int {
	if n == nil {
		return defaultPageSize
	}
	return int(*n)
}
