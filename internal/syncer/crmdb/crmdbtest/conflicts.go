package crmdbtest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// conflicted is an opportunity whose title and problem the CRM edited
// while Partner Central changed the title: crm-1 over O1.
func conflicted(t *testing.T, db crmdb.Store) *crmdb.RemoteRecord {
	t.Helper()
	apply(t, db, "Sandbox", remote("O1", "crm-1", "Old", t0), nil)
	must(t, db.EditLocal(t.Context(), "crm-1", map[string]any{"Project.Title": "Mine", "Project.Problem": "P"}))
	theirs := remote("O1", "crm-1", "Theirs", t0.Add(time.Second))
	apply(t, db, "Sandbox", theirs, nil)
	return theirs
}

func testConflictsOpenAndResolved(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	theirs := conflicted(t, db)
	title, err := db.AddConflict(ctx, crmdb.Conflict{CRMID: "crm-1", PCID: "O1", Fields: []string{"Project.Title"},
		CRMVersion: map[string]any{"Project.Title": "Mine"}, PartnerCentral: theirs.JSON, Reason: "changed on both sides"})
	must(t, err)
	problem, err := db.AddConflict(ctx, crmdb.Conflict{CRMID: "crm-1", PCID: "O1", Fields: []string{"Project.Problem"},
		CRMVersion: map[string]any{"Project.Problem": "P"}, Reason: "refused"})
	must(t, err)
	if title == problem {
		t.Fatalf("two conflicts share id %d", title)
	}
	if o := get(t, db, "crm-1"); len(o.Edits) != 0 {
		t.Errorf("conflicting edits stayed pending: %+v", o.Edits)
	}

	c, err := db.Conflict(ctx, title)
	must(t, err)
	if c.CRMID != "crm-1" || c.PCID != "O1" || !reflect.DeepEqual(c.Fields, []string{"Project.Title"}) ||
		c.CRMVersion["Project.Title"] != "Mine" || !sameJSON(t, c.PartnerCentral, theirs.JSON) ||
		c.Reason != "changed on both sides" || c.Created.IsZero() || c.Resolved != nil || c.Resolution != "" {
		t.Errorf("conflict %+v", c)
	}
	if c, err := db.Conflict(ctx, problem); err != nil || string(c.PartnerCentral) != "null" {
		t.Errorf("a conflict without a Partner Central record: %+v, %v", c, err)
	}
	if _, err := db.Conflict(ctx, problem+100); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("unknown conflict: %v, want ErrNotFound", err)
	}

	must(t, db.ResolveConflict(ctx, problem, crmdb.KeepPartnerCentral))
	if o := get(t, db, "crm-1"); len(o.Edits) != 0 {
		t.Errorf("keeping Partner Central's values queued edits: %+v", o.Edits)
	}
	if err := db.ResolveConflict(ctx, title, "mine"); err == nil {
		t.Error("an unknown resolution was accepted")
	}
	listIDs := func(openOnly bool) []int64 {
		all, err := db.Conflicts(ctx, openOnly)
		must(t, err)
		ids := []int64{}
		for _, c := range all {
			ids = append(ids, c.ID)
		}
		return ids
	}
	if got := listIDs(true); !reflect.DeepEqual(got, []int64{title}) {
		t.Errorf("open conflicts %v, want [%d]", got, title)
	}
	if got := listIDs(false); !reflect.DeepEqual(got, []int64{title, problem}) {
		t.Errorf("all conflicts %v, want [%d %d] in order", got, title, problem)
	}
	c, err = db.Conflict(ctx, problem)
	must(t, err)
	if c.Resolved == nil || c.Resolved.Before(c.Created) || c.Resolution != crmdb.KeepPartnerCentral {
		t.Errorf("resolved conflict %+v", c)
	}
}

func testResolveKeepCRMRequeues(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	theirs := conflicted(t, db)
	id, err := db.AddConflict(ctx, crmdb.Conflict{CRMID: "crm-1", PCID: "O1", Fields: []string{"Project.Title"},
		CRMVersion: map[string]any{"Project.Title": "Mine"}, PartnerCentral: theirs.JSON, Reason: "changed on both sides"})
	must(t, err)
	before := get(t, db, "crm-1").LocalVersion
	must(t, db.ResolveConflict(ctx, id, crmdb.KeepCRM))
	o := get(t, db, "crm-1")
	if e := o.Edits["Project.Title"]; e != (crmdb.Edit{Value: "Mine", Base: "Theirs", HasBase: true}) {
		t.Errorf("requeued edit %+v, want Mine over Theirs", e)
	}
	if e := o.Edits["Project.Problem"]; e.Value != "P" {
		t.Errorf("the edit outside the conflict: %+v", e)
	}
	if o.LocalVersion != before+1 {
		t.Errorf("LocalVersion %d, want %d", o.LocalVersion, before+1)
	}
	if err := db.ResolveConflict(ctx, id, crmdb.KeepCRM); err == nil {
		t.Error("resolved twice")
	}
	if err := db.ResolveConflict(ctx, id+100, crmdb.KeepCRM); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("unknown conflict: %v, want ErrNotFound", err)
	}
}
