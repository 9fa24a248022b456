package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// The outbox's order is its commit order, with no gaps in it: a reader that
// has seen seq N never later finds a new event below N, even with many
// replicas committing at once. Sequence numbers alone do not give that —
// a transaction may take number 5 and commit after another took 6 and
// committed — so numbers are handed out under a lock held until commit:
//
//   - The first AppendEvent of a transaction takes outboxLock, a
//     transaction-level advisory lock, and only then draws numbers from
//     event_seq. PostgreSQL releases the lock only after the commit (or
//     rollback) is complete and visible, so the next transaction to draw
//     numbers starts after every earlier number is committed or abandoned.
//   - Hence any snapshot that sees an event also sees every event with a
//     lower number that will ever exist. A rolled-back transaction leaves
//     its numbers unused: the sequence skips them, which readers (who ask
//     for seq > N) cannot tell from never having existed.
//
// The price is that transactions appending events run their remainder
// (from their first event to their commit) one at a time; the domains
// append events late in their transactions, so that remainder is short.
// A transaction waiting for the lock while holding a row the holder then
// needs is a deadlock PostgreSQL detects (after deadlock_timeout, 1 s by
// default); Update runs the loser again.
const outboxLock = 0x636f73656c6c02 // "cosell", 2

// outboxChannel is the NOTIFY channel commits with events are announced on.
const outboxChannel = "cosell_outbox"

func (t *tx) AppendEvent(ctx context.Context, e *store.Event) error {
	if !t.eventsLocked {
		// NOTIFY is delivered at commit, and only if the transaction commits.
		if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?), pg_notify('`+outboxChannel+`', '')`, outboxLock); err != nil {
			return fmt.Errorf("postgres: lock the outbox: %w", err)
		}
		t.eventsLocked = true
	}
	err := t.scanRow(ctx, `INSERT INTO events (seq, account, id, time_ms, detail_type, body)
		VALUES (nextval('event_seq'), ?, ?, ?, ?, ?) RETURNING seq`,
		[]any{e.Account, e.ID, e.Time.UnixMilli(), e.DetailType, nonNil(e.Body)}, &e.Seq)
	if err != nil {
		return fmt.Errorf("postgres: append event: %w", err)
	}
	return nil
}

func (r reader) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := r.scanRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events`, nil, &seq); err != nil {
		return 0, fmt.Errorf("postgres: last event: %w", err)
	}
	return seq, nil
}

func (r reader) ListEvents(ctx context.Context, q store.EventQuery) ([]store.Event, error) {
	var b sqlquery.Builder
	b.Add("seq > ?", q.AfterSeq)
	if q.Account != "" {
		b.Add("account = ?", q.Account)
	}
	query := `SELECT seq, account, id, time_ms, detail_type, body FROM events WHERE ` + b.Clause() + ` ORDER BY seq`
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.Args = append(b.Args, q.Limit)
	}
	return queryAll(ctx, r, "list events", query, b.Args, func(row pgx.Row) (store.Event, error) {
		var e store.Event
		var ms int64
		err := row.Scan(&e.Seq, &e.Account, &e.ID, &ms, &e.DetailType, &e.Body)
		e.Time = sqlquery.FromMillis(ms)
		return e, err
	})
}
