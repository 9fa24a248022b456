// Package syncbench measures the sync connector against an in-process
// cosell without quotas and with client-side rate limiting off, so the
// figures are the connector's and the server's own costs: the first full
// load of a seeded store, the server-side change of a share of it, and the
// incremental syncs that follow (`cosell sync bench`, and the Benchmark
// functions of this package).
package syncbench

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/bench"
	"github.com/cosell/cosell/internal/syncer"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// env is a seeded cosell and a connector pointed at it, with every request
// and every stored record counted.
type env struct {
	local    *bench.Local
	catalog  string
	api      *sellingclient.Client
	requests *countingTransport
	crmDir   string // holds the CRM database, removed on close
	store    *countingStore
	engine   *syncer.Engine
}

// start starts cosell on dataDir ("" for a temporary one) with n
// opportunities in catalog, seeding only what is missing, and a connector
// with an empty CRM database. conns sizes the client's connection pool.
func start(ctx context.Context, dataDir, catalog string, n, conns int, seeding func(done int), log *slog.Logger) (_ *env, err error) {
	local, err := bench.StartLocal(ctx, dataDir, catalog, n, seeding, log)
	if err != nil {
		return nil, err
	}
	e := &env{local: local, catalog: catalog}
	defer func() {
		if err != nil {
			err = errors.Join(err, e.close())
		}
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns // the default (2) would reopen connections under the change workers
	e.requests = &countingTransport{base: tr, counts: map[string]int{}}
	cfg := aws.Config{Region: local.Region, Credentials: credentials.NewStaticCredentialsProvider(local.Account.AccessKeyID, local.Account.SecretAccessKey, "")}
	e.api = sellingclient.New(cfg, func(o *sellingclient.Options) {
		o.BaseEndpoint = local.URL
		o.HTTPClient = &http.Client{Transport: e.requests}
		o.RateLimit.Disabled = true
	})
	if e.crmDir, err = os.MkdirTemp("", "cosell-syncbench-"); err != nil {
		return nil, err
	}
	return e, e.freshCRM(ctx, log)
}

// freshCRM replaces the CRM database with an empty one.
func (e *env) freshCRM(ctx context.Context, log *slog.Logger) error {
	if e.store != nil {
		if err := e.store.Close(); err != nil {
			return err
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(e.dbPath() + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	db, err := crmdb.Open(ctx, e.dbPath())
	if err != nil {
		return err
	}
	e.store = &countingStore{Store: db}
	e.engine = &syncer.Engine{API: e.api, DB: e.store, Catalog: e.catalog, Log: log}
	return nil
}

func (e *env) dbPath() string { return filepath.Join(e.crmDir, "crm.db") }

// dbBytes is the CRM database's size on disk, write-ahead log included.
func (e *env) dbBytes() (int64, error) {
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		fi, err := os.Stat(e.dbPath() + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

// Phase is one measured step.
type Phase struct {
	Name     string
	Elapsed  time.Duration
	Records  int            // stored in the CRM by a sync; changed by the change step
	Requests map[string]int // Selling API requests by operation, retries included
}

// sync times one SyncOnce.
func (e *env) sync(ctx context.Context, name string) (Phase, error) {
	e.requests.take()
	e.store.take()
	began := time.Now()
	err := e.engine.SyncOnce(ctx)
	return Phase{Name: name, Elapsed: time.Since(began), Records: e.store.take(), Requests: e.requests.take()}, err
}

// change times changing n opportunities server-side with workers in flight.
func (e *env) change(ctx context.Context, name string, n, workers int) (Phase, error) {
	e.requests.take()
	began := time.Now()
	err := changeOpportunities(ctx, e.api, e.catalog, e.local.IDs, n, workers)
	return Phase{Name: name, Elapsed: time.Since(began), Records: n, Requests: e.requests.take()}, err
}

func (e *env) close() error {
	var err error
	if e.store != nil {
		err = e.store.Close()
	}
	if e.crmDir != "" {
		err = errors.Join(err, os.RemoveAll(e.crmDir))
	}
	return errors.Join(err, e.local.Close())
}
