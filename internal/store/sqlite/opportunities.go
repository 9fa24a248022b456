package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// querier is what reads and writes need; both *sql.DB and *sql.Tx have it.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements store.Reader over the read pool or a write transaction.
type reader struct {
	q querier
	// getOpportunity is the hottest query prepared once, on the read pool:
	// preparing it per call costs about as much as running it.
	getOpportunity *sql.Stmt
}

// tx implements store.Tx; its reads see its own uncommitted writes.
type tx struct{ reader }

const opportunityColumns = `account, catalog, id, created_ms, modified_ms, stage, review_status, customer_company, target_close_date, doc, summary`

// summaryOnlyColumns reads an empty document in place of doc, for
// listings that use only the summary.
var summaryOnlyColumns = strings.Replace(opportunityColumns, "doc,", "x'' AS doc,", 1)

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// queryAll runs a query and scans every row it returns.
func queryAll[T any](ctx context.Context, q querier, what, query string, args []any,
	scan func(rowScanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

func scanOpportunity(row rowScanner) (store.Opportunity, error) {
	var o store.Opportunity
	var created, modified int64
	err := row.Scan(&o.Account, &o.Catalog, &o.ID, &created, &modified, &o.Stage, &o.ReviewStatus,
		&o.CustomerCompany, &o.TargetCloseDate, &o.Doc, &o.Summary)
	o.CreatedDate, o.LastModifiedDate = sqlquery.FromMillis(created), sqlquery.FromMillis(modified)
	return o, err
}

// opportunityValues are the non-key columns in the order INSERT and UPDATE use.
func opportunityValues(o *store.Opportunity) []any {
	doc := o.Doc
	if doc == nil {
		doc = []byte{} // the column is NOT NULL; an absent document is an empty one
	}
	summary := o.Summary
	if summary == nil {
		summary = []byte{}
	}
	return []any{o.CreatedDate.UnixMilli(), o.LastModifiedDate.UnixMilli(), o.Stage, o.ReviewStatus,
		o.CustomerCompany, o.TargetCloseDate, doc, summary}
}

const getOpportunitySQL = `SELECT ` + opportunityColumns + ` FROM opportunities WHERE account = ? AND catalog = ? AND id = ?`

func (r reader) GetOpportunity(ctx context.Context, scope store.Scope, id string) (*store.Opportunity, error) {
	var row *sql.Row
	if r.getOpportunity != nil {
		row = r.getOpportunity.QueryRowContext(ctx, scope.Account, scope.Catalog, id)
	} else {
		row = r.q.QueryRowContext(ctx, getOpportunitySQL, scope.Account, scope.Catalog, id)
	}
	o, err := scanOpportunity(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get opportunity: %w", err)
	}
	return &o, nil
}

const insertOpportunitySQL = `INSERT INTO opportunities (` + opportunityColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`

func insertOpportunityArgs(o *store.Opportunity) []any {
	return append([]any{o.Account, o.Catalog, o.ID}, opportunityValues(o)...)
}

func (t *tx) InsertOpportunity(ctx context.Context, o *store.Opportunity) error {
	res, err := t.q.ExecContext(ctx, insertOpportunitySQL, insertOpportunityArgs(o)...)
	if err != nil {
		return fmt.Errorf("sqlite: insert opportunity: %w", err)
	}
	return existsUnlessInserted(res)
}

// existsUnlessInserted turns an ON CONFLICT DO NOTHING that did nothing into ErrExists.
func existsUnlessInserted(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: insert: %w", err)
	}
	if n == 0 {
		return store.ErrExists
	}
	return nil
}

func (t *tx) UpdateOpportunity(ctx context.Context, o *store.Opportunity, expected time.Time) error {
	args := append(opportunityValues(o), o.Account, o.Catalog, o.ID, expected.UnixMilli())
	res, err := t.q.ExecContext(ctx, `UPDATE opportunities SET created_ms = ?, modified_ms = ?, stage = ?,
		review_status = ?, customer_company = ?, target_close_date = ?, doc = ?, summary = ?
		WHERE account = ? AND catalog = ? AND id = ? AND modified_ms = ?`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: update opportunity: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	// Nothing matched: the row is either gone or was modified since.
	if _, err := t.GetOpportunity(ctx, o.Scope, o.ID); err != nil {
		return err
	}
	return store.ErrStale
}

func (t *tx) NextOpportunityNumber(ctx context.Context) (int64, error) {
	var n int64
	err := t.q.QueryRowContext(ctx,
		`UPDATE sequences SET value = value + 1 WHERE name = 'opportunity' RETURNING value`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: next opportunity number: %w", err)
	}
	return n, nil
}

func (r reader) ListOpportunities(ctx context.Context, q store.OpportunityQuery) ([]store.Opportunity, error) {
	query, args, err := buildListOpportunities(q)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, r.q, "list opportunities", query, args, scanOpportunity)
}
