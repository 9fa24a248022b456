package crmdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Open opens the CRM database dsn names and brings its schema up to date:
// a postgres:// or postgresql:// URL is a PostgreSQL database, anything
// else the path of a SQLite file, created if needed.
func Open(ctx context.Context, dsn string) (Store, error) { return openAt(ctx, dsn, latest) }

// latest asks openAt for every migration.
const latest = -1

// openAt opens dsn migrated up to version: latest, or an older one to
// make the database an older connector left.
func openAt(ctx context.Context, dsn string, version int) (Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, version)
	}
	return openSQLite(ctx, dsn, version)
}

// Describe names the database dsn opens in a form safe to log: a
// PostgreSQL URL without its password, a SQLite path as it is.
func Describe(dsn string) string {
	if IsPostgres(dsn) {
		return redact(dsn)
	}
	return dsn
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// dialect is what differs between the SQL databases. Everything else —
// every query — is shared text written with ? placeholders.
type dialect struct {
	// migrations are the schema in this database's types, applied in
	// order, each once, recorded in schema_migrations; append new ones,
	// never edit an applied one.
	migrations []string
	// migrationsTable creates schema_migrations if it is missing.
	migrationsTable string
	// placeholders rewrites the shared ? placeholders for the driver.
	placeholders func(query string) string
	// lockWrites opens every writing transaction, so writers take turns
	// and a read-modify-write never loses another's update; "" where
	// BEGIN already takes the database's write lock.
	lockWrites string
}

// sqlStore is the Store over a database/sql database in some dialect.
type sqlStore struct {
	db  *sql.DB
	d   *dialect
	now func() time.Time
}

var _ Store = (*sqlStore)(nil)

// newStore wraps db and migrates it up to version (see openAt); name (no
// secrets) labels errors.
func newStore(ctx context.Context, db *sql.DB, d *dialect, name string, version int) (*sqlStore, error) {
	s := &sqlStore{db: db, d: d, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(ctx, version); err != nil {
		db.Close()
		return nil, fmt.Errorf("crmdb: migrate %s: %w", name, err)
	}
	return s, nil
}

// Close closes the database.
func (s *sqlStore) Close() error { return s.db.Close() }

// conn runs shared SQL on the database or on a transaction.
type conn struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	d *dialect
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.placeholders(query), args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.placeholders(query), args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.placeholders(query), args...)
}

// conn reads or writes outside a transaction.
func (s *sqlStore) conn() conn { return conn{s.db, s.d} }

// inTx runs fn in one writing transaction, committed when fn returns nil.
func (s *sqlStore) inTx(ctx context.Context, fn func(conn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	c := conn{tx, s.d}
	if s.d.lockWrites != "" {
		if _, err := c.exec(ctx, s.d.lockWrites); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := fn(c); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// migrate applies the missing migrations up to version in one
// transaction; its write lock makes concurrent openers wait for the first,
// then find nothing to do.
func (s *sqlStore) migrate(ctx context.Context, version int) error {
	if version == latest {
		version = len(s.d.migrations)
	}
	return s.inTx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, s.d.migrationsTable); err != nil {
			return err
		}
		var have int
		if err := c.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		for v := have + 1; v <= version; v++ {
			if _, err := c.exec(ctx, s.d.migrations[v-1]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			if _, err := c.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, timeText(s.now())); err != nil {
				return err
			}
		}
		return nil
	})
}
