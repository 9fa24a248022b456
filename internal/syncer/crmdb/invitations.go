package crmdb

import (
	"context"
	"encoding/json"
)

// UpsertInvitation implements Remote.
func (s *sqlStore) UpsertInvitation(ctx context.Context, inv Invitation) error {
	record := string(inv.Record)
	if record == "" {
		record = "{}"
	}
	_, err := s.conn().exec(ctx, `INSERT INTO invitations (id, catalog, engagement_id, payload_type, status, sender, title,
			invitation_date, expiration_date, record, deleted, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET engagement_id = excluded.engagement_id, payload_type = excluded.payload_type,
			status = excluded.status, sender = excluded.sender, title = excluded.title, invitation_date = excluded.invitation_date,
			expiration_date = excluded.expiration_date, record = excluded.record, deleted = excluded.deleted, updated_at = excluded.updated_at`,
		inv.ID, inv.Catalog, inv.EngagementID, inv.PayloadType, inv.Status, inv.Sender, inv.Title,
		timeText(inv.InvitationDate), timeText(inv.ExpirationDate), record, inv.Deleted, timeText(s.now()))
	return err
}

// Invitations implements Local: the catalog's invitations, removed ones too.
func (s *sqlStore) Invitations(ctx context.Context, catalog string) ([]Invitation, error) {
	rows, err := s.conn().query(ctx, `SELECT id, catalog, engagement_id, payload_type, status, sender, title,
		invitation_date, expiration_date, record, deleted FROM invitations WHERE catalog = ? ORDER BY id`, catalog)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		var inv Invitation
		var invited, expires dbTime
		var record string
		if err := rows.Scan(&inv.ID, &inv.Catalog, &inv.EngagementID, &inv.PayloadType, &inv.Status, &inv.Sender, &inv.Title,
			&invited, &expires, &record, &inv.Deleted); err != nil {
			return nil, err
		}
		inv.Record = json.RawMessage(record)
		inv.InvitationDate, inv.ExpirationDate = invited.Time, expires.Time
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Stats implements Local.
func (s *sqlStore) Stats(ctx context.Context, catalog string) (Stats, error) {
	st := Stats{}
	var err error
	if st.State, err = readState(ctx, s.conn(), catalog); err != nil {
		return st, err
	}
	err = s.conn().queryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ? AND NOT deleted),
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ? AND `+inOutbox+`),
			(SELECT COUNT(*) FROM conflicts c JOIN opportunities o ON o.crm_id = c.crm_id WHERE o.catalog = ? AND c.resolved_at IS NULL),
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ? AND last_error != ''),
			(SELECT COUNT(*) FROM invitations WHERE catalog = ? AND NOT deleted)`, catalog, catalog, catalog, catalog, catalog).
		Scan(&st.Opportunities, &st.PendingEdits, &st.OpenConflicts, &st.Errors, &st.Invitations)
	return st, err
}
