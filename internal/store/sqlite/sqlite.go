// Package sqlite is the embedded store: one SQLite database file in WAL mode,
// written through a single connection and read through a small pool.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/cosell/cosell/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Synchronous is SQLite's fsync policy for commits in WAL mode.
type Synchronous string

const (
	// SyncNormal (the default) writes every commit to the WAL in the OS before
	// Update returns, and fsyncs only at checkpoints. A killed process (kill -9,
	// panic, OOM) never loses an acknowledged write, because the kernel still
	// holds the data; a power loss or kernel crash can lose the last commits
	// (the database stays consistent). This keeps a write well under 1 ms.
	SyncNormal Synchronous = "NORMAL"
	// SyncFull fsyncs the WAL on every commit: acknowledged writes also survive
	// power loss, at the price of one fsync per Update.
	SyncFull Synchronous = "FULL"
)

// Option adjusts Open.
type Option func(*config)

type config struct {
	sync        Synchronous
	readers     int
	busyTimeout int // milliseconds
}

// WithSynchronous picks the commit durability; see SyncNormal and SyncFull.
func WithSynchronous(s Synchronous) Option { return func(c *config) { c.sync = s } }

// WithReaders sets the size of the read connection pool (default 4).
func WithReaders(n int) Option { return func(c *config) { c.readers = max(n, 1) } }

// Store is a store.Store over one SQLite database.
type Store struct {
	reader
	write   *sql.DB // exactly one connection: SQLite has one writer anyway, and queuing here avoids SQLITE_BUSY
	read    *sql.DB
	cleanup func() error // removes a throwaway database
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and brings its schema
// up to date. path ":memory:" gives a throwaway store: a fresh database in a
// temporary directory, removed by Close. It is a real file rather than
// SQLite's in-memory mode so that it behaves exactly like a persistent store
// (WAL, concurrent readers beside the writer); with nothing to keep, it skips
// fsync entirely.
func Open(path string, opts ...Option) (*Store, error) {
	cfg := config{sync: SyncNormal, readers: 4, busyTimeout: 10000}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.sync != SyncNormal && cfg.sync != SyncFull {
		return nil, fmt.Errorf("sqlite: unknown synchronous level %q", cfg.sync)
	}
	s := &Store{cleanup: func() error { return nil }}
	if path == ":memory:" {
		dir, err := os.MkdirTemp("", "cosell-store-")
		if err != nil {
			return nil, fmt.Errorf("sqlite: throwaway store: %w", err)
		}
		path = filepath.Join(dir, "cosell.db")
		cfg.sync = "OFF"
		s.cleanup = func() error { return os.RemoveAll(dir) }
	}
	var err error
	if s.write, err = openPool(path, cfg, false, 1); err == nil {
		err = migrate(context.Background(), s.write)
	}
	if err == nil {
		s.read, err = openPool(path, cfg, true, cfg.readers)
	}
	var getOpportunity *sql.Stmt
	if err == nil {
		getOpportunity, err = s.read.Prepare(getOpportunitySQL)
	}
	if err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.reader = reader{q: s.read, getOpportunity: getOpportunity}
	return s, nil
}

// uriPathEscaper escapes the characters that would end a path inside a SQLite
// file: URI.
var uriPathEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// openPool opens a connection pool with the pragmas every connection needs.
func openPool(path string, cfg config, readOnly bool, conns int) (*sql.DB, error) {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(cfg.busyTimeout))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", string(cfg.sync))
	q.Set("_foreign_keys", "on")
	// Pages through mmap and a 32 MiB page cache per connection: a listing
	// page touches ~100 scattered table pages, and a read() per page fetch
	// costs more than the lookup itself.
	q.Add("_pragma", "mmap_size(1073741824)")
	q.Add("_pragma", "cache_size(-32768)")
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction that
	// reads then writes can never fail to upgrade (e.g. when a second process
	// such as a seeding CLI has the same file open).
	q.Set("_txlock", "immediate")
	if readOnly {
		q.Set("_query_only", "on")
	}
	dsn := "file:" + uriPathEscaper.Replace(path) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Update runs fn in one write transaction and commits it; an error from fn
// (or a panic) rolls everything back. Updates run one at a time.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) (err error) {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback()
		}
	}()
	if err := fn(&tx{reader{q: sqlTx}}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	committed = true
	return nil
}

// Close closes every connection and, for a throwaway store, deletes it.
func (s *Store) Close() error {
	var errs []error
	for _, db := range []*sql.DB{s.read, s.write} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	errs = append(errs, s.cleanup())
	return errors.Join(errs...)
}

// SizeBytes is the database's size: its pages, as SQLite counts them
// (the write-ahead log not yet checkpointed is not included).
func (s *Store) SizeBytes(ctx context.Context) (int64, error) {
	var pages, pageSize int64
	if err := s.read.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return 0, err
	}
	if err := s.read.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return 0, err
	}
	return pages * pageSize, nil
}

var _ store.Sizer = (*Store)(nil)
