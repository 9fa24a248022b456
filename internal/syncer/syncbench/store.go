package syncbench

import (
	"context"
	"sync/atomic"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// countingStore is the CRM database, counting the remote records it
// actually stored (ApplyRemote's and ApplyRemoteBatch's applied), which is
// what a sync achieved.
type countingStore struct {
	crmdb.Store
	applied atomic.Int64
}

func (s *countingStore) ApplyRemote(ctx context.Context, catalog string, rec *crmdb.RemoteRecord, ev *crmdb.EventMark) (bool, error) {
	ok, err := s.Store.ApplyRemote(ctx, catalog, rec, ev)
	if ok {
		s.applied.Add(1)
	}
	return ok, err
}

func (s *countingStore) ApplyRemoteBatch(ctx context.Context, catalog string, recs []*crmdb.RemoteRecord) (int, error) {
	n, err := s.Store.ApplyRemoteBatch(ctx, catalog, recs)
	s.applied.Add(int64(n))
	return n, err
}

// take returns the records applied since the last take.
func (s *countingStore) take() int {
	return int(s.applied.Swap(0))
}
