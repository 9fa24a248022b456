package syncbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

// lockedStatuses are the review statuses in which Partner Central refuses
// a partner's update.
var lockedStatuses = []selling.ReviewStatus{selling.ReviewStatusSubmitted, selling.ReviewStatusInReview, selling.ReviewStatusRejected}

// changeOpportunities changes n of ids the way a partner's edit does, with
// workers requests in flight: GetOpportunity, a new street address (a field
// every editable review status allows), UpdateOpportunity under
// optimistic locking, which moves LastModifiedDate. ids are tried in a
// random order, so a rerun on the same data changes others; locked ones are
// skipped.
func changeOpportunities(ctx context.Context, api *sellingclient.Client, catalog string, ids []string, n, workers int) error {
	if n == 0 {
		return nil
	}
	order := rand.Perm(len(ids))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		next, claimed, changed atomic.Int64
		wg                     sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(order)) && ctx.Err() == nil; i = next.Add(1) - 1 {
				id := ids[order[i]]
				got, err := api.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: catalog, Identifier: id})
				if err != nil {
					cancel(err)
					return
				}
				if !editable(got) {
					continue
				}
				if claimed.Add(1) > int64(n) {
					return
				}
				if _, err := api.UpdateOpportunity(ctx, withNewStreet(got, fmt.Sprintf("%d Benchmark Street", rand.IntN(1_000_000)))); err != nil {
					cancel(fmt.Errorf("update %s: %w", id, err))
					return
				}
				changed.Add(1)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if got := changed.Load(); got < int64(n) {
		return fmt.Errorf("only %d of %d opportunities are editable; wanted to change %d", got, len(ids), n)
	}
	return nil
}

func editable(o *selling.GetOpportunityResponse) bool {
	if o.Customer == nil || o.Customer.Account == nil || o.Customer.Account.Address == nil {
		return false
	}
	return o.LifeCycle == nil || o.LifeCycle.ReviewStatus == nil || !slices.Contains(lockedStatuses, *o.LifeCycle.ReviewStatus)
}

// withNewStreet is the full record as an update (UpdateOpportunity
// replaces the whole opportunity) with one field changed.
func withNewStreet(o *selling.GetOpportunityResponse, street string) *selling.UpdateOpportunityRequest {
	o.Customer.Account.Address.StreetAddress = &street
	return &selling.UpdateOpportunityRequest{
		Catalog: o.Catalog, Identifier: o.Id, LastModifiedDate: o.LastModifiedDate,
		PrimaryNeedsFromAws: o.PrimaryNeedsFromAws, NationalSecurity: o.NationalSecurity,
		PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier, Customer: o.Customer, Project: o.Project,
		OpportunityType: o.OpportunityType, Marketing: o.Marketing, SoftwareRevenue: o.SoftwareRevenue, LifeCycle: o.LifeCycle,
	}
}
