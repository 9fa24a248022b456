package crmdbtest

import (
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

func testState(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	st, err := db.State(ctx, "Sandbox")
	must(t, err)
	if st != (crmdb.State{Catalog: "Sandbox"}) {
		t.Errorf("a catalog never synced: %+v", st)
	}
	want := crmdb.State{Catalog: "Sandbox", AWSLastModified: t0, FullLoadToken: "page-3", LastSync: t0.Add(time.Minute)}
	must(t, db.SaveState(ctx, want))
	want = crmdb.State{Catalog: "Sandbox", AWSLastModified: t0.Add(time.Millisecond), FullLoadDone: true, LastSync: t0.Add(2 * time.Minute)}
	must(t, db.SaveState(ctx, want))
	if st, err = db.State(ctx, "Sandbox"); err != nil || !sameState(st, want) {
		t.Errorf("state %+v, %v; want %+v", st, err, want)
	}
	if st, err = db.State(ctx, "AWS"); err != nil || st != (crmdb.State{Catalog: "AWS"}) {
		t.Errorf("another catalog: %+v, %v", st, err)
	}
}

func sameState(a, b crmdb.State) bool {
	return a.Catalog == b.Catalog && a.AWSLastModified.Equal(b.AWSLastModified) && a.EventCursor == b.EventCursor &&
		a.FullLoadToken == b.FullLoadToken && a.FullLoadDone == b.FullLoadDone && a.LastSync.Equal(b.LastSync)
}

func testInvitations(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	first := crmdb.Invitation{ID: "b-inv", Catalog: "Sandbox", EngagementID: "E1", PayloadType: "OpportunityInvitation",
		Status: "PENDING", Sender: "AWS", Title: "Referral", InvitationDate: t0, ExpirationDate: t0.Add(15 * 24 * time.Hour),
		Record: []byte(`{"Id":"b-inv","Status":"PENDING"}`)}
	must(t, db.UpsertInvitation(ctx, first))
	must(t, db.UpsertInvitation(ctx, crmdb.Invitation{ID: "B-inv", Catalog: "Sandbox"})) // byte order: B before b
	must(t, db.UpsertInvitation(ctx, crmdb.Invitation{ID: "a-inv", Catalog: "AWS"}))
	updated := first
	updated.Status, updated.Deleted, updated.Record = "REJECTED", true, []byte(`{"Id":"b-inv","Status":"REJECTED"}`)
	must(t, db.UpsertInvitation(ctx, updated))

	got, err := db.Invitations(ctx, "Sandbox")
	must(t, err)
	if len(got) != 2 || got[0].ID != "B-inv" || got[1].ID != "b-inv" {
		t.Fatalf("invitations %+v, want B-inv then b-inv", got)
	}
	if !sameJSON(t, got[0].Record, []byte(`{}`)) || !got[0].InvitationDate.IsZero() {
		t.Errorf("an invitation without record or dates: %+v", got[0])
	}
	inv := got[1]
	if !sameJSON(t, inv.Record, updated.Record) || !inv.InvitationDate.Equal(updated.InvitationDate) ||
		!inv.ExpirationDate.Equal(updated.ExpirationDate) {
		t.Errorf("invitation %+v, want %+v", inv, updated)
	}
	inv.Record, updated.Record = nil, nil
	inv.InvitationDate, inv.ExpirationDate = updated.InvitationDate, updated.ExpirationDate
	if !reflect.DeepEqual(inv, updated) {
		t.Errorf("invitation %+v, want %+v", inv, updated)
	}
}

func testStats(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	theirs := conflicted(t, db) // crm-1: a live opportunity with two edits
	id, err := db.AddConflict(ctx, crmdb.Conflict{CRMID: "crm-1", PCID: "O1", Fields: []string{"Project.Title"},
		CRMVersion: map[string]any{"Project.Title": "Mine"}, PartnerCentral: theirs.JSON, Reason: "both"})
	must(t, err)
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-2", nil))
	must(t, db.RecordError(ctx, "crm-2", "refused"))
	apply(t, db, "Sandbox", remote("O3", "", "quiet", t0), nil)
	rejected := remote("O4", "", "gone", t0)
	rejected.ReviewStatus = "Rejected"
	apply(t, db, "Sandbox", rejected, nil)
	must(t, db.UpsertInvitation(ctx, crmdb.Invitation{ID: "i1", Catalog: "Sandbox"}))
	must(t, db.UpsertInvitation(ctx, crmdb.Invitation{ID: "i2", Catalog: "Sandbox", Deleted: true}))
	// Another catalog counts apart.
	must(t, db.CreateLocal(ctx, "AWS", "aws-1", nil))
	must(t, db.UpsertInvitation(ctx, crmdb.Invitation{ID: "i3", Catalog: "AWS"}))
	must(t, db.SaveState(ctx, crmdb.State{Catalog: "Sandbox", FullLoadDone: true}))

	st, err := db.Stats(ctx, "Sandbox")
	must(t, err)
	want := crmdb.Stats{State: crmdb.State{Catalog: "Sandbox", FullLoadDone: true},
		Opportunities: 3, PendingEdits: 2, OpenConflicts: 1, Errors: 1, Invitations: 1}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	must(t, db.ResolveConflict(ctx, id, crmdb.KeepPartnerCentral))
	must(t, db.RecordError(ctx, "crm-2", ""))
	if st, err = db.Stats(ctx, "Sandbox"); err != nil || st.OpenConflicts != 0 || st.Errors != 0 {
		t.Errorf("after resolving and a clean push: %+v, %v", st, err)
	}
	if st, err = db.Stats(ctx, "AWS"); err != nil || st.Opportunities != 1 || st.PendingEdits != 1 || st.Invitations != 1 {
		t.Errorf("AWS: %+v, %v", st, err)
	}
}
