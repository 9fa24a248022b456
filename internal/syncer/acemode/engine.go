// Package acemode is the sync connector's S3 mode, for partners still on
// the legacy ACE file exchange (semantics.md §6): instead of the Selling
// API it reads AWS's outbound files into the CRM database, and sends the
// CRM's creates, edits and referral answers as inbound files whose
// results it applies back. The CRM database is the same crmdb.Store the
// API mode keeps; what only this mode needs (uploads awaiting results,
// files read) is in its Book.
package acemode

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// Engine syncs one catalog through one bucket.
type Engine struct {
	Bucket  Bucket
	DB      crmdb.Store
	Book    Book
	Catalog string
	SpmsID  string // the files' spmsId; "" reads it from an ace-apn-{spmsId}-... bucket name
	// Name starts every inbound file name: {Name}-{n}_MMDDYYYYHHMMSS.json.
	Name string
	// TagProcessed tags outbound files partner_processed=true before
	// deleting them, so a file whose deletion fails is visibly read.
	TagProcessed bool
	Log          *slog.Logger
}

// defaultName prefixes inbound files when Engine.Name is empty.
const defaultName = "cosell"

// spmsID is the id the files carry.
func (e *Engine) spmsID() (string, error) {
	if e.SpmsID != "" {
		return e.SpmsID, nil
	}
	if id, _, ok := ace.ParseBucketName(e.Bucket.Name); ok {
		return id, nil
	}
	return "", fmt.Errorf("acemode: bucket %q is not named ace-apn-{spmsId}-...; give the spmsId", e.Bucket.Name)
}

// SyncOnce runs one cycle: AWS's outbound files into the CRM, then the
// uploads in flight (sent if a crash left them unsent, results applied
// when there), then the CRM's new changes out as a file.
func (e *Engine) SyncOnce(ctx context.Context) error {
	if err := e.pull(ctx); err != nil {
		return err
	}
	if err := e.settle(ctx); err != nil {
		return err
	}
	return e.push(ctx)
}

// AwaitResults applies results as they arrive, checking every `every`,
// until no upload awaits one or ctx ends.
func (e *Engine) AwaitResults(ctx context.Context, every time.Duration) error {
	for {
		if err := e.settle(ctx); err != nil {
			return err
		}
		open, err := e.Book.Pending(ctx, e.Catalog)
		if err != nil || len(open) == 0 {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("acemode: %d uploads still await their results: %w", len(open), ctx.Err())
		case <-time.After(every):
		}
	}
}

// Run syncs until ctx ends: a cycle at once, then one every pollEvery.
// A failed cycle is logged; the next starts again from the stored state.
func (e *Engine) Run(ctx context.Context, pollEvery time.Duration) error {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if err := e.SyncOnce(ctx); err != nil && ctx.Err() == nil {
			e.Log.Error("sync cycle failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Status is the CRM database's counts with the S3 mode's own.
func (e *Engine) Status(ctx context.Context) (crmdb.Stats, Stats, error) {
	crm, err := e.DB.Stats(ctx, e.Catalog)
	if err != nil {
		return crm, Stats{}, err
	}
	own, err := e.Book.Stats(ctx, e.Catalog, e.Bucket.Name)
	return crm, own, err
}
