// Package exchange is cosell acting as AWS on the legacy ACE S3 file
// exchange (semantics.md §6): it processes the files partners put in the
// inbound folders of their buckets, answers each with a result file, and
// exports AWS-referred opportunities and leads to the outbound folders.
//
// Every change a file asks for goes through *selling.Service as the
// partner's account, so it is the same change, with the same rules and
// events, as the matching API call. What the exchange itself must remember
// (the files it processed, partner CRM ids, each bucket's export cursor)
// lives in store documents, so a restart neither loses nor repeats work.
package exchange

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/s3bucket"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

// ObjectInfo is a listed object, as the bucket server describes it.
type ObjectInfo = s3bucket.ObjectInfo

// ErrNoSuchKey is what Objects.GetObject returns for an absent key.
var ErrNoSuchKey = s3bucket.ErrNoSuchKey

// Objects is the S3 side: the buckets the exchange reads and writes.
type Objects interface {
	EnsureBucket(ctx context.Context, bucket string) error
	PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error
	// GetObject answers ErrNoSuchKey (possibly wrapped) for an absent key.
	GetObject(ctx context.Context, bucket, key string) ([]byte, ObjectInfo, error)
	DeleteObject(ctx context.Context, bucket, key string) error
	// ListObjects lists the objects whose key starts with prefix, by key.
	ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error)
}

// Partner is a partner account on the exchange and the SPMS id ACE knows
// it by, which names its buckets.
type Partner struct {
	AccountID, SpmsID string
}

// Config is what an Exchange needs.
type Config struct {
	Objects  Objects
	Selling  *selling.Service
	Store    store.Store
	Clock    clock.Clock
	Partners []Partner
	// ExportEvery is the export schedule by the server clock; 0 is AWS's
	// hourly one.
	ExportEvery time.Duration
	// Rescan, when set, has Run list the inbound folders that often: on
	// servers sharing a store, a file put through another server is
	// announced there, not to the one running the exchange.
	Rescan time.Duration
	Logger *slog.Logger
}

// Exchange is the AWS side of every partner's ACE buckets.
type Exchange struct {
	objects     Objects
	selling     *selling.Service
	store       store.Store
	clock       clock.Clock
	exportEvery time.Duration
	rescan      time.Duration
	log         *slog.Logger
	buckets     map[string]bucket // by bucket name
	queue       queue

	// processing serialises inbound files, exporting serialises exports:
	// each keeps its store documents free of write races.
	processing sync.Mutex
	exporting  sync.Mutex
	due        map[string]time.Time // next scheduled export by bucket name; guarded by exporting
}

// bucket is one partner bucket: the account and catalog its files act in.
type bucket struct {
	name, account, spmsID, catalog string
}

// catalogs are the two catalogs, each with its bucket: the Sandbox's
// "beta" and AWS's "prod".
var catalogs = []string{selling.CatalogSandbox, selling.CatalogAWS}

// New returns an Exchange and makes sure every partner's two buckets exist.
func New(cfg Config) (*Exchange, error) {
	if cfg.Objects == nil || cfg.Selling == nil || cfg.Store == nil {
		return nil, errors.New("exchange: Objects, Selling and Store are required")
	}
	x := &Exchange{
		objects: cfg.Objects, selling: cfg.Selling, store: cfg.Store, clock: cfg.Clock, exportEvery: cfg.ExportEvery, rescan: cfg.Rescan, log: cfg.Logger,
		buckets: map[string]bucket{}, due: map[string]time.Time{}, queue: newQueue(),
	}
	if x.clock == nil {
		x.clock = clock.System{}
	}
	if x.exportEvery <= 0 {
		x.exportEvery = time.Hour
	}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	accounts := map[string]bool{}
	for _, p := range cfg.Partners {
		if p.AccountID == "" || p.SpmsID == "" {
			return nil, fmt.Errorf("exchange: partner %+v needs an account id and an SPMS id", p)
		}
		if accounts[p.AccountID] {
			return nil, fmt.Errorf("exchange: account %s is listed twice", p.AccountID)
		}
		accounts[p.AccountID] = true
		for _, catalog := range catalogs {
			name := ace.BucketName(p.SpmsID, catalog)
			if spms, cat, ok := ace.ParseBucketName(name); !ok || spms != p.SpmsID || cat != catalog {
				return nil, fmt.Errorf("exchange: SPMS id %q does not make a valid bucket name", p.SpmsID)
			}
			if _, taken := x.buckets[name]; taken {
				return nil, fmt.Errorf("exchange: SPMS id %s is listed twice", p.SpmsID)
			}
			x.buckets[name] = bucket{name: name, account: p.AccountID, spmsID: p.SpmsID, catalog: catalog}
		}
	}
	for name := range x.buckets {
		if err := x.objects.EnsureBucket(context.Background(), name); err != nil {
			return nil, fmt.Errorf("exchange: bucket %s: %w", name, err)
		}
	}
	return x, nil
}

// Owner is the partner account a bucket belongs to.
func (x *Exchange) Owner(bucketName string) (accountID string, ok bool) {
	b, ok := x.buckets[bucketName]
	return b.account, ok
}

// bucketOf is the bucket of a partner's catalog.
func (x *Exchange) bucketOf(accountID, catalog string) (bucket, error) {
	for _, b := range x.buckets {
		if b.account == accountID && b.catalog == catalog {
			return b, nil
		}
	}
	// A caller's mistake (an unknown partner or catalog), not the server's.
	return bucket{}, apierr.NotFound("Account %s has no ACE bucket for catalog %q: give a partner account and AWS or Sandbox.", accountID, catalog)
}
