package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// opportunityColumns are the columns reads return and inserts write, in
// scanOpportunity's and opportunityRow's order.
const opportunityColumns = `account, catalog, id, created_ms, modified_ms, stage, review_status, customer_company, target_close_date, doc, summary`

// summaryOnlyColumns reads an empty document in place of doc, for
// listings that use only the summary.
var summaryOnlyColumns = strings.Replace(opportunityColumns, "doc,", "''::bytea AS doc,", 1)

func scanOpportunity(row pgx.Row) (store.Opportunity, error) {
	var o store.Opportunity
	var created, modified int64
	err := row.Scan(&o.Account, &o.Catalog, &o.ID, &created, &modified, &o.Stage, &o.ReviewStatus,
		&o.CustomerCompany, &o.TargetCloseDate, &o.Doc, &o.Summary)
	o.CreatedDate, o.LastModifiedDate = sqlquery.FromMillis(created), sqlquery.FromMillis(modified)
	return o, err
}

// opportunityRow is o's columns in opportunityColumns order.
func opportunityRow(o *store.Opportunity) []any {
	return []any{o.Account, o.Catalog, o.ID, o.CreatedDate.UnixMilli(), o.LastModifiedDate.UnixMilli(), o.Stage,
		o.ReviewStatus, o.CustomerCompany, o.TargetCloseDate, nonNil(o.Doc), nonNil(o.Summary)}
}

func (r reader) GetOpportunity(ctx context.Context, scope store.Scope, id string) (*store.Opportunity, error) {
	o, err := scanOpportunity(r.q.QueryRow(ctx, sqlquery.Rebind(`SELECT `+opportunityColumns+` FROM opportunities
		WHERE account = ? AND catalog = ? AND id = ?`), scope.Account, scope.Catalog, id))
	if err != nil {
		return nil, notFound("get opportunity", r.note(err))
	}
	return &o, nil
}

func (t *tx) InsertOpportunity(ctx context.Context, o *store.Opportunity) error {
	tag, err := t.exec(ctx, `INSERT INTO opportunities (`+opportunityColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, opportunityRow(o)...)
	if err != nil {
		return fmt.Errorf("postgres: insert opportunity: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrExists
	}
	return nil
}

func (t *tx) UpdateOpportunity(ctx context.Context, o *store.Opportunity, expected time.Time) error {
	tag, err := t.exec(ctx, `UPDATE opportunities SET created_ms = ?, modified_ms = ?, stage = ?,
		review_status = ?, customer_company = ?, target_close_date = ?, doc = ?, summary = ?
		WHERE account = ? AND catalog = ? AND id = ? AND modified_ms = ?`,
		o.CreatedDate.UnixMilli(), o.LastModifiedDate.UnixMilli(), o.Stage, o.ReviewStatus, o.CustomerCompany,
		o.TargetCloseDate, nonNil(o.Doc), nonNil(o.Summary), o.Account, o.Catalog, o.ID, expected.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: update opportunity: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	// Nothing matched: the row is either gone or was modified since.
	if _, err := t.GetOpportunity(ctx, o.Scope, o.ID); err != nil {
		return err
	}
	return store.ErrStale
}

func (t *tx) NextOpportunityNumber(ctx context.Context) (int64, error) {
	var n int64
	if err := t.scanRow(ctx, `SELECT nextval('opportunity_number')`, nil, &n); err != nil {
		return 0, fmt.Errorf("postgres: next opportunity number: %w", err)
	}
	return n, nil
}

func (r reader) ListOpportunities(ctx context.Context, q store.OpportunityQuery) ([]store.Opportunity, error) {
	var b sqlquery.Builder
	orderBy, err := sqlquery.Opportunities(&b, q)
	if err != nil {
		return nil, err
	}
	columns := opportunityColumns
	if q.SummariesOnly {
		columns = summaryOnlyColumns
	}
	query := "SELECT " + columns + " FROM opportunities WHERE " + b.Clause() + " ORDER BY " + orderBy
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.Args = append(b.Args, q.Limit)
	}
	return queryAll(ctx, r, "list opportunities", query, b.Args, scanOpportunity)
}

// BulkInsertOpportunities inserts many opportunities in one transaction
// with COPY, for seeding large stores. It fails with store.ErrExists
// (inserting nothing) if any key is already present. The opportunity
// number sequence is moved past the highest O<number> inserted, so later
// NextOpportunityNumber calls never collide with seeded IDs.
func (s *Store) BulkInsertOpportunities(ctx context.Context, opps []store.Opportunity) error {
	var highest int64
	for i := range opps {
		if digits, ok := strings.CutPrefix(opps[i].ID, "O"); ok {
			if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > highest {
				highest = n
			}
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"opportunities"}, strings.Split(opportunityColumns, ", "),
			pgx.CopyFromSlice(len(opps), func(i int) ([]any, error) { return opportunityRow(&opps[i]), nil }))
		if err != nil {
			return err
		}
		// setval, like nextval, is outside the transaction's snapshot: a
		// number handed out concurrently is never handed out again.
		_, err = tx.Exec(ctx, `SELECT setval('opportunity_number', GREATEST($1, last_value)) FROM opportunity_number`, highest)
		return err
	})
	if isUniqueViolation(err) {
		return store.ErrExists
	}
	if err != nil {
		return fmt.Errorf("postgres: bulk insert: %w", err)
	}
	return nil
}
