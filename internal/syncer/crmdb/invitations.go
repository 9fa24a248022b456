package crmdb

import (
	"context"
	"database/sql"
	"encoding/json"
)

// UpsertInvitation implements Remote.
func (s *SQLite) UpsertInvitation(ctx context.Context, inv Invitation) error {
	record := string(inv.Record)
	if record == "" {
		record = "{}"
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO invitations (id, catalog, engagement_id, payload_type, status, sender, title,
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
func (s *SQLite) Invitations(ctx context.Context, catalog string) ([]Invitation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, catalog, engagement_id, payload_type, status, sender, title,
		invitation_date, expiration_date, record, deleted FROM invitations WHERE catalog = ? ORDER BY id`, catalog)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		var inv Invitation
		var invited, expires sql.NullString
		var record string
		if err := rows.Scan(&inv.ID, &inv.Catalog, &inv.EngagementID, &inv.PayloadType, &inv.Status, &inv.Sender, &inv.Title,
			&invited, &expires, &record, &inv.Deleted); err != nil {
			return nil, err
		}
		inv.Record = json.RawMessage(record)
		if inv.InvitationDate, err = parseTime(invited); err != nil {
			return nil, err
		}
		if inv.ExpirationDate, err = parseTime(expires); err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Stats implements Local.
func (s *SQLite) Stats(ctx context.Context, catalog string) (Stats, error) {
	st := Stats{}
	var err error
	if st.State, err = readState(ctx, s.db, catalog); err != nil {
		return st, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ?1 AND deleted = 0),
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ?1 AND deleted = 0 AND (create_payload IS NOT NULL OR pending != '{}')),
			(SELECT COUNT(*) FROM conflicts c JOIN opportunities o ON o.crm_id = c.crm_id WHERE o.catalog = ?1 AND c.resolved_at IS NULL),
			(SELECT COUNT(*) FROM opportunities WHERE catalog = ?1 AND last_error != ''),
			(SELECT COUNT(*) FROM invitations WHERE catalog = ?1 AND deleted = 0)`, catalog).
		Scan(&st.Opportunities, &st.PendingEdits, &st.OpenConflicts, &st.Errors, &st.Invitations)
	return st, err
}
