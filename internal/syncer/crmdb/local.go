package crmdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// CreateLocal implements Local.
func (s *sqlStore) CreateLocal(ctx context.Context, catalog, crmID string, fields map[string]any) error {
	if crmID == "" || catalog == "" {
		return errors.New("crmdb: a create needs a catalog and a CRM id")
	}
	payload := map[string]any{}
	for path, v := range fields {
		if err := fieldpath.Check(path); err != nil {
			return err
		}
		n, err := fieldpath.Normalize(v)
		if err != nil {
			return err
		}
		payload[path] = n
	}
	body, err := mustJSON(payload)
	if err != nil {
		return err
	}
	_, err = s.conn().exec(ctx, `INSERT INTO opportunities (crm_id, catalog, create_payload, local_version, updated_at)
		VALUES (?, ?, ?, 1, ?)`, crmID, catalog, body, timeText(s.now()))
	if err != nil {
		return fmt.Errorf("crmdb: create %s: %w", crmID, err)
	}
	return nil
}

// EditLocal implements Local.
func (s *sqlStore) EditLocal(ctx context.Context, crmID string, changes map[string]any) error {
	return s.inTx(ctx, func(tx conn) error {
		o, err := getOpportunity(ctx, tx, `crm_id = ?`, crmID)
		if err != nil {
			return err
		}
		if o.Deleted {
			return fmt.Errorf("crmdb: %s was removed (rejected by AWS)", crmID)
		}
		if err := addEdits(o, changes); err != nil {
			return err
		}
		return saveEdits(ctx, tx, o, s.now())
	})
}

// addEdits merges changes into o's pending edits. A field edited again
// keeps the base of its first edit: the Partner Central value the CRM
// started from.
func addEdits(o *Opportunity, changes map[string]any) error {
	current, err := fieldpath.Decode(o.Record)
	if err != nil {
		return err
	}
	if o.Edits == nil {
		o.Edits = map[string]Edit{}
	}
	for path, v := range changes {
		if err := fieldpath.Check(path); err != nil {
			return err
		}
		n, err := fieldpath.Normalize(v)
		if err != nil {
			return err
		}
		e, had := o.Edits[path]
		if !had && o.PCID != "" {
			e.Base, _ = fieldpath.Get(current, path)
			e.HasBase = true
		}
		e.Value = n
		o.Edits[path] = e
	}
	o.LocalVersion++
	return nil
}

func saveEdits(ctx context.Context, tx conn, o *Opportunity, now time.Time) error {
	pending, err := mustJSON(o.Edits)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE opportunities SET pending = ?, local_version = ?, updated_at = ? WHERE crm_id = ?`,
		pending, o.LocalVersion, timeText(now), o.CRMID)
	return err
}

// SetCRMField implements Local.
func (s *sqlStore) SetCRMField(ctx context.Context, crmID, name string, value any) error {
	return s.inTx(ctx, func(tx conn) error {
		o, err := getOpportunity(ctx, tx, `crm_id = ?`, crmID)
		if err != nil {
			return err
		}
		if o.CRMFields == nil {
			o.CRMFields = map[string]any{}
		}
		o.CRMFields[name] = value
		body, err := mustJSON(o.CRMFields)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE opportunities SET crm_fields = ?, local_version = local_version + 1, updated_at = ? WHERE crm_id = ?`,
			body, timeText(s.now()), crmID)
		return err
	})
}

// Opportunity implements Local.
func (s *sqlStore) Opportunity(ctx context.Context, crmID string) (*Opportunity, error) {
	return getOpportunity(ctx, s.conn(), `crm_id = ?`, crmID)
}

// Opportunities implements Local: every row of the catalog, removed ones too.
func (s *sqlStore) Opportunities(ctx context.Context, catalog string) ([]Opportunity, error) {
	return listOpportunities(ctx, s.conn(), `catalog = ?`, catalog)
}
