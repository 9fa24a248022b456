package crmdbtest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

func testApplyRemoteKeepsNewest(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	if !apply(t, db, "Sandbox", remote("O1", "", "first", t0), nil) {
		t.Fatal("a new record was not applied")
	}
	if apply(t, db, "Sandbox", remote("O1", "", "same time", t0), nil) {
		t.Error("a record no newer than the stored one was applied")
	}
	if apply(t, db, "Sandbox", remote("O1", "", "older", t0.Add(-time.Millisecond)), nil) {
		t.Error("an older record was applied")
	}
	if !apply(t, db, "Sandbox", remote("O1", "", "newer", t0.Add(time.Millisecond)), nil) {
		t.Error("a newer record was not applied")
	}
	if apply(t, db, "Sandbox", remote("O1", "", "late", t0), nil) {
		t.Error("a late fetch of an older record was applied")
	}
	o, err := db.OpportunityByPCID(ctx, "Sandbox", "O1")
	must(t, err)
	if title(t, o) != "newer" || !o.AWSLastModified.Equal(t0.Add(time.Millisecond)) {
		t.Errorf("stored %q at %v, want the newest", title(t, o), o.AWSLastModified)
	}
}

// A create whose answer was lost: Partner Central's record names the CRM
// id, and lands on the CRM's own row.
func testApplyRemoteMatchesLostCreate(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T"}))
	if !apply(t, db, "Sandbox", remote("O1", "crm-1", "T", t0), nil) {
		t.Fatal("not applied")
	}
	all, err := db.Opportunities(ctx, "Sandbox")
	must(t, err)
	if len(all) != 1 || all[0].CRMID != "crm-1" || all[0].PCID != "O1" || all[0].CreatePayload != nil {
		t.Fatalf("rows %+v", all)
	}
	if out, _ := db.Outbox(ctx, "Sandbox"); len(out) != 0 {
		t.Errorf("the create is still queued: %+v", out)
	}
}

// A record new to the CRM takes its PartnerOpportunityIdentifier as CRM id
// when that is free, else one made of the catalog and O-id.
func testApplyRemoteNamesNewRows(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "crm-9", "a", t0), nil)
	apply(t, db, "Sandbox", remote("O2", "crm-9", "b", t0), nil) // crm-9 is taken by O1
	apply(t, db, "Sandbox", remote("O3", "", "c", t0), nil)
	for pcID, want := range map[string]string{"O1": "crm-9", "O2": "pc-Sandbox-O2", "O3": "pc-Sandbox-O3"} {
		o, err := db.OpportunityByPCID(ctx, "Sandbox", pcID)
		if err != nil || o.CRMID != want {
			t.Errorf("%s: %+v, %v; want CRM id %s", pcID, o, err, want)
		}
	}
}

func testCatalogsAreSeparate(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "", "sandbox", t0), nil)
	apply(t, db, "AWS", remote("O1", "", "aws", t0), nil)
	for _, catalog := range []string{"Sandbox", "AWS"} {
		rows, err := db.Opportunities(ctx, catalog)
		must(t, err)
		if len(rows) != 1 || rows[0].Catalog != catalog || rows[0].CRMID != "pc-"+catalog+"-O1" {
			t.Errorf("%s: %+v", catalog, rows)
		}
	}
	o, err := db.OpportunityByPCID(ctx, "AWS", "O1")
	must(t, err)
	if title(t, o) != "aws" {
		t.Errorf("AWS O1 is %q", title(t, o))
	}
}

func testRejectedRemovesOpportunity(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	rec := remote("O1", "", "x", t0)
	rec.ReviewStatus = "Rejected"
	apply(t, db, "Sandbox", rec, nil)
	all, err := db.Opportunities(ctx, "Sandbox")
	must(t, err)
	if len(all) != 1 || !all[0].Deleted {
		t.Fatalf("rows %+v", all)
	}
	if err := db.EditLocal(ctx, all[0].CRMID, map[string]any{"Project.Title": "y"}); err == nil {
		t.Error("edited a removed opportunity")
	}
}

func testEventsAreProcessedOnce(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	seen := func(id string) bool {
		ok, err := db.EventSeen(ctx, id)
		must(t, err)
		return ok
	}
	cursor := func() string {
		st, err := db.State(ctx, "Sandbox")
		must(t, err)
		return st.EventCursor
	}
	if seen("e1") {
		t.Fatal("an event seen before it came")
	}
	if !apply(t, db, "Sandbox", remote("O1", "", "a", t0), &crmdb.EventMark{ID: "e1", Cursor: "7"}) {
		t.Fatal("first delivery not applied")
	}
	if apply(t, db, "Sandbox", remote("O1", "", "b", t0.Add(time.Second)), &crmdb.EventMark{ID: "e1", Cursor: "7"}) {
		t.Error("a duplicate event was applied")
	}
	if o := get(t, db, "pc-Sandbox-O1"); title(t, o) != "a" {
		t.Errorf("the duplicate stored %q", title(t, o))
	}
	if !seen("e1") || cursor() != "7" {
		t.Errorf("after e1: seen %v, cursor %q", seen("e1"), cursor())
	}
	// An event with nothing to fetch, and one whose record is stale: both
	// are processed and move the cursor.
	apply(t, db, "Sandbox", nil, &crmdb.EventMark{ID: "e2", Cursor: "8"})
	if apply(t, db, "Sandbox", remote("O1", "", "stale", t0), &crmdb.EventMark{ID: "e3", Cursor: "9"}) {
		t.Error("a stale record was applied")
	}
	if !seen("e2") || !seen("e3") || cursor() != "9" {
		t.Errorf("after e2, e3: seen %v %v, cursor %q", seen("e2"), seen("e3"), cursor())
	}
	// A feed that keeps its own position leaves the cursor alone, and so
	// does saving the polling state.
	apply(t, db, "Sandbox", nil, &crmdb.EventMark{ID: "e4"})
	must(t, db.SaveState(ctx, crmdb.State{Catalog: "Sandbox", FullLoadDone: true}))
	if cursor() != "9" {
		t.Errorf("cursor %q, want 9", cursor())
	}
}

