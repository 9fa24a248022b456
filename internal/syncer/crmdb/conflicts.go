package crmdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// AddConflict implements Remote.
func (s *sqlStore) AddConflict(ctx context.Context, c Conflict) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx conn) error {
		o, err := getOpportunity(ctx, tx, `crm_id = ?`, c.CRMID)
		if err != nil {
			return err
		}
		fields, err := mustJSON(c.Fields)
		if err != nil {
			return err
		}
		crm, err := mustJSON(c.CRMVersion)
		if err != nil {
			return err
		}
		pc := string(c.PartnerCentral)
		if pc == "" {
			pc = "null"
		}
		if err := tx.queryRow(ctx, `INSERT INTO conflicts (crm_id, pc_id, fields, crm_version, pc_version, reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.CRMID, c.PCID, fields, crm, pc, c.Reason, timeText(s.now())).Scan(&id); err != nil {
			return err
		}
		for _, path := range c.Fields {
			delete(o.Edits, path)
		}
		pending, err := mustJSON(o.Edits)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE opportunities SET pending = ?, updated_at = ? WHERE crm_id = ?`, pending, timeText(s.now()), c.CRMID)
		return err
	})
	return id, err
}

const conflictColumns = `id, crm_id, COALESCE(pc_id, ''), fields, crm_version, pc_version, reason, created_at, resolved_at, COALESCE(resolution, '')`

func scanConflict(row scanner) (*Conflict, error) {
	var c Conflict
	var fields, crm, pc string
	var created, resolved dbTime
	if err := row.Scan(&c.ID, &c.CRMID, &c.PCID, &fields, &crm, &pc, &c.Reason, &created, &resolved, &c.Resolution); err != nil {
		return nil, err
	}
	c.PartnerCentral = json.RawMessage(pc)
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(crm), &c.CRMVersion); err != nil {
		return nil, err
	}
	c.Created = created.Time
	if !resolved.IsZero() {
		c.Resolved = &resolved.Time
	}
	return &c, nil
}

// Conflicts implements Local.
func (s *sqlStore) Conflicts(ctx context.Context, openOnly bool) ([]Conflict, error) {
	q := `SELECT ` + conflictColumns + ` FROM conflicts`
	if openOnly {
		q += ` WHERE resolved_at IS NULL`
	}
	rows, err := s.conn().query(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// Conflict implements Local.
func (s *sqlStore) Conflict(ctx context.Context, id int64) (*Conflict, error) {
	return getConflict(ctx, s.conn(), id)
}

func getConflict(ctx context.Context, q conn, id int64) (*Conflict, error) {
	c, err := scanConflict(q.queryRow(ctx, `SELECT `+conflictColumns+` FROM conflicts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, err
}

// ResolveConflict implements Local.
func (s *sqlStore) ResolveConflict(ctx context.Context, id int64, keep Resolution) error {
	if keep != KeepCRM && keep != KeepPartnerCentral {
		return fmt.Errorf("crmdb: resolution %q: want %q or %q", keep, KeepCRM, KeepPartnerCentral)
	}
	return s.inTx(ctx, func(tx conn) error {
		c, err := getConflict(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Resolved != nil {
			return fmt.Errorf("crmdb: conflict %d is already resolved (%s)", id, c.Resolution)
		}
		if keep == KeepCRM {
			if err := requeue(ctx, tx, c, s); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?`, timeText(s.now()), string(keep), id)
		return err
	})
}

// requeue makes the conflict's CRM values pending edits again, based on
// the Partner Central values stored now, so the next push applies them.
func requeue(ctx context.Context, tx conn, c *Conflict, s *sqlStore) error {
	o, err := getOpportunity(ctx, tx, `crm_id = ?`, c.CRMID)
	if err != nil {
		return err
	}
	current, err := fieldpath.Decode(o.Record)
	if err != nil {
		return err
	}
	if o.Edits == nil {
		o.Edits = map[string]Edit{}
	}
	for _, path := range c.Fields {
		base, _ := fieldpath.Get(current, path)
		o.Edits[path] = Edit{Value: c.CRMVersion[path], Base: base, HasBase: true}
	}
	o.LocalVersion++
	return saveEdits(ctx, tx, o, s.now())
}
