package syncer

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// fetchers is how many GetOpportunity calls a page has in flight. The
// client's rate limiter still paces them: against AWS, 10 reads a second.
const fetchers = 8

// storePage fetches the listed opportunities the CRM lacks in that
// version or a newer one and stores them in one transaction. When a fetch
// fails, the records fetched are stored all the same, so the cycle that
// retries the page has less to do, and the error is returned.
func (e *Engine) storePage(ctx context.Context, sums []selling.OpportunitySummary) error {
	ids, err := e.stale(ctx, sums)
	if err != nil {
		return err
	}
	recs, fetchErr := e.fetchAll(ctx, ids)
	applied, err := e.DB.ApplyRemoteBatch(ctx, e.Catalog, recs)
	if err != nil {
		return errors.Join(fetchErr, err)
	}
	e.Log.Debug("page stored", "listed", len(sums), "fetched", len(recs), "stored", applied)
	return fetchErr
}

// stale is the ids of sums the CRM lacks, or has in a version older than
// the listed one (all of them when the listing gives no date).
func (e *Engine) stale(ctx context.Context, sums []selling.OpportunitySummary) ([]string, error) {
	ids := make([]string, 0, len(sums))
	for _, sum := range sums {
		if id := aws.ToString(sum.Id); id != "" {
			ids = append(ids, id)
		}
	}
	stored, err := e.DB.RemoteVersions(ctx, e.Catalog, ids)
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, sum := range sums {
		id := aws.ToString(sum.Id)
		have, ok := stored[id]
		if id == "" || ok && sum.LastModifiedDate != nil && !sum.LastModifiedDate.After(have) {
			continue
		}
		stale = append(stale, id)
	}
	return stale, nil
}

// fetchAll fetches ids, fetchers at a time, into records in the same
// order, leaving out opportunities gone from Partner Central. A worker
// keeps only the record, not the response. After a failed fetch no new
// one starts; those in flight finish, and their records come back with
// the errors.
func (e *Engine) fetchAll(ctx context.Context, ids []string) ([]*crmdb.RemoteRecord, error) {
	recs := make([]*crmdb.RemoteRecord, len(ids))
	errs := make([]error, len(ids))
	var failed atomic.Bool
	slots := make(chan struct{}, fetchers)
	var wg sync.WaitGroup
	for i, id := range ids {
		if failed.Load() {
			break
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			recs[i], errs[i] = e.fetch(ctx, id)
			if errs[i] != nil {
				failed.Store(true)
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(recs, func(r *crmdb.RemoteRecord) bool { return r == nil }), errors.Join(errs...)
}
