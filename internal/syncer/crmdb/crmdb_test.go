package crmdb

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

func openTest(t *testing.T) (*SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func remote(id, poid, title string, lmd time.Time) *RemoteRecord {
	body, _ := json.Marshal(map[string]any{"Id": id, "PartnerOpportunityIdentifier": poid, "Project": map[string]any{"Title": title}})
	return &RemoteRecord{PCID: id, PartnerOpportunityIdentifier: poid, LastModified: lmd, JSON: body}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	db, path := openTest(t)
	if err := db.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	o, err := again.Opportunity(ctx, "crm-1")
	if err != nil || o.CreatePayload["Project.Title"] != "T" {
		t.Fatalf("after reopen: %+v, %v", o, err)
	}
}

func TestApplyRemoteKeepsNewestAndMatchesLostCreate(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	if err := db.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T"}); err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 3, 1, 12, 0, 0, 123_000_000, time.UTC)
	// The create's answer was lost; Partner Central's record names the CRM id.
	if ok, err := db.ApplyRemote(ctx, "Sandbox", remote("O1", "crm-1", "T", t1), nil); err != nil || !ok {
		t.Fatalf("first apply: %v, %v", ok, err)
	}
	if ok, _ := db.ApplyRemote(ctx, "Sandbox", remote("O1", "crm-1", "older", t1.Add(-time.Millisecond)), nil); ok {
		t.Error("an older record was applied")
	}
	if ok, _ := db.ApplyRemote(ctx, "Sandbox", remote("O1", "crm-1", "newer", t1.Add(time.Millisecond)), nil); !ok {
		t.Error("a newer record was not applied")
	}
	all, _ := db.Opportunities(ctx, "Sandbox")
	if len(all) != 1 || all[0].PCID != "O1" || all[0].CreatePayload != nil || !all[0].AWSLastModified.Equal(t1.Add(time.Millisecond)) {
		t.Fatalf("rows: %+v", all)
	}
}

func TestEventsAreProcessedOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	t1 := time.Now().UTC()
	if ok, _ := db.ApplyRemote(ctx, "Sandbox", remote("O1", "", "a", t1), &EventMark{ID: "e1", Cursor: "7"}); !ok {
		t.Fatal("first delivery not applied")
	}
	if ok, _ := db.ApplyRemote(ctx, "Sandbox", remote("O1", "", "b", t1.Add(time.Second)), &EventMark{ID: "e1", Cursor: "7"}); ok {
		t.Error("a duplicate event was applied")
	}
	seen, _ := db.EventSeen(ctx, "e1")
	st, _ := db.State(ctx, "Sandbox")
	if !seen || st.EventCursor != "7" {
		t.Errorf("seen %v, cursor %q", seen, st.EventCursor)
	}
}

func TestEditConflictAndResolve(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	t1 := time.Now().UTC()
	db.ApplyRemote(ctx, "Sandbox", remote("O1", "", "Old", t1), nil)
	all, _ := db.Opportunities(ctx, "Sandbox")
	crmID := all[0].CRMID
	if err := db.EditLocal(ctx, crmID, map[string]any{"Project.Title": "Mine"}); err != nil {
		t.Fatal(err)
	}
	o, _ := db.Opportunity(ctx, crmID)
	if e := o.Edits["Project.Title"]; e.Value != "Mine" || e.Base != "Old" || !e.HasBase {
		t.Fatalf("edit = %+v", e)
	}
	if err := db.EditLocal(ctx, crmID, map[string]any{"": 1}); err == nil {
		t.Error("an empty path was accepted")
	}
	db.ApplyRemote(ctx, "Sandbox", remote("O1", "", "Theirs", t1.Add(time.Second)), nil)
	id, err := db.AddConflict(ctx, Conflict{CRMID: crmID, PCID: "O1", Fields: []string{"Project.Title"},
		CRMVersion: map[string]any{"Project.Title": "Mine"}, Reason: "changed on both sides"})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := db.Outbox(ctx, "Sandbox"); len(out) != 0 {
		t.Errorf("a conflicting edit stayed pending: %+v", out)
	}
	if err := db.ResolveConflict(ctx, id, KeepCRM); err != nil {
		t.Fatal(err)
	}
	if err := db.ResolveConflict(ctx, id, KeepCRM); err == nil {
		t.Error("resolved twice")
	}
	o, _ = db.Opportunity(ctx, crmID)
	if e := o.Edits["Project.Title"]; e.Value != "Mine" || e.Base != "Theirs" {
		t.Errorf("requeued edit = %+v", e)
	}
	open, _ := db.Conflicts(ctx, true)
	if len(open) != 0 {
		t.Errorf("open conflicts: %+v", open)
	}
	if err := db.ClearEdits(ctx, crmID, map[string]any{"Project.Title": "Mine"}); err != nil {
		t.Fatal(err)
	}
	st, _ := db.Stats(ctx, "Sandbox")
	if st.PendingEdits != 0 || st.Opportunities != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestRejectedRemovesOpportunity(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	rec := remote("O1", "", "x", time.Now().UTC())
	rec.ReviewStatus = "Rejected"
	db.ApplyRemote(ctx, "Sandbox", rec, nil)
	all, _ := db.Opportunities(ctx, "Sandbox")
	if len(all) != 1 || !all[0].Deleted {
		t.Fatalf("rows %+v", all)
	}
	if err := db.EditLocal(ctx, all[0].CRMID, map[string]any{"Project.Title": "y"}); err == nil {
		t.Error("edited a removed opportunity")
	}
}
