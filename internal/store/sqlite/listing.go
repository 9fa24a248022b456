package sqlite

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// sortOrder is how one store.SortField maps onto the schema.
type sortOrder struct {
	column string // the sort column; "" when the order is the ID order itself
	index  string // the index whose order is exactly (column, id_len, id)
	// key converts a Position.Key into the column's stored value.
	key func(string) (any, error)
}

var sortOrders = map[store.SortField]sortOrder{
	store.SortLastModifiedDate: {"modified_ms", "opportunities_by_modified", millisKey},
	store.SortCreatedDate:      {"created_ms", "opportunities_by_created", millisKey},
	store.SortCustomerCompany:  {"customer_company", "opportunities_by_company", textKey},
	store.SortTargetCloseDate:  {"target_close_date", "opportunities_by_close", textKey},
	store.SortIdentifier:       {"", "opportunities_by_id", nil},
}

func textKey(k string) (any, error) { return k, nil }

func millisKey(k string) (any, error) {
	t, err := time.Parse(millisLayout, k)
	if err != nil || store.FormatMillis(t) != k {
		return nil, fmt.Errorf("%w: time key %q", store.ErrBadPosition, k)
	}
	return t.UnixMilli(), nil
}

// millisLayout parses what store.FormatMillis writes.
const millisLayout = "2006-01-02T15:04:05.000Z"

// primaryKeyIndex is the index SQLite creates for the opportunities primary
// key (account, catalog, id).
const primaryKeyIndex = "sqlite_autoindex_opportunities_1"

// sqlBuilder accumulates a WHERE clause and its arguments.
type sqlBuilder struct {
	where []string
	args  []any
}

func (b *sqlBuilder) add(cond string, args ...any) {
	b.where = append(b.where, cond)
	b.args = append(b.args, args...)
}

// in adds "column IN (...)" unless values is empty (no filter).
func (b *sqlBuilder) in(column string, values []string) {
	if len(values) == 0 {
		return
	}
	b.where = append(b.where, column+" IN ("+placeholders(len(values))+")")
	for _, v := range values {
		b.args = append(b.args, v)
	}
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// bound is one range condition on a column: column op value.
type bound struct {
	column string
	op     string // ">", ">=" or "<="
	value  any    // int64 or string, as stored
}

// holds reports whether a stored value v satisfies b.
func (b bound) holds(v any) bool {
	var c int
	switch v := v.(type) {
	case int64:
		c = cmp.Compare(v, b.value.(int64))
	case string:
		c = cmp.Compare(v, b.value.(string))
	}
	switch b.op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	default:
		return c <= 0
	}
}

// rangeBounds are q's time and date filters as column bounds.
func rangeBounds(q store.OpportunityQuery) []bound {
	var out []bound
	if q.ModifiedAfter != nil {
		out = append(out, bound{"modified_ms", ">=", ceilMillis(*q.ModifiedAfter)})
	}
	if q.ModifiedBefore != nil {
		out = append(out, bound{"modified_ms", "<=", q.ModifiedBefore.UnixMilli()})
	}
	if q.CreatedAfter != nil {
		out = append(out, bound{"created_ms", ">=", ceilMillis(*q.CreatedAfter)})
	}
	if q.CreatedBefore != nil {
		out = append(out, bound{"created_ms", "<=", q.CreatedBefore.UnixMilli()})
	}
	switch {
	case q.TargetCloseAfter != "":
		// A non-empty lower bound also excludes unset ('') dates.
		out = append(out, bound{"target_close_date", ">=", q.TargetCloseAfter})
	case q.TargetCloseBefore != "":
		out = append(out, bound{"target_close_date", ">", ""}) // an unset date is in no date range
	}
	if q.TargetCloseBefore != "" {
		out = append(out, bound{"target_close_date", "<=", q.TargetCloseBefore})
	}
	return out
}

// lookupIndex picks the index for a query with an equality filter that is
// usually selective: IDs, or customer company names. Walking the sort
// order's index to find a rare company would read the whole scope; looking
// the rows up and sorting only those is bounded by the matches instead.
func lookupIndex(q store.OpportunityQuery) (string, bool) {
	switch {
	case len(q.IDs) > 0:
		return primaryKeyIndex, true
	case len(q.CustomerCompany) > 0:
		return sortOrders[store.SortCustomerCompany].index, true
	}
	return "", false
}

// buildListOpportunities turns q into one keyset-paginated query. The page is
// a range walk of the sort order's index, starting just after q.After, with
// the filters checked on index entries as it goes: it never reads a scope's
// rows beyond what the page needs to find Limit matches, and never sorts.
// The exceptions are the lookup filters (lookupIndex): then the rows come
// from index lookups and SQLite sorts only the rows that match.
func buildListOpportunities(q store.OpportunityQuery) (string, []any, error) {
	field := q.SortBy
	if field == "" {
		field = store.SortLastModifiedDate
	}
	order, ok := sortOrders[field]
	if !ok {
		return "", nil, fmt.Errorf("sqlite: unknown sort field %q", q.SortBy)
	}
	var b sqlBuilder
	b.add("account = ? AND catalog = ?", q.Account, q.Catalog)
	b.in("id", q.IDs)
	b.in("stage", q.Stages)
	b.in("review_status", q.ReviewStatuses)
	b.in("customer_company", q.CustomerCompany)

	after, dir := ">", "ASC"
	if q.Descending {
		after, dir = "<", "DESC"
	}
	startsWalk := func(r bound) bool { return r.column == order.column && (r.op == "<=") == q.Descending }
	// The cursor and a filter bound on the sort column where the walk starts
	// are both start points; SQLite seeks by only one of them, so keep only
	// the later one (it implies the other) or deep pages would re-walk the
	// index from the filter's start.
	var cursor []any
	if q.After != nil {
		cursor = []any{len(q.After.ID), q.After.ID}
		if order.column != "" {
			key, err := order.key(q.After.Key)
			if err != nil {
				return "", nil, err
			}
			cursor = append([]any{key}, cursor...)
		}
	}
	for _, r := range rangeBounds(q) {
		if cursor != nil && startsWalk(r) {
			if r.holds(cursor[0]) {
				continue // the cursor is inside the range: it implies this bound
			}
			cursor = nil // the range starts beyond the cursor
		}
		b.add(r.column+" "+r.op+" ?", r.value)
	}
	if cursor != nil {
		columns := "id_len, id"
		if order.column != "" {
			columns = order.column + ", " + columns
		}
		b.add("("+columns+") "+after+" ("+placeholders(len(cursor))+")", cursor...)
	}

	orderBy := "id_len " + dir + ", id " + dir
	if order.column != "" {
		orderBy = order.column + " " + dir + ", " + orderBy
	}
	// INDEXED BY pins the plan: without statistics SQLite may otherwise walk a
	// whole scope to avoid a sort, or sort a whole scope to use a filter.
	index := order.index
	if lookup, ok := lookupIndex(q); ok {
		index = lookup
	}
	columns := opportunityColumns
	if q.SummariesOnly {
		columns = summaryOnlyColumns
	}
	query := "SELECT " + columns + " FROM opportunities INDEXED BY " + index +
		" WHERE " + strings.Join(b.where, " AND ") + " ORDER BY " + orderBy
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.args = append(b.args, q.Limit)
	}
	return query, b.args, nil
}
