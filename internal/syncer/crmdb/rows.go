package crmdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

const opportunityColumns = `crm_id, catalog, COALESCE(pc_id, ''), pc_record, aws_last_modified, create_payload,
	pending, local_version, crm_fields, deleted, last_error, error_count`

type scanner interface{ Scan(dest ...any) error }

func scanOpportunity(row scanner) (*Opportunity, error) {
	var o Opportunity
	var record, create sql.NullString
	var lastModified dbTime
	var pending, crmFields string
	if err := row.Scan(&o.CRMID, &o.Catalog, &o.PCID, &record, &lastModified, &create,
		&pending, &o.LocalVersion, &crmFields, &o.Deleted, &o.LastError, &o.ErrorCount); err != nil {
		return nil, err
	}
	o.AWSLastModified = lastModified.Time
	if record.Valid {
		o.Record = json.RawMessage(record.String)
	}
	if create.Valid {
		if err := json.Unmarshal([]byte(create.String), &o.CreatePayload); err != nil {
			return nil, fmt.Errorf("crmdb: %s create_payload: %w", o.CRMID, err)
		}
	}
	if err := json.Unmarshal([]byte(pending), &o.Edits); err != nil {
		return nil, fmt.Errorf("crmdb: %s pending: %w", o.CRMID, err)
	}
	if err := json.Unmarshal([]byte(crmFields), &o.CRMFields); err != nil {
		return nil, fmt.Errorf("crmdb: %s crm_fields: %w", o.CRMID, err)
	}
	return &o, nil
}

func getOpportunity(ctx context.Context, c conn, where string, args ...any) (*Opportunity, error) {
	o, err := scanOpportunity(c.queryRow(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return o, err
}

func listOpportunities(ctx context.Context, c conn, where string, args ...any) ([]Opportunity, error) {
	rows, err := c.query(ctx, `SELECT `+opportunityColumns+` FROM opportunities WHERE `+where+` ORDER BY crm_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Opportunity
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

func mustJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
