package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

// SeedOpportunities writes n generated opportunities for account in catalog
// into the store cfg names (cfg.Store, else under cfg.DataDir), through the
// Selling domain's bulk path (see selling.Service.SeedOpportunities), and
// returns their IDs. It opens
// the store exactly as the server does, so `cosell seed` can fill a data
// directory before `cosell serve`; SQLite's locking also lets it run beside
// a server that has the directory open, as long as nothing else creates
// opportunities meanwhile. cfg.Region and cfg.Clock must be the ones the
// server runs with, since ARNs and dates are written into the documents.
func SeedOpportunities(ctx context.Context, cfg Config, account, catalog string, n int, progress func(done int)) (ids []string, err error) {
	cfg = withDefaults(cfg)
	if cfg.Store == "" && cfg.DataDir == ":memory:" {
		return nil, errors.New("seeding a throwaway (:memory:) store would keep nothing; give a data directory")
	}
	lock, st, err := openStore(cfg.Store, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, st.Close(), lock.Close()) }()
	if m, ok := cfg.Clock.(*clock.Manual); ok {
		c, err := resumeClock(ctx, m, st, cfg.Logger)
		if err != nil {
			return nil, err
		}
		defer func() { err = errors.Join(err, c.save(ctx)) }()
		cfg.Clock = c
	}
	svc := selling.New(selling.Config{Store: st, Clock: cfg.Clock, Region: cfg.Region})
	// The account's starter solutions are what seeded Committed and Launched
	// opportunities are associated with; the server would add them at start.
	if err := svc.SeedAccount(ctx, account); err != nil {
		return nil, fmt.Errorf("seed account %s: %w", account, err)
	}
	return svc.SeedOpportunities(ctx, account, catalog, n, progress)
}

// OpportunityIDs lists the IDs of account's opportunities in catalog in the
// store cfg names, in ID order: what a benchmark reusing a seeded
// data directory needs instead of seeding again.
func OpportunityIDs(ctx context.Context, cfg Config, account, catalog string) (ids []string, err error) {
	cfg = withDefaults(cfg)
	lock, st, err := openStore(cfg.Store, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, st.Close(), lock.Close()) }()
	q := store.OpportunityQuery{Scope: store.Scope{Account: account, Catalog: catalog}, SortBy: store.SortIdentifier,
		Limit: 10_000, SummariesOnly: true}
	for {
		page, err := st.ListOpportunities(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, o := range page {
			ids = append(ids, o.ID)
		}
		if len(page) < q.Limit {
			return ids, nil
		}
		q.After = &store.Position{ID: page[len(page)-1].ID}
	}
}
