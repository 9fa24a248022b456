package crmdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// reviewRejected is the ReviewStatus of an opportunity AWS disqualified;
// the guide says to remove it from the CRM.
const reviewRejected = "Rejected"

// EventSeen implements Remote.
func (s *sqlStore) EventSeen(ctx context.Context, eventID string) (bool, error) {
	var n int
	err := s.conn().queryRow(ctx, `SELECT COUNT(*) FROM processed_events WHERE event_id = ?`, eventID).Scan(&n)
	return n > 0, err
}

// ApplyRemote implements Remote.
func (s *sqlStore) ApplyRemote(ctx context.Context, catalog string, rec *RemoteRecord, ev *EventMark) (bool, error) {
	applied := false
	err := s.inTx(ctx, func(tx conn) error {
		now := timeText(s.now())
		if ev != nil {
			res, err := tx.exec(ctx, `INSERT INTO processed_events (event_id, processed_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, ev.ID, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // a duplicate: the first delivery did the work
			}
			if ev.Cursor != "" {
				if err := saveCursor(ctx, tx, catalog, ev.Cursor, now); err != nil {
					return err
				}
			}
		}
		if rec == nil {
			return nil
		}
		var err error
		applied, err = upsertRemote(ctx, tx, catalog, rec, now)
		return err
	})
	return applied, err
}

// upsertRemote stores rec over the row with its O-id, else over the CRM's
// own create it answers (PartnerOpportunityIdentifier is the CRM id, for a
// create whose answer was lost), else as a new row; a record not newer
// than the stored one is ignored, so late or repeated fetches converge.
func upsertRemote(ctx context.Context, tx conn, catalog string, rec *RemoteRecord, now any) (bool, error) {
	o, err := getOpportunity(ctx, tx, `catalog = ? AND pc_id = ?`, catalog, rec.PCID)
	if errors.Is(err, ErrNotFound) && rec.PartnerOpportunityIdentifier != "" {
		o, err = getOpportunity(ctx, tx, `catalog = ? AND crm_id = ? AND pc_id IS NULL`, catalog, rec.PartnerOpportunityIdentifier)
	}
	deleted := rec.ReviewStatus == reviewRejected
	switch {
	case errors.Is(err, ErrNotFound):
		_, err = tx.exec(ctx, `INSERT INTO opportunities (crm_id, catalog, pc_id, pc_record, aws_last_modified, deleted, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, newCRMID(ctx, tx, catalog, rec), catalog, rec.PCID, string(rec.JSON), timeText(rec.LastModified), deleted, now)
		return err == nil, err
	case err != nil:
		return false, err
	case o.PCID != "" && !rec.LastModified.After(o.AWSLastModified):
		return false, nil
	}
	_, err = tx.exec(ctx, `UPDATE opportunities SET pc_id = ?, pc_record = ?, aws_last_modified = ?, create_payload = NULL,
		deleted = ?, updated_at = ? WHERE crm_id = ?`, rec.PCID, string(rec.JSON), timeText(rec.LastModified), deleted, now, o.CRMID)
	return err == nil, err
}

// newCRMID names an opportunity that reached the CRM from Partner Central:
// its PartnerOpportunityIdentifier when no CRM row has it, else one made
// from the catalog and O-id.
func newCRMID(ctx context.Context, tx conn, catalog string, rec *RemoteRecord) string {
	if id := rec.PartnerOpportunityIdentifier; id != "" {
		if _, err := getOpportunity(ctx, tx, `crm_id = ?`, id); errors.Is(err, ErrNotFound) {
			return id
		}
	}
	return fmt.Sprintf("pc-%s-%s", catalog, rec.PCID)
}

// OpportunityByPCID implements Remote.
func (s *sqlStore) OpportunityByPCID(ctx context.Context, catalog, pcID string) (*Opportunity, error) {
	return getOpportunity(ctx, s.conn(), `catalog = ? AND pc_id = ?`, catalog, pcID)
}

// Outbox implements Remote.
func (s *sqlStore) Outbox(ctx context.Context, catalog string) ([]Opportunity, error) {
	return listOpportunities(ctx, s.conn(), `catalog = ? AND `+inOutbox, catalog)
}

// inOutbox selects live opportunities with a create or edits to push.
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
