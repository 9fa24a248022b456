// Package postgres is the store on a PostgreSQL database, for running
// several cosell replicas on one database. It passes the same conformance
// suite (store/storetest) as store/sqlite and shares its queries
// (store/sqlquery).
//
// What holds across replicas, and how:
//   - Every Update is a SERIALIZABLE transaction, retried from the start
//     when PostgreSQL reports a serialization failure or a deadlock: the
//     outcome is that of the transactions running one at a time, as on
//     SQLite. So optimistic locking (compare-and-swap on LastModifiedDate or
//     a document version) and ClientToken idempotency have one winner, and
//     the loser sees the winner's write when it runs again. fn may therefore
//     run more than once; only its last run's effects are committed.
//   - Opportunity numbers and event sequence numbers come from PostgreSQL
//     sequences, which never hand a number out twice.
//   - The outbox has a gap-free commit order (events.go), and commits that
//     appended events are announced with NOTIFY, so every replica's event
//     followers wake at once (WatchCommits).
//
// Sharding: the per-account tables (opportunities, idempotency, solutions,
// tags, settings, events) carry the account first in their keys. Documents
// are shared by the accounts they name (an invitation has a sender and a
// receiver), the two sequences are server-wide, and so are the settings of
// the empty scope.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// Store is a store.Store over one PostgreSQL database.
type Store struct {
	reader
	pool *pgxpool.Pool

	mu    sync.Mutex
	watch *watcher // started by the first WatchCommits; guarded by mu
}

var _ store.Store = (*Store)(nil)

// defaultConnectTimeout bounds each connection attempt unless the URL sets
// connect_timeout.
const defaultConnectTimeout = 10 * time.Second

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string) and brings its schema up to date. Replicas may open
// the same database at the same time: migrations run one at a time.
func Open(url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// An unreachable server fails the start instead of hanging it;
		// connect_timeout in the URL overrides this.
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{reader: reader{q: pool}, pool: pool}, nil
}

// Close stops watching for commits and closes every connection.
func (s *Store) Close() error {
	s.mu.Lock()
	w := s.watch
	s.mu.Unlock()
	if w != nil {
		w.stop()
	}
	s.pool.Close()
	return nil
}

// maxAttempts bounds how often Update runs a transaction that keeps losing
// races. Each loss means another transaction committed, so progress is
// never lost; the bound is high because on a hot row (every writer bumping
// one counter) an unlucky transaction may lose many times in a row before
// its random pause lets it through.
const maxAttempts = 200

// Update runs fn in one SERIALIZABLE transaction and commits it; an error
// from fn (or a panic) rolls everything back. A transaction that failed
// because a concurrent one won (serialization failure, deadlock) runs again
// from the start, after a short random pause.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.attempt(ctx, fn)
		if !retryable(err) || attempt == maxAttempts {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// attempt runs fn once. Its error is retryable when any statement of the
// transaction failed for a reason a rerun can cure, even if fn returned
// another error for it.
func (s *Store) attempt(ctx context.Context, fn func(tx store.Tx) error) error {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	t := &tx{reader: reader{q: pgTx}}
	t.reader.failed = &t.failure
	committed := false
	defer func() {
		if !committed {
			_ = pgTx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(t); err != nil {
		if retryable(t.failure) {
			return t.failure // whatever fn made of it, running again can cure it
		}
		return err
	}
	if t.failure != nil {
		return t.failure // fn ignored a failed statement: the transaction is aborted
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	committed = true
	return nil
}

// retryable tells whether err comes from losing a race another transaction
// won, so the same transaction run again can succeed.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "40001", // serialization_failure
		"40P01": // deadlock_detected
		return true
	}
	return false
}

// querier is what reads and writes need; *pgxpool.Pool and pgx.Tx have it.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// reader implements store.Reader over the pool or a transaction. Queries
// are written with "?" placeholders, as store/sqlquery builds them.
type reader struct {
	q querier
	// failed, in a transaction, keeps the first statement error: after it
	// PostgreSQL refuses the rest of the transaction, and Update needs to
	// know whether running it again can help.
	failed *error
}

// tx implements store.Tx; its reads see its own uncommitted writes.
type tx struct {
	reader
	failure      error
	eventsLocked bool // the outbox lock is held (events.go)
}

func (r reader) note(err error) error {
	if err != nil && r.failed != nil && *r.failed == nil && !errors.Is(err, pgx.ErrNoRows) {
		*r.failed = err
	}
	return err
}

func (r reader) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := r.q.Exec(ctx, sqlquery.Rebind(sql), args...)
	return tag, r.note(err)
}

// scanRow runs a query expected to return one row and scans it.
func (r reader) scanRow(ctx context.Context, sql string, args []any, dest ...any) error {
	return r.note(r.q.QueryRow(ctx, sqlquery.Rebind(sql), args...).Scan(dest...))
}

// queryAll runs a query and scans every row it returns.
func queryAll[T any](ctx context.Context, r reader, what, sql string, args []any, scan func(pgx.Row) (T, error)) ([]T, error) {
	rows, err := r.q.Query(ctx, sqlquery.Rebind(sql), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, r.note(err))
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, r.note(err))
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, r.note(err))
	}
	return out, nil
}

// notFound maps "no row" to store.ErrNotFound and wraps anything else.
func notFound(what string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// nonNil is b, or an empty slice for nil: bytea columns are NOT NULL, and
// an absent document is an empty one.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
