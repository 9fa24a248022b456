package syncbench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"

	"github.com/cosell/cosell/internal/syncer"
)

// Config is one `cosell sync bench` run.
type Config struct {
	DataDir        string  // cosell's data directory; "" for a temporary one
	Catalog        string  // where the opportunities are seeded and synced
	Opportunities  int     // seeded before measuring (only what DataDir lacks)
	ChangedPercent float64 // share of the opportunities changed before the incremental sync
	Workers        int     // UpdateOpportunity requests in flight while changing
	Seeding        func(done int)
	Loading        syncer.Progress // follows the initial load
	Log            *slog.Logger
}

// Result is what a run measured.
type Result struct {
	Opportunities int // in the catalog: those seeded and those already there
	Seeded        int
	Phases        []Phase // the initial load, the change, the incremental syncs
	DBBytes       int64   // the CRM database after the initial load
	PeakRSS       int64   // the process's peak during the initial load, server included; 0 if unknown
}

// Run seeds, loads, changes and syncs again, as Config says.
func Run(ctx context.Context, cfg Config) (_ *Result, err error) {
	e, err := start(ctx, cfg.DataDir, cfg.Catalog, cfg.Opportunities, cfg.Workers, cfg.Seeding, cfg.Log)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, e.close()) }()
	res := &Result{Opportunities: len(e.local.IDs), Seeded: e.local.Seeded}
	changed := int(math.Round(float64(res.Opportunities) * cfg.ChangedPercent / 100))

	e.engine.Progress = cfg.Loading
	resetPeakRSS()
	load, err := e.sync(ctx, "initial load")
	if err != nil {
		return nil, fmt.Errorf("initial load: %w", err)
	}
	res.PeakRSS = peakRSS()
	e.engine.Progress = nil
	if res.DBBytes, err = e.dbBytes(); err != nil {
		return nil, err
	}
	res.Phases = append(res.Phases, load)

	steps := []func() (Phase, error){
		func() (Phase, error) {
			return e.change(ctx, fmt.Sprintf("change %g%% (server side)", cfg.ChangedPercent), changed, cfg.Workers)
		},
		func() (Phase, error) { return e.sync(ctx, fmt.Sprintf("incremental sync, %d changed", changed)) },
		func() (Phase, error) { return e.sync(ctx, "incremental sync, 0 changed") },
	}
	for _, step := range steps {
		p, err := step()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		res.Phases = append(res.Phases, p)
	}
	return res, nil
}
