package exchange

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/store"
)

// ExportResult is what one export wrote.
type ExportResult struct {
	Bucket string
	// Keys are the files written: each outbound file and its archive copy.
	Keys          []string
	Opportunities int // records in the opportunity file (0: no file)
	Leads         int // records in the lead file (0: no file)
}

// fileStamp is the MMDDYYYYHHMMSS of file names, by the server clock in GMT
// (ACE's dates are GMT).
const fileStamp = "01022006150405"

func stamp(t time.Time) string { return t.UTC().Format(fileStamp) }

// Export writes the partner's AWS-referred opportunities and leads that are
// new or changed since its bucket's last export: one file per kind,
// "opportunity_{MMDDYYYYHHMMSS}.json" and "lead_{MMDDYYYYHHMMSS}.json" (with
// "_2", "_3"... when that name was already used), in the outbound folder
// and its archive. A kind with nothing new gets no file. The cursor moves
// only after the files are written: a crash in between exports the same
// changes again rather than losing them.
func (x *Exchange) Export(ctx context.Context, accountID, catalog string) (ExportResult, error) {
	b, err := x.bucketOf(accountID, catalog)
	if err != nil {
		return ExportResult{}, err
	}
	x.exporting.Lock()
	defer x.exporting.Unlock()
	return x.export(ctx, b)
}

// export is Export with the exporting lock held.
func (x *Exchange) export(ctx context.Context, b bucket) (ExportResult, error) {
	// At the store's precision, so a change in the same millisecond as the
	// export is at (not before) the next cursor.
	now := x.clock.Now().UTC().Truncate(time.Millisecond)
	doc, _, err := load[exportCursor](ctx, x.store, kindExportCursor, b, b.name)
	if err != nil {
		return ExportResult{}, err
	}
	cursor := doc.Value
	if cursor == nil {
		cursor = &exportCursor{Bucket: b.name}
	}
	sel := &selection{through: cursor.Through, now: now, seen: cursor.Seen, next: map[string]string{}}
	opportunities, err := x.opportunityExports(ctx, b, sel)
	if err != nil {
		return ExportResult{}, err
	}
	leads, err := x.leadExports(ctx, b, sel)
	if err != nil {
		return ExportResult{}, err
	}
	res := ExportResult{Bucket: b.name, Opportunities: len(opportunities), Leads: len(leads)}
	for _, file := range []struct {
		folders
		records []map[string]any
	}{{kinds[0], opportunities}, {kinds[1], leads}} {
		if len(file.records) == 0 {
			continue
		}
		keys, err := x.writeExport(ctx, b, file.folders, now, ace.OutboundFile(file.kind, b.spmsID, file.records))
		if err != nil {
			return ExportResult{}, err
		}
		res.Keys = append(res.Keys, keys...)
	}
	next := &exportCursor{Bucket: b.name, Through: now, Seen: sel.next}
	if err := x.save(ctx, kindExportCursor, b, next, doc.Version); err != nil {
		return ExportResult{}, err
	}
	x.due[b.name] = now.Add(x.exportEvery)
	return res, nil
}

// writeExport puts an outbound file and its archive copy under a name not
// used before.
func (x *Exchange) writeExport(ctx context.Context, b bucket, f folders, now time.Time, body []byte) ([]string, error) {
	base := f.stem + "_" + stamp(now)
	used, err := x.objects.ListObjects(ctx, b.name, f.outboundArchive+base)
	if err != nil {
		return nil, fmt.Errorf("exchange: list %s/%s: %w", b.name, f.outboundArchive, err)
	}
	taken := map[string]bool{}
	for _, o := range used {
		taken[strings.TrimPrefix(o.Key, f.outboundArchive)] = true
	}
	name := base + ".json"
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s_%d.json", base, n)
	}
	keys := []string{f.outbound + name, f.outboundArchive + name}
	for _, key := range keys {
		if err := x.objects.PutObject(ctx, b.name, key, body, jsonType); err != nil {
			return nil, fmt.Errorf("exchange: write %s/%s: %w", b.name, key, err)
		}
	}
	return keys, nil
}

// selection decides which items an export includes: those that changed at
// or after the cursor and were not already exported in that state.
type selection struct {
	through, now time.Time
	seen         map[string]string // from the cursor
	next         map[string]string // for the next cursor: items changed at or after now
}

// wants reports whether an item changed at `at` into state is to be
// exported, and remembers it when the next export could see it again.
func (s *selection) wants(key string, at time.Time, state string) bool {
	if at.Before(s.through) {
		return false
	}
	marker := store.FormatMillis(at) + " " + state
	if !at.Before(s.now) {
		s.next[key] = marker
	}
	return s.seen[key] != marker
}
