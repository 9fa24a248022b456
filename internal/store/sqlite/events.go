package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

func (t *tx) AppendEvent(ctx context.Context, e *store.Event) error {
	err := t.q.QueryRowContext(ctx, `INSERT INTO events (account, id, time_ms, detail_type, body) VALUES (?, ?, ?, ?, ?) RETURNING seq`,
		e.Account, e.ID, e.Time.UnixMilli(), e.DetailType, e.Body).Scan(&e.Seq)
	if err != nil {
		return fmt.Errorf("sqlite: append event: %w", err)
	}
	return nil
}

func (r reader) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := r.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("sqlite: last event: %w", err)
	}
	return seq, nil
}

func (r reader) ListEvents(ctx context.Context, q store.EventQuery) ([]store.Event, error) {
	where, args := []string{"seq > ?"}, []any{q.AfterSeq}
	if q.Account != "" {
		where, args = append(where, "account = ?"), append(args, q.Account)
	}
	query := `SELECT seq, account, id, time_ms, detail_type, body FROM events WHERE ` + strings.Join(where, " AND ") + ` ORDER BY seq`
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	return queryAll(ctx, r.q, "list events", query, args, func(row rowScanner) (store.Event, error) {
		var e store.Event
		var ms int64
		err := row.Scan(&e.Seq, &e.Account, &e.ID, &ms, &e.DetailType, &e.Body)
		e.Time = sqlquery.FromMillis(ms)
		return e, err
	})
}
