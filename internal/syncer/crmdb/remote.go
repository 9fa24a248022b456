package crmdb

import (
	"context"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// EventSeen implements Remote.
func (s *sqlStore) EventSeen(ctx context.Context, eventID string) (bool, error) {
	var n int
	err := s.conn().queryRow(ctx, `SELECT COUNT(*) FROM processed_events WHERE event_id = ?`, eventID).Scan(&n)
	return n > 0, err
}

// OpportunityByPCID implements Remote.
func (s *sqlStore) OpportunityByPCID(ctx context.Context, catalog, pcID string) (*Opportunity, error) {
	return getOpportunity(ctx, s.conn(), `catalog = ? AND pc_id = ?`, catalog, pcID)
}

// RemoteVersions implements Remote.
func (s *sqlStore) RemoteVersions(ctx context.Context, catalog string, pcIDs []string) (map[string]time.Time, error) {
	versions := map[string]time.Time{}
	if len(pcIDs) == 0 {
		return versions, nil
	}
	args := []any{catalog}
	for _, id := range pcIDs {
		args = append(args, id)
	}
	rows, err := s.conn().query(ctx, versionsQuery(len(pcIDs)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var lastModified dbTime
		if err := rows.Scan(&id, &lastModified); err != nil {
			return nil, err
		}
		versions[id] = lastModified.Time
	}
	return versions, rows.Err()
}

// versionsQuery reads the versions of n O-ids.
func versionsQuery(n int) string {
	return `SELECT pc_id, aws_last_modified FROM opportunities WHERE catalog = ? AND pc_id IN (?` + strings.Repeat(", ?", n-1) + `)`
}

// NewestAWSChange implements Remote. The times are compared here, not by
// MAX: SQLite keeps them as RFC 3339 text with as many fractional digits
// as AWS sent, which does not sort in time order. The index
// opportunities_changed holds the column, so no record is read.
func (s *sqlStore) NewestAWSChange(ctx context.Context, catalog string) (time.Time, error) {
	rows, err := s.conn().query(ctx, newestQuery, catalog)
	if err != nil {
		return time.Time{}, err
	}
	defer rows.Close()
	var newest time.Time
	for rows.Next() {
		var t dbTime
		if err := rows.Scan(&t); err != nil {
			return time.Time{}, err
		}
		if t.After(newest) {
			newest = t.Time
		}
	}
	return newest, rows.Err()
}

const newestQuery = `SELECT aws_last_modified FROM opportunities WHERE catalog = ? AND aws_last_modified IS NOT NULL`

// Outbox implements Remote.
func (s *sqlStore) Outbox(ctx context.Context, catalog string) ([]Opportunity, error) {
	return listOpportunities(ctx, s.conn(), `catalog = ? AND `+inOutbox, catalog)
}

// inOutbox selects live opportunities with a create or edits to push. It
// is the predicate of the partial index opportunities_outbox, word for
// word: SQLite uses that index only for a query that repeats it.
const inOutbox = `NOT deleted AND (create_payload IS NOT NULL OR pending != '{}')`

// SetPCID implements Remote.
func (s *sqlStore) SetPCID(ctx context.Context, crmID, pcID string) error {
	_, err := s.conn().exec(ctx, `UPDATE opportunities SET pc_id = ?, create_payload = NULL, updated_at = ? WHERE crm_id = ?`,
		pcID, timeText(s.now()), crmID)
	return err
}

// ClearEdits implements Remote.
func (s *sqlStore) ClearEdits(ctx context.Context, crmID string, applied map[string]any) error {
	return s.inTx(ctx, func(tx conn) error {
		o, err := getOpportunity(ctx, tx, `crm_id = ?`, crmID)
		if err != nil {
			return err
		}
		for path, v := range applied {
			if e, ok := o.Edits[path]; ok && fieldpath.Equal(e.Value, v) {
				delete(o.Edits, path)
			}
		}
		pending, err := mustJSON(o.Edits)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE opportunities SET pending = ?, last_error = '', updated_at = ? WHERE crm_id = ?`,
			pending, timeText(s.now()), crmID)
		return err
	})
}

// RecordError implements Remote.
func (s *sqlStore) RecordError(ctx context.Context, crmID, msg string) error {
	count := `error_count + 1`
	if msg == "" {
		count = `error_count`
	}
	_, err := s.conn().exec(ctx, `UPDATE opportunities SET last_error = ?, error_count = `+count+`, updated_at = ? WHERE crm_id = ?`,
		msg, timeText(s.now()), crmID)
	return err
}
