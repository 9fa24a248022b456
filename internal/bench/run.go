package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultConcurrency is two requests in flight per core: while one waits in
// a loopback read or write, another keeps the core busy, so the server is
// saturated; more would only queue, and p99 would then measure the queue
// rather than the server.
func DefaultConcurrency() int { return 2 * runtime.GOMAXPROCS(0) }

// Config is one benchmark run.
type Config struct {
	Client  *Client
	Catalog string
	// IDs are existing opportunities: GetOpportunity reads random ones,
	// UpdateOpportunity splits them among workers.
	IDs         []string
	Concurrency int
	// Each operation runs for Duration or until Requests requests were
	// issued, whichever comes first; zero disables a limit, and at least
	// one must be set.
	Duration time.Duration
	Requests int
	Ops      []string // a subset of AllOps, measured in the order given
	// Done, if not nil, is told each operation's result as soon as it is
	// measured.
	Done func(Result)
}

// runner is one Run in progress.
type runner struct {
	cfg   Config
	id    string    // makes this run's ClientTokens unique across runs
	start time.Time // fixes List's time window for the whole run
}

// Run measures each operation in turn and returns the results. Errors
// answered by the server are results, not failures of Run; Run fails only
// for a bad Config or a cancelled ctx.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	start := time.Now()
	r := &runner{cfg: cfg, id: runID(start), start: start}
	var results []Result
	for _, op := range cfg.Ops {
		res := r.measure(ctx, op)
		if err := ctx.Err(); err != nil {
			return results, err
		}
		results = append(results, res)
		if cfg.Done != nil {
			cfg.Done(res)
		}
	}
	return results, nil
}

func (c *Config) check() error {
	if c.Client == nil || c.Catalog == "" {
		return errors.New("bench: Client and Catalog are required")
	}
	if c.Concurrency < 1 {
		return errors.New("bench: Concurrency must be at least 1")
	}
	if c.Duration <= 0 && c.Requests <= 0 {
		return errors.New("bench: set a Duration or a Requests count per operation")
	}
	for _, op := range c.Ops {
		if steps[op] == nil {
			return fmt.Errorf("bench: unknown operation %q", op)
		}
		if (op == OpGet || op == OpUpdate) && len(c.IDs) < c.Concurrency {
			return fmt.Errorf("bench: %s needs at least one opportunity per worker (%d), have %d", op, c.Concurrency, len(c.IDs))
		}
	}
	return nil
}

// measure runs Concurrency workers on op until its limit.
func (r *runner) measure(ctx context.Context, op string) Result {
	n := r.cfg.Concurrency
	var issued atomic.Int64
	start := time.Now()
	deadline := start.Add(r.cfg.Duration)
	// more is checked before each request; a request already sent always
	// completes, so the end of a run never cuts a connection.
	more := func() bool {
		switch {
		case ctx.Err() != nil:
			return false
		case r.cfg.Duration > 0 && !time.Now().Before(deadline):
			return false
		case r.cfg.Requests > 0:
			return issued.Add(1) <= int64(r.cfg.Requests)
		}
		return true
	}
	tallies := make([]*tally, n)
	var wg sync.WaitGroup
	for i := range n {
		tallies[i] = &tally{}
		w := &worker{run: r, index: i, t: tallies[i], rng: rand.New(rand.NewPCG(uint64(start.UnixNano()), uint64(i))),
			share: r.cfg.IDs[i*len(r.cfg.IDs)/n : (i+1)*len(r.cfg.IDs)/n]}
		wg.Go(func() {
			for more() {
				steps[op](w, ctx)
			}
		})
	}
	wg.Wait()
	return summarize(op, time.Since(start), tallies)
}

// runID names a run in its ClientTokens, so no two runs against one server
// share a token (a shared one would be answered as an idempotent replay).
func runID(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 36) }
