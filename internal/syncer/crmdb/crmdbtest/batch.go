package crmdbtest

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// A page of records goes in as one batch, each under ApplyRemote's rules:
// newer than the stored version or not stored, matched to a lost create,
// named by its PartnerOpportunityIdentifier when that is free, in order
// (a record twice in the batch meets its own first copy).
func testApplyRemoteBatch(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "", "stored", t0), nil)
	apply(t, db, "Sandbox", remote("O2", "", "stored", t0), nil)
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-5", map[string]any{"Project.Title": "mine"}))
	batch := []*crmdb.RemoteRecord{
		remote("O1", "", "newer", t0.Add(time.Millisecond)),
		remote("O2", "", "older", t0.Add(-time.Millisecond)),
		remote("O3", "crm-3", "new", t0),
		remote("O3", "crm-3", "duplicate", t0),
		remote("O4", "", "first", t0),
		remote("O4", "", "second", t0.Add(time.Second)),
		remote("O5", "crm-5", "created", t0),
		remote("O6", "crm-3", "id taken", t0),
	}
	n, err := db.ApplyRemoteBatch(ctx, "Sandbox", batch)
	must(t, err)
	if n != 6 {
		t.Errorf("applied %d, want 6: all but the older O2 and the duplicate O3", n)
	}
	for crmID, want := range map[string]string{"pc-Sandbox-O1": "newer", "pc-Sandbox-O2": "stored", "crm-3": "new",
		"pc-Sandbox-O4": "second", "crm-5": "created", "pc-Sandbox-O6": "id taken"} {
		if o := get(t, db, crmID); title(t, o) != want {
			t.Errorf("%s is %q, want %q", crmID, title(t, o), want)
		}
	}
	if o := get(t, db, "crm-5"); o.PCID != "O5" || o.CreatePayload != nil {
		t.Errorf("the lost create: %+v", o)
	}
	if n, err := db.ApplyRemoteBatch(ctx, "Sandbox", nil); n != 0 || err != nil {
		t.Errorf("an empty batch: %d, %v", n, err)
	}
}

// A batch that fails stores none of its records.
func testApplyRemoteBatchIsAtomic(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	// O9's new row would take the CRM id pc-Sandbox-O9, which the CRM used.
	must(t, db.CreateLocal(ctx, "Sandbox", "pc-Sandbox-O9", nil))
	batch := []*crmdb.RemoteRecord{remote("O7", "", "T", t0), remote("O9", "", "T", t0)}
	if _, err := db.ApplyRemoteBatch(ctx, "Sandbox", batch); err == nil {
		t.Fatal("a batch with a clashing CRM id was stored")
	}
	if versions, err := db.RemoteVersions(ctx, "Sandbox", []string{"O7", "O9"}); err != nil || len(versions) != 0 {
		t.Errorf("after the failed batch: %v, %v; want nothing stored", versions, err)
	}
}

func testRemoteVersions(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "", "T", t0), nil)
	apply(t, db, "Sandbox", remote("O2", "", "T", t0.Add(time.Second)), nil)
	apply(t, db, "AWS", remote("O3", "", "T", t0), nil)
	got, err := db.RemoteVersions(ctx, "Sandbox", []string{"O1", "O2", "O3", "O-none"})
	must(t, err)
	want := map[string]time.Time{"O1": t0, "O2": t0.Add(time.Second)}
	if !maps.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("versions %v, want %v", got, want)
	}
	if got, err := db.RemoteVersions(ctx, "Sandbox", nil); err != nil || len(got) != 0 {
		t.Errorf("no ids: %v, %v", got, err)
	}
}

// The newest change is by time, not by the spelling of the times: within
// one second, a time with more digits can be the later one.
func testNewestAWSChange(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	newest := func(catalog string) time.Time {
		got, err := db.NewestAWSChange(ctx, catalog)
		must(t, err)
		return got
	}
	if got := newest("Sandbox"); !got.IsZero() {
		t.Errorf("an empty catalog: %v", got)
	}
	second := t0.Truncate(time.Second)
	for i, lmd := range []time.Time{second, second.Add(123 * time.Millisecond), second.Add(120 * time.Millisecond)} {
		apply(t, db, "Sandbox", remote(fmt.Sprintf("O%d", i), "", "T", lmd), nil)
	}
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-1", nil)) // not in Partner Central: no time
	apply(t, db, "AWS", remote("O1", "", "T", t0.Add(time.Hour)), nil)
	if got, want := newest("Sandbox"), second.Add(123*time.Millisecond); !got.Equal(want) {
		t.Errorf("newest %s, want %s", got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	}
}
