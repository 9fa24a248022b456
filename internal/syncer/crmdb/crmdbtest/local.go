package crmdbtest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

func testCreateLocal(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	must(t, db.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T", "Project.Spend": 3}))
	o := get(t, db, "crm-1")
	want := map[string]any{"Project.Title": "T", "Project.Spend": float64(3)} // normalized as JSON decodes
	if !reflect.DeepEqual(o.CreatePayload, want) || o.Catalog != "Sandbox" || o.PCID != "" || o.LocalVersion != 1 ||
		len(o.Edits) != 0 || len(o.CRMFields) != 0 || o.Deleted || o.Record != nil {
		t.Fatalf("created %+v", o)
	}
	if err := db.CreateLocal(ctx, "Sandbox", "crm-1", nil); err == nil {
		t.Error("a second create with the same CRM id was accepted")
	}
	if err := db.CreateLocal(ctx, "", "crm-2", nil); err == nil {
		t.Error("a create without a catalog was accepted")
	}
	if err := db.CreateLocal(ctx, "Sandbox", "crm-3", map[string]any{"Project..Title": "x"}); err == nil {
		t.Error("a create with an empty path segment was accepted")
	}
	if _, err := db.Opportunity(ctx, "crm-3"); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("refused create: %v, want ErrNotFound", err)
	}
	if _, err := db.OpportunityByPCID(ctx, "Sandbox", "O-none"); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("unknown O-id: %v, want ErrNotFound", err)
	}
	if rows, err := db.Opportunities(ctx, "AWS"); err != nil || len(rows) != 0 {
		t.Errorf("another catalog: %+v, %v", rows, err)
	}
}

func testEditLocalKeepsFirstBase(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	must(t, db.CreateLocal(ctx, "Sandbox", "new", map[string]any{"Project.Title": "T"}))
	must(t, db.EditLocal(ctx, "new", map[string]any{"Project.Title": "T2"}))
	if e := get(t, db, "new").Edits["Project.Title"]; e.HasBase || e.Base != nil || e.Value != "T2" {
		t.Errorf("an edit before Partner Central has the opportunity: %+v", e)
	}

	apply(t, db, "Sandbox", remote("O1", "", "Old", t0), nil)
	crmID := "pc-Sandbox-O1"
	must(t, db.EditLocal(ctx, crmID, map[string]any{"Project.Title": "Mine", "Project.Other": "x"}))
	must(t, db.EditLocal(ctx, crmID, map[string]any{"Project.Title": "Mine again"}))
	o := get(t, db, crmID)
	if e := o.Edits["Project.Title"]; e.Value != "Mine again" || e.Base != "Old" || !e.HasBase {
		t.Errorf("edited twice: %+v, want the first edit's base", e)
	}
	if e := o.Edits["Project.Other"]; e.Value != "x" || e.Base != nil || !e.HasBase {
		t.Errorf("a field Partner Central lacks: %+v", e)
	}
	if o.LocalVersion != 2 {
		t.Errorf("LocalVersion %d after two edits", o.LocalVersion)
	}
	if err := db.EditLocal(ctx, crmID, map[string]any{"": 1}); err == nil {
		t.Error("an empty path was accepted")
	}
	if err := db.EditLocal(ctx, "nope", map[string]any{"Project.Title": "x"}); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("editing an unknown id: %v, want ErrNotFound", err)
	}
}

func testSetCRMField(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "", "T", t0), nil)
	must(t, db.SetCRMField(ctx, "pc-Sandbox-O1", "owner", "ann"))
	must(t, db.SetCRMField(ctx, "pc-Sandbox-O1", "score", 7))
	o := get(t, db, "pc-Sandbox-O1")
	if o.CRMFields["owner"] != "ann" || o.CRMFields["score"] != float64(7) || o.LocalVersion != 2 {
		t.Errorf("CRM fields %v, version %d", o.CRMFields, o.LocalVersion)
	}
	if out, _ := db.Outbox(ctx, "Sandbox"); len(out) != 0 {
		t.Errorf("a CRM-only field was queued for Partner Central: %+v", out)
	}
	if err := db.SetCRMField(ctx, "nope", "owner", "x"); !errors.Is(err, crmdb.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
}

// Writers on one opportunity take turns: none overwrites another's edit.
func testConcurrentEditsAreNotLost(t *testing.T, db crmdb.Store) {
	ctx := t.Context()
	apply(t, db, "Sandbox", remote("O1", "", "T", t0), nil)
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errs <- db.EditLocal(ctx, "pc-Sandbox-O1", map[string]any{fmt.Sprintf("Project.F%d", i): i})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	o := get(t, db, "pc-Sandbox-O1")
	if len(o.Edits) != writers || o.LocalVersion != writers {
		t.Errorf("%d edits pending, version %d; want %d of each", len(o.Edits), o.LocalVersion, writers)
	}
}
