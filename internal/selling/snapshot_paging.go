package selling

import (
	"context"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// defaultSnapshotPage is the model's MaxResults default for
// ListResourceSnapshots and ListResourceSnapshotJobs (maximum 1000).
const defaultSnapshotPage = 100

// documentPage reads the page of q that continues token (bound to binding)
// and the NextToken after it, nil on the last page. It asks the store for
// one document more than limit to know whether another page exists.
func documentPage[T any, P interface {
	*T
	docstore.Record
}](ctx context.Context, s *Service, binding string, token *string, limit int, q store.DocumentQuery) ([]*T, *string, error) {
	after, err := s.resumeAt(binding, token)
	if err != nil {
		return nil, nil, err
	}
	q.After, q.Limit = after, limit+1
	items, _, err := docstore.List[T](ctx, s.store, q)
	if err != nil || len(items) <= limit {
		return items, nil, err
	}
	next, err := s.continueAt(binding, ptr(positionOf(P(items[limit-1]))))
	return items[:limit], next, err
}
