package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/selling"
)

// SeedRemote creates n opportunities in catalog through CreateOpportunity,
// with conns requests in flight, and returns their IDs: the way to fill a
// server whose store the benchmark cannot open. They are the same sample
// opportunities the offline seed writes, all in Pending Submission, since
// review statuses are AWS's to set. progress, if not nil, is called with
// the number created so far, one call at a time.
func SeedRemote(ctx context.Context, c *Client, catalog string, n, conns int, progress func(done int)) ([]string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	run := runID(time.Now())
	var (
		next atomic.Int64
		mu   sync.Mutex
		ids  = make([]string, 0, n)
		wg   sync.WaitGroup
	)
	for w := range conns {
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n) && ctx.Err() == nil; i = next.Add(1) {
				in := selling.SampleOpportunity(rng, catalog, time.Now())
				in.ClientToken = fmt.Sprintf("seed-%s-%d", run, i)
				var out api.CreateOpportunityResponse
				if err := c.Call(ctx, OpCreate, in, &out); err != nil {
					cancel(err)
					return
				}
				mu.Lock()
				ids = append(ids, out.Id)
				if progress != nil {
					progress(len(ids))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("seeding through CreateOpportunity: %w", err)
	}
	return ids, nil
}
