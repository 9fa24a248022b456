package crmdb_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/crmdb/crmdbtest"
)

func TestSQLite(t *testing.T) {
	crmdbtest.Run(t, func(t *testing.T) crmdb.Store {
		return open(t, filepath.Join(t.TempDir(), "crm.db"))
	})
}

// open opens dsn with crmdb.Open, closing the store when t ends.
func open(t *testing.T, dsn string) crmdb.Store {
	t.Helper()
	db, err := crmdb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A path is a SQLite file: closed and opened again, it keeps its rows,
// and its schema is migrated once.
func TestSQLiteReopenKeepsDataAndSchema(t *testing.T) {
	testReopen(t, "sqlite", filepath.Join(t.TempDir(), "crm.db"))
}

// testReopen opens dsn with the first schema, as an older connector left
// it, and writes to it; opened again, it migrates and keeps its rows, the
// new indexes serve them, and a third open migrates nothing.
func testReopen(t *testing.T, driver, dsn string) {
	ctx := context.Background()
	old, err := crmdb.OpenAt(ctx, dsn, 1)
	if err != nil {
		t.Fatal(err)
	}
	lastModified := time.Date(2026, 3, 1, 12, 0, 0, 123_000_000, time.UTC)
	for _, err := range []error{
		old.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T"}),
		apply(ctx, old, &crmdb.RemoteRecord{PCID: "O2", PartnerOpportunityIdentifier: "crm-2", LastModified: lastModified, JSON: []byte(`{}`)}),
		old.EditLocal(ctx, "crm-2", map[string]any{"Project.Title": "U"}),
		old.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	db := open(t, dsn)
	o, err := db.Opportunity(ctx, "crm-1")
	if err != nil || o.CreatePayload["Project.Title"] != "T" {
		t.Fatalf("after reopen: %+v, %v", o, err)
	}
	if out, err := db.Outbox(ctx, "Sandbox"); err != nil || len(out) != 2 || out[0].CRMID != "crm-1" || out[1].CRMID != "crm-2" {
		t.Errorf("outbox after the migration: %+v, %v", out, err)
	}
	if newest, err := db.NewestAWSChange(ctx, "Sandbox"); err != nil || !newest.Equal(lastModified) {
		t.Errorf("newest change after the migration: %v, %v", newest, err)
	}
	db.Close()
	open(t, dsn)
	if got := column(t, rawDB(t, driver, dsn), `SELECT version FROM schema_migrations ORDER BY version`); !reflect.DeepEqual(got, allMigrations) {
		t.Errorf("migrations recorded: %v, want %v", got, allMigrations)
	}
}

// allMigrations are the versions of the current schema.
var allMigrations = []string{"1", "2"}

func apply(ctx context.Context, db crmdb.Store, rec *crmdb.RemoteRecord) error {
	_, err := db.ApplyRemote(ctx, "Sandbox", rec, nil)
	return err
}
