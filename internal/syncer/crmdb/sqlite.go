package crmdb

import (
	"context"
	"database/sql"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// sqlite is the embedded database: a file next to the connector.
var sqlite = &dialect{
	migrations:      sqliteMigrations,
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
	placeholders:    func(query string) string { return query }, // the driver takes ? as it is
	lockWrites:      "",                                         // _txlock=immediate: BEGIN takes the write lock
}

// openSQLite opens (creating if needed) the SQLite file at path,
// migrated up to version (see openAt).
func openSQLite(ctx context.Context, path string, version int) (*sqlStore, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// One connection: SQLite serialises writers anyway, and immediate
	// transactions on one connection never meet SQLITE_BUSY among themselves.
	db.SetMaxOpenConns(1)
	return newStore(ctx, db, sqlite, path, version)
}
