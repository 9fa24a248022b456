package crmdb_test

import (
	"context"
	"path/filepath"
	"testing"

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
// and its schema is not migrated twice.
func TestSQLiteReopenKeepsDataAndSchema(t *testing.T) {
	testReopen(t, filepath.Join(t.TempDir(), "crm.db"))
}

func testReopen(t *testing.T, dsn string) {
	ctx := context.Background()
	db := open(t, dsn)
	if err := db.CreateLocal(ctx, "Sandbox", "crm-1", map[string]any{"Project.Title": "T"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	o, err := open(t, dsn).Opportunity(ctx, "crm-1")
	if err != nil || o.CreatePayload["Project.Title"] != "T" {
		t.Fatalf("after reopen: %+v, %v", o, err)
	}
}