// Times come back as stored, to the millisecond AWS sends, whatever zone
// they were given in.
func testTimesRoundTripExactly(t *testing.T, db crmdb.Store) {
	lmd := time.Date(2026, 3, 1, 14, 0, 0, 999_000_000, time.FixedZone("CEST", 2*3600))
	apply(t, db, "Sandbox", remote("O1", "", "T", lmd), nil)
	o := get(t, db, "pc-Sandbox-O1")
	if !o.AWSLastModified.Equal(lmd) || o.AWSLastModified.Format(time.RFC3339Nano) != "2026-03-01T12:00:00.999Z" {
		t.Errorf("LastModifiedDate %s, want %s in UTC", o.AWSLastModified.Format(time.RFC3339Nano), lmd)
	}
	// The exact time again is not newer; a millisecond more is.
	if apply(t, db, "Sandbox", remote("O1", "", "T", lmd), nil) ||
		!apply(t, db, "Sandbox", remote("O1", "", "T", lmd.Add(time.Millisecond)), nil) {
		t.Error("a millisecond was lost in the round trip")
	}
}

func testOutboxMembersAndOrder(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	must(t, db.CreateLocal(ctx, "Sandbox", "b-create", nil))
	must(t, db.CreateLocal(ctx, "Sandbox", "B-create", nil)) // byte order: B before a and b
	must(t, db.CreateLocal(ctx, "AWS", "a-other-catalog", nil))
	apply(t, db, "Sandbox", remote("O1", "a-edited", "T", t0), nil)
	must(t, db.EditLocal(ctx, "a-edited", map[string]any{"Project.Title": "U"}))
	apply(t, db, "Sandbox", remote("O2", "c-untouched", "T", t0), nil)
	rejected := remote("O3", "d-rejected", "T", t0)
	apply(t, db, "Sandbox", remote("O3", "d-rejected", "T", t0.Add(-time.Second)), nil)
	must(t, db.EditLocal(ctx, "d-rejected", map[string]any{"Project.Title": "U"}))
	rejected.ReviewStatus = "Rejected"
	apply(t, db, "Sandbox", rejected, nil)

	out, err := db.Outbox(ctx, "Sandbox")
	must(t, err)
	if got, want := crmIDs(out), []string{"B-create", "a-edited", "b-create"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("outbox %v, want %v", got, want)
	}
	if out[1].Edits["Project.Title"].Value != "U" {
		t.Errorf("the outbox row lacks its edit: %+v", out[1])
	}
	// A create answered leaves the outbox.
	must(t, db.SetPCID(ctx, "b-create", "O4"))
	o := get(t, db, "b-create")
	if o.PCID != "O4" || o.CreatePayload != nil {
		t.Errorf("after SetPCID: %+v", o)
	}
	out, err = db.Outbox(ctx, "Sandbox")
	must(t, err)
	if got, want := crmIDs(out), []string{"B-create", "a-edited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("outbox %v, want %v", got, want)
	}
}

func testClearEditsKeepsEditsMadeMeanwhile(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "crm-1", "Old", t0), nil)
	must(t, db.EditLocal(ctx, "crm-1", map[string]any{"Project.Title": "A", "Project.Problem": "P"}))
	must(t, db.RecordError(ctx, "crm-1", "throttled"))
	pushed := map[string]any{"Project.Title": "A", "Project.Problem": "P"}
	// While the push is on its way, the CRM changes the title again.
	must(t, db.EditLocal(ctx, "crm-1", map[string]any{"Project.Title": "B"}))
	must(t, db.ClearEdits(ctx, "crm-1", pushed))
	o := get(t, db, "crm-1")
	if len(o.Edits) != 1 || o.Edits["Project.Title"] != (crmdb.Edit{Value: "B", Base: "Old", HasBase: true}) {
		t.Errorf("pending %+v, want only the title edit made meanwhile", o.Edits)
	}
	if o.LastError != "" || o.ErrorCount != 1 {
		t.Errorf("error %q (%d), want cleared, count kept", o.LastError, o.ErrorCount)
	}
	if err := db.ClearEdits(ctx, "nope", pushed); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
}

func testRecordError(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-1", nil))
	must(t, db.RecordError(ctx, "crm-1", "first"))
	must(t, db.RecordError(ctx, "crm-1", "second"))
	if o := get(t, db, "crm-1"); o.LastError != "second" || o.ErrorCount != 2 {
		t.Errorf("error %q (%d), want second (2)", o.LastError, o.ErrorCount)
	}
	must(t, db.RecordError(ctx, "crm-1", ""))
	if o := get(t, db, "crm-1"); o.LastError != "" || o.ErrorCount != 2 {
		t.Errorf("cleared: error %q (%d), want none (2)", o.LastError, o.ErrorCount)
	}
}
