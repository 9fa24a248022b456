package selling

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

// seedBatch is how many rows one bulk insert writes: enough that the cost of
// a transaction disappears, few enough that progress moves every fraction of
// a second and a batch of documents (about 2 KiB each) stays small.
const seedBatch = 5000

// bulkInserter is a store's fast path for seeding; store/sqlite has one.
type bulkInserter interface {
	BulkInsertOpportunities(ctx context.Context, opps []store.Opportunity) error
}

// SeedOpportunities fills (account, catalog) with n generated opportunities
// and returns their IDs in insertion order. The documents are the ones the
// service itself writes: built from SampleOpportunity requests the way
// CreateOpportunity builds them, then spread over the past year, across
// every stage and review status, and checked against the business rules, so
// seeded opportunities read, list, filter and update like created ones.
// progress, if not nil, is called with the number written after each batch.
//
// The IDs are reserved from the opportunity number sequence up front, so
// nothing else should create opportunities in the same store meanwhile.
func (s *Service) SeedOpportunities(ctx context.Context, account, catalog string, n int, progress func(done int)) ([]string, error) {
	bulk, ok := s.store.(bulkInserter)
	if !ok {
		return nil, fmt.Errorf("selling: seeding needs a store with a bulk insert path; %T has none", s.store)
	}
	scope := scopeOf(account, catalog)
	g, err := s.newSeeder(ctx, scope)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Documents are built on one goroutine while the store writes the
	// previous batch on another: the two halves cost about the same, so this
	// nearly halves seeding time on a multi-core machine.
	batches := make(chan []store.Opportunity, 1)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		for start := 0; start < n; start += seedBatch {
			rows := make([]store.Opportunity, min(seedBatch, n-start))
			for i := range rows {
				row, err := g.row(g.first + int64(start+i))
				if err != nil {
					genErr <- err
					return
				}
				rows[i] = *row
			}
			select {
			case batches <- rows:
			case <-ctx.Done():
				return
			}
		}
	}()
	ids := make([]string, 0, n)
	for rows := range batches {
		if err := bulk.BulkInsertOpportunities(ctx, rows); err != nil {
			return nil, internal("seed opportunities", err)
		}
		for i := range rows {
			ids = append(ids, rows[i].ID)
		}
		if progress != nil {
			progress(len(ids))
		}
	}
	select {
	case err := <-genErr:
		return nil, err
	default:
	}
	return ids, ctx.Err()
}

// seeder generates the rows of one SeedOpportunities call.
type seeder struct {
	svc       *Service
	scope     store.Scope
	first     int64 // the number of the first ID
	now       time.Time
	rng       *rand.Rand
	solutions []string // active solutions, associated with Committed and Launched rows
}

func (s *Service) newSeeder(ctx context.Context, scope store.Scope) (*seeder, error) {
	var first int64
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		first, err = tx.NextOpportunityNumber(ctx)
		return err
	})
	if err != nil {
		return nil, internal("reserve opportunity numbers", err)
	}
	sols, err := s.store.ListSolutions(ctx, store.SolutionQuery{Scope: scope, Statuses: []string{string(api.SolutionStatusActive)}})
	if err != nil {
		return nil, internal("list solutions", err)
	}
	g := &seeder{svc: s, scope: scope, first: first, now: s.now(),
		// Seeded from the first ID: reproducible, yet a second seeding of
		// the same store adds different data.
		rng: rand.New(rand.NewPCG(uint64(first), 0x5eed))}
	for _, sol := range sols {
		g.solutions = append(g.solutions, sol.ID)
	}
	return g, nil
}

// weighted is one choice of a weighted draw.
type weighted[T any] struct {
	value  T
	weight int
}

// seedReviewStatuses is a pipeline's usual mix: most opportunities waiting
// for submission or approved, a few under review or sent back.
var seedReviewStatuses = []weighted[api.ReviewStatus]{
	{api.ReviewStatusPendingSubmission, 40}, {api.ReviewStatusSubmitted, 6}, {api.ReviewStatusInReview, 6},
	{api.ReviewStatusApproved, 40}, {api.ReviewStatusActionRequired, 5}, {api.ReviewStatusRejected, 3},
}

func pickWeighted[T any](rng *rand.Rand, from []weighted[T]) T {
	total := 0
	for _, w := range from {
		total += w.weight
	}
	n := rng.IntN(total)
	for _, w := range from {
		if n < w.weight {
			return w.value
		}
		n -= w.weight
	}
	panic("unreachable: n < total")
}

const seedSpread = 365 * 24 * time.Hour

// row builds opportunity O<num>: created some time in the past year, last
// modified between then and now.
func (g *seeder) row(num int64) (*store.Opportunity, error) {
	req := SampleOpportunity(g.rng, g.scope.Catalog, g.now)
	created := g.now.Add(-randDuration(g.rng, seedSpread))
	modified := created.Add(randDuration(g.rng, g.now.Sub(created)))

	id := fmt.Sprintf("O%d", num)
	rec := &record{Origin: api.OpportunityOriginPartnerReferral}
	o := &rec.Opportunity
	o.Catalog, o.Id, o.Arn = g.scope.Catalog, id, ptr(g.svc.opportunityArn(g.scope, id))
	o.CreatedDate, o.LastModifiedDate = created, modified
	o.OpportunityTeam = req.OpportunityTeam
	o.LifeCycle = &api.LifeCycle{ReviewStatus: ptr(pickWeighted(g.rng, seedReviewStatuses))}
	rec.replacePartnerFields(fieldsOfCreate(req), created)
	g.advance(rec)
	if errs := g.svc.checkRules(rec); len(errs) > 0 {
		return nil, fmt.Errorf("selling: seeded opportunity %s breaks a business rule: %s", id, errs[0].Message)
	}
	row, err := rec.row(g.scope)
	if err != nil {
		return nil, internal("encode opportunity", err)
	}
	return row, nil
}

// advance moves some approved opportunities on to the stages a partner
// reaches only after associating a solution: Committed, and Launched (which
// also needs the customer's AWS account).
func (g *seeder) advance(rec *record) {
	lc := rec.Opportunity.LifeCycle
	if len(g.solutions) == 0 || deref(lc.ReviewStatus) != api.ReviewStatusApproved || deref(lc.Stage) == api.StageClosedLost {
		return
	}
	switch r := g.rng.IntN(100); {
	case r < 20:
		lc.Stage = ptr(api.StageCommitted)
	case r < 35:
		lc.Stage = ptr(api.StageLaunched)
		rec.Opportunity.Customer.Account.AwsAccountId = ptr(fmt.Sprintf("%012d", g.rng.Int64N(1e12)))
	default:
		return
	}
	rec.Opportunity.RelatedEntityIdentifiers.Solutions = []string{pick(g.rng, g.solutions)}
}

// randDuration is uniform in [0, d) at millisecond grain, the precision
// stored times keep.
func randDuration(rng *rand.Rand, d time.Duration) time.Duration {
	if d < time.Millisecond {
		return 0
	}
	return time.Duration(rng.Int64N(int64(d/time.Millisecond))) * time.Millisecond
}
