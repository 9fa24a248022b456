package crmdb

import (
	"context"
	"fmt"
	"time"
)

// reviewRejected is the ReviewStatus of an opportunity AWS disqualified;
// the guide says to remove it from the CRM.
const reviewRejected = "Rejected"

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

// ApplyRemoteBatch implements Remote.
func (s *sqlStore) ApplyRemoteBatch(ctx context.Context, catalog string, recs []*RemoteRecord) (int, error) {
	applied := 0
	err := s.inTx(ctx, func(tx conn) error {
		now := timeText(s.now())
		for _, rec := range recs {
			ok, err := upsertRemote(ctx, tx, catalog, rec, now)
			if err != nil {
				return fmt.Errorf("crmdb: apply %s: %w", rec.PCID, err)
			}
			if ok {
				applied++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return applied, nil
}

// upsertRemote stores rec over the row with its O-id, else over the CRM's
// own create it answers (PartnerOpportunityIdentifier is the CRM id, for a
// create whose answer was lost), else as a new row; a record not newer
// than the stored one is ignored, so late or repeated fetches converge.
func upsertRemote(ctx context.Context, tx conn, catalog string, rec *RemoteRecord, now any) (bool, error) {
	m, err := matchRemote(ctx, tx, catalog, rec)
	if err != nil {
		return false, err
	}
	deleted := rec.ReviewStatus == reviewRejected
	switch {
	case m.crmID == "":
		crmID := fmt.Sprintf("pc-%s-%s", catalog, rec.PCID)
		if m.idFree {
			crmID = rec.PartnerOpportunityIdentifier
		}
		_, err = tx.exec(ctx, `INSERT INTO opportunities (crm_id, catalog, pc_id, pc_record, aws_last_modified, deleted, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, crmID, catalog, rec.PCID, string(rec.JSON), timeText(rec.LastModified), deleted, now)
		return err == nil, err
	case m.hasPCID && !rec.LastModified.After(m.lastModified):
		return false, nil
	}
	_, err = tx.exec(ctx, `UPDATE opportunities SET pc_id = ?, pc_record = ?, aws_last_modified = ?, create_payload = NULL,
		deleted = ?, updated_at = ? WHERE crm_id = ?`, rec.PCID, string(rec.JSON), timeText(rec.LastModified), deleted, now, m.crmID)
	return err == nil, err
}

// match is the row a remote record belongs to.
type match struct {
	crmID        string    // "" for a record new to the CRM
	hasPCID      bool      // the row already has the record's O-id...
	lastModified time.Time // ...and this LastModifiedDate
	idFree       bool      // for a new row: no row has its PartnerOpportunityIdentifier as CRM id
}

// matchQuery reads, in one statement and through two indexes, the row with
// the O-id and the row whose CRM id is the PartnerOpportunityIdentifier
// (in any catalog: CRM ids are unique across them), only the columns upsertRemote needs.
const matchQuery = `SELECT crm_id, catalog, COALESCE(pc_id, ''), aws_last_modified FROM opportunities WHERE catalog = ? AND pc_id = ?
	UNION ALL
	SELECT crm_id, catalog, COALESCE(pc_id, ''), aws_last_modified FROM opportunities WHERE crm_id = ?`

func matchRemote(ctx context.Context, tx conn, catalog string, rec *RemoteRecord) (match, error) {
	poid := rec.PartnerOpportunityIdentifier
	m := match{idFree: poid != ""}
	rows, err := tx.query(ctx, matchQuery, catalog, rec.PCID, poid)
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var crmID, rowCatalog, pcID string
		var lastModified dbTime
		if err := rows.Scan(&crmID, &rowCatalog, &pcID, &lastModified); err != nil {
			return m, err
		}
		switch {
		case rowCatalog == catalog && pcID == rec.PCID: // the O-id's row wins, whichever comes first
			m.crmID, m.hasPCID, m.lastModified = crmID, true, lastModified.Time
		case crmID == poid:
			m.idFree = false
			if !m.hasPCID && rowCatalog == catalog && pcID == "" {
				m.crmID = crmID // the lost create
			}
		}
	}
	return m, rows.Err()
}
