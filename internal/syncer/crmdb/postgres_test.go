package crmdb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/crmdb/crmdbtest"
	"github.com/cosell/cosell/internal/testpg"
)

func TestPostgres(t *testing.T) {
	crmdbtest.Run(t, func(t *testing.T) crmdb.Store { return open(t, testpg.NewDatabase(t)) })
}

// Both URL schemes name PostgreSQL; the data outlives the connection.
func TestPostgresReopenKeepsDataAndSchema(t *testing.T) {
	url := testpg.NewDatabase(t)
	testReopen(t, "pgx", "postgresql://"+strings.TrimPrefix(url, "postgres://"))
	if o, err := open(t, url).Opportunity(context.Background(), "crm-1"); err != nil || o.CRMID != "crm-1" {
		t.Fatalf("through postgres://: %+v, %v", o, err)
	}
}

// Connectors starting together on a new database migrate it once.
func TestPostgresConcurrentOpenersMigrateOnce(t *testing.T) {
	url := testpg.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := crmdb.Open(context.Background(), url)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	raw := rawDB(t, "pgx", url)
	if versions := column(t, raw, `SELECT version FROM schema_migrations ORDER BY version`); !reflect.DeepEqual(versions, allMigrations) {
		t.Errorf("migrations recorded: %v, want %v", versions, allMigrations)
	}
}

// The two schemas have the same tables, columns (in order) and indexes.
func TestSchemasMatch(t *testing.T) {
	url := testpg.NewDatabase(t)
	path := filepath.Join(t.TempDir(), "crm.db")
	open(t, url)
	open(t, path)
	lite := rawDB(t, "sqlite", path)
	pg := rawDB(t, "pgx", url)
	liteCols := column(t, lite, `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`)
	pgCols := column(t, pg, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if !reflect.DeepEqual(liteCols, pgCols) {
		t.Errorf("columns differ:\nSQLite     %v\nPostgreSQL %v", liteCols, pgCols)
	}
	liteIdx := column(t, lite, `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	pgIdx := column(t, pg, `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' ORDER BY indexname`)
	if !reflect.DeepEqual(liteIdx, pgIdx) {
		t.Errorf("indexes differ: SQLite %v, PostgreSQL %v", liteIdx, pgIdx)
	}
}

func rawDB(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// column is the one text column query returns.
func column(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
