package crmdb

import (
	"context"
	"database/sql"
	"errors"
)

// State implements Remote; a catalog never synced has the zero State.
func (s *sqlStore) State(ctx context.Context, catalog string) (State, error) {
	return readState(ctx, s.conn(), catalog)
}

func readState(ctx context.Context, c conn, catalog string) (State, error) {
	st := State{Catalog: catalog}
	var lastModified, lastSync dbTime
	err := c.queryRow(ctx, `SELECT aws_last_modified, event_cursor, full_load_token, full_load_done, last_sync_at
		FROM sync_state WHERE catalog = ?`, catalog).Scan(&lastModified, &st.EventCursor, &st.FullLoadToken, &st.FullLoadDone, &lastSync)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	st.AWSLastModified, st.LastSync = lastModified.Time, lastSync.Time
	return st, err
}

// SaveState implements Remote. The event cursor is left alone: it moves
// only with the events it covers (ApplyRemote).
func (s *sqlStore) SaveState(ctx context.Context, st State) error {
	_, err := s.conn().exec(ctx, `INSERT INTO sync_state (catalog, aws_last_modified, full_load_token, full_load_done, last_sync_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (catalog) DO UPDATE SET aws_last_modified = excluded.aws_last_modified, full_load_token = excluded.full_load_token,
			full_load_done = excluded.full_load_done, last_sync_at = excluded.last_sync_at, updated_at = excluded.updated_at`,
		st.Catalog, timeText(st.AWSLastModified), st.FullLoadToken, st.FullLoadDone, timeText(st.LastSync), timeText(s.now()))
	return err
}

func saveCursor(ctx context.Context, tx conn, catalog, cursor string, now any) error {
	_, err := tx.exec(ctx, `INSERT INTO sync_state (catalog, event_cursor, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (catalog) DO UPDATE SET event_cursor = excluded.event_cursor, updated_at = excluded.updated_at`, catalog, cursor, now)
	return err
}
