package server

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/ace/exchange"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/s3bucket"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

// The legacy ACE file exchange: every partner's two buckets (Sandbox
// "beta", AWS "prod") served over the S3 REST API on the API port, and the
// exchange worker that plays AWS on them with the same Selling domain the
// API uses.

// aceExchange is the exchange's running parts.
type aceExchange struct {
	store    store.Store // the domains' store, which holds the exchange's lease among replicas
	buckets  *s3bucket.Server
	exchange *exchange.Exchange
	partners []exchange.Partner
}

// newACE builds the exchange over the Selling domain. Objects persist in
// DataDir/s3 (in memory for a throwaway store), or in the PostgreSQL store.
func newACE(d *deps, verifier *auth.Verifier, svc *selling.Service) (*aceExchange, error) {
	partners := make([]exchange.Partner, len(d.accounts))
	for i, a := range d.accounts {
		partners[i] = exchange.Partner{AccountID: a.AccountID, SpmsID: spmsIDOf(a)}
	}
	a := &aceExchange{store: d.store, partners: partners}
	// The bucket server needs the exchange's Owner and the exchange needs
	// the bucket server: the closures below read a.exchange once built.
	dir := ""
	if d.cfg.DataDir != ":memory:" {
		dir = filepath.Join(d.cfg.DataDir, "s3")
	}
	var err error
	a.buckets, err = s3bucket.New(s3bucket.Config{
		Dir: dir, PostgresURL: d.cfg.Store, Verifier: verifier, Clock: d.cfg.Clock, Logger: d.cfg.Logger,
		Owner: func(bucket string) (string, bool) { return a.exchange.Owner(bucket) },
		OnPut: func(bucket, key string) { a.exchange.Notify(bucket, key) },
	})
	if err != nil {
		return nil, fmt.Errorf("s3 buckets: %w", err)
	}
	d.onClose(a.buckets)
	var rescan time.Duration
	if d.replica != "" {
		rescan = aceRescan
	}
	a.exchange, err = exchange.New(exchange.Config{Objects: a.buckets, Selling: svc, Store: d.store, Clock: d.cfg.Clock,
		Partners: partners, ExportEvery: d.cfg.ACEExportEvery, Rescan: rescan, Logger: d.cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("ace exchange: %w", err)
	}
	return a, nil
}

// aceLease is the lease of the exchange's worker among replicas.
const aceLease = "ace-exchange"

// aceRescan is how often the replica running the exchange lists the
// inbound folders, for files put through the other replicas.
const aceRescan = 2 * time.Second

// spmsIDOf is the partner id ACE names an account's buckets with: the
// accounts file's spmsId, else the account id's last seven digits without
// leading zeros (111111111111 → 1111111), as real SPMS ids are short numbers.
func spmsIDOf(a auth.Account) string {
	if a.SpmsID != "" {
		return a.SpmsID
	}
	id := a.AccountID
	if len(id) > 7 {
		id = id[len(id)-7:]
	}
	if trimmed := strings.TrimLeft(id, "0"); trimmed != "" {
		return trimmed
	}
	return "0"
}

// route sends S3 requests to the buckets and everything else to next.
func (a *aceExchange) route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.buckets.IsS3Request(r) {
			a.buckets.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Export and Buckets are the admin API's view of the exchange.
func (a *aceExchange) Export(ctx context.Context, account, catalog string) (*admin.ExportOutcome, error) {
	r, err := a.exchange.Export(ctx, account, catalog)
	if err != nil {
		return nil, err
	}
	return &admin.ExportOutcome{Bucket: r.Bucket, Keys: r.Keys, Opportunities: r.Opportunities, Leads: r.Leads}, nil
}

func (a *aceExchange) Buckets() []admin.Bucket {
	var out []admin.Bucket
	for _, p := range a.partners {
		for _, catalog := range []string{selling.CatalogSandbox, selling.CatalogAWS} {
			out = append(out, admin.Bucket{Account: p.AccountID, SpmsID: p.SpmsID, Catalog: catalog, Name: ace.BucketName(p.SpmsID, catalog)})
		}
	}
	return out
}

// ACEBuckets are the partners' ACE buckets, which the server also answers
// S3 requests for.
func (s *Server) ACEBuckets() []admin.Bucket { return s.ace.Buckets() }
