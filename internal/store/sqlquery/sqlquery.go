// Package sqlquery builds the parts of queries the SQL stores (store/sqlite,
// store/postgres) share: WHERE clauses with "?" placeholders, the keyset
// conditions of a listing page, and the conversions between the store's
// values and the schema's columns (times as integer milliseconds, text
// compared bytewise). Both schemas use the same table and column names.
package sqlquery

import (
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// Builder accumulates a WHERE clause and its arguments.
type Builder struct {
	Where []string
	Args  []any
}

// Add appends one condition and its arguments.
func (b *Builder) Add(cond string, args ...any) {
	b.Where = append(b.Where, cond)
	b.Args = append(b.Args, args...)
}

// In adds "column IN (...)" unless values is empty (no filter).
func (b *Builder) In(column string, values []string) {
	if len(values) == 0 {
		return
	}
	b.Where = append(b.Where, column+" IN ("+Placeholders(len(values))+")")
	for _, v := range values {
		b.Args = append(b.Args, v)
	}
}

// Clause is the conditions joined with AND.
func (b *Builder) Clause() string { return strings.Join(b.Where, " AND ") }

// Placeholders is n comma-separated "?".
func Placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// SortedKeys returns m's keys in order, so generated SQL is stable.
func SortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Prefixed qualifies each of the comma-separated columns with prefix.
func Prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, p := range parts {
		parts[i] = prefix + p
	}
	return strings.Join(parts, ", ")
}

// FromMillis is a stored time.
func FromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// CeilMillis is the first stored millisecond at or after t; with floor
// (UnixMilli) for upper bounds it keeps inclusive bounds exact for t with
// sub-millisecond parts.
func CeilMillis(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return ms
}

// millisLayout parses what store.FormatMillis writes.
const millisLayout = "2006-01-02T15:04:05.000Z"

// MillisKey converts a time Position.Key into its stored milliseconds.
func MillisKey(k string) (int64, error) {
	t, err := time.Parse(millisLayout, k)
	if err != nil || store.FormatMillis(t) != k {
		return 0, fmt.Errorf("%w: time key %q", store.ErrBadPosition, k)
	}
	return t.UnixMilli(), nil
}

// SortColumn is how one store.SortField maps onto the opportunities table.
type SortColumn struct {
	Column string // the sort column; "" when the order is the ID order itself
	// Key converts a Position.Key into the column's stored value.
	Key func(string) (any, error)
}

var sortColumns = map[store.SortField]SortColumn{
	store.SortLastModifiedDate: {"modified_ms", anyMillisKey},
	store.SortCreatedDate:      {"created_ms", anyMillisKey},
	store.SortCustomerCompany:  {"customer_company", textKey},
	store.SortTargetCloseDate:  {"target_close_date", textKey},
	store.SortIdentifier:       {"", nil},
}

func anyMillisKey(k string) (any, error) { return MillisKey(k) }
func textKey(k string) (any, error)      { return k, nil }

// SortColumnOf returns the column of a sort field; "" is LastModifiedDate.
func SortColumnOf(field store.SortField) (SortColumn, error) {
	if field == "" {
		field = store.SortLastModifiedDate
	}
	c, ok := sortColumns[field]
	if !ok {
		return SortColumn{}, fmt.Errorf("store: unknown sort field %q", field)
	}
	return c, nil
}

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
		out = append(out, bound{"modified_ms", ">=", CeilMillis(*q.ModifiedAfter)})
	}
	if q.ModifiedBefore != nil {
		out = append(out, bound{"modified_ms", "<=", q.ModifiedBefore.UnixMilli()})
	}
	if q.CreatedAfter != nil {
		out = append(out, bound{"created_ms", ">=", CeilMillis(*q.CreatedAfter)})
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

// Opportunities adds q's scope, filters and cursor to b for one keyset
// page: a range walk of an index ordered (sort column, id_len, id) that
// starts just after q.After, with the filters checked as it goes. It
// returns the ORDER BY list. Rows come ordered by the sort column, then by
// the ID order (store.CompareIDs: id_len, then id).
func Opportunities(b *Builder, q store.OpportunityQuery) (orderBy string, err error) {
	order, err := SortColumnOf(q.SortBy)
	if err != nil {
		return "", err
	}
	b.Add("account = ? AND catalog = ?", q.Account, q.Catalog)
	b.In("id", q.IDs)
	b.In("stage", q.Stages)
	b.In("review_status", q.ReviewStatuses)
	b.In("customer_company", q.CustomerCompany)

	after, dir := ">", "ASC"
	if q.Descending {
		after, dir = "<", "DESC"
	}
	startsWalk := func(r bound) bool { return r.column == order.Column && (r.op == "<=") == q.Descending }
	// The cursor and a filter bound on the sort column where the walk starts
	// are both start points; an index is sought by only one of them, so keep
	// only the later one (it implies the other) or deep pages would re-walk
	// the index from the filter's start.
	var cursor []any
	if q.After != nil {
		cursor = []any{len(q.After.ID), q.After.ID}
		if order.Column != "" {
			key, err := order.Key(q.After.Key)
			if err != nil {
				return "", err
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
		b.Add(r.column+" "+r.op+" ?", r.value)
	}
	columns := "id_len, id"
	if order.Column != "" {
		columns = order.Column + ", " + columns
	}
	if cursor != nil {
		b.Add("("+columns+") "+after+" ("+Placeholders(len(cursor))+")", cursor...)
	}
	return strings.ReplaceAll(columns, ",", " "+dir+",") + " " + dir, nil
}

// DocumentFilters adds q's key filters (all Match keys but skip, which the
// caller drives the query from — "" for none: the domains name no key "" —
// and every Exclude key) and its cursor to b, for a query over
// "documents d". It returns the ORDER BY list.
func DocumentFilters(b *Builder, q store.DocumentQuery, skip string) (orderBy string, err error) {
	for _, key := range SortedKeys(q.Match) {
		if key != skip {
			b.keyFilter("EXISTS", q.Kind, q.Catalog, key, q.Match[key])
		}
	}
	for _, key := range SortedKeys(q.Exclude) {
		if len(q.Exclude[key]) > 0 {
			b.keyFilter("NOT EXISTS", q.Kind, q.Catalog, key, q.Exclude[key])
		}
	}
	after, dir := ">", "ASC"
	if q.Descending {
		after, dir = "<", "DESC"
	}
	if q.After != nil {
		created, err := MillisKey(q.After.Key)
		if err != nil {
			return "", err
		}
		b.Add("(d.created_ms, d.id) "+after+" (?, ?)", created, q.After.ID)
	}
	return "d.created_ms " + dir + ", d.id " + dir, nil
}

// keyFilter adds "[NOT] EXISTS a key row with one of values" for d.
func (b *Builder) keyFilter(exists, kind, catalog, key string, values []string) {
	args := []any{kind, catalog, key}
	for _, v := range values {
		args = append(args, v)
	}
	b.Add(exists+` (SELECT 1 FROM document_keys k WHERE k.kind = ? AND k.catalog = ? AND k.id = d.id AND k.key = ?
		AND k.value IN (`+Placeholders(len(values))+`))`, args...)
}

// DrivingKey picks the filter a document listing can start from: the first
// key (in sorted order, for stable plans) asking for exactly one value — a
// join on it yields each document at most once.
func DrivingKey(match map[string][]string) (string, bool) {
	for _, key := range SortedKeys(match) {
		if len(match[key]) == 1 {
			return key, true
		}
	}
	return "", false
}

// OwnedDocuments is the query behind store.Resetter.DeleteDocumentsOf: the
// (kind, id) of catalog's documents with account under one of keys and no
// other value under any of them.
func OwnedDocuments(catalog, account string, keys []string) (string, []any) {
	in := Placeholders(len(keys))
	args := []any{catalog}
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, account, catalog)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, account)
	return `SELECT DISTINCT kind, id FROM document_keys
		WHERE catalog = ? AND key IN (` + in + `) AND value = ?
		EXCEPT
		SELECT DISTINCT kind, id FROM document_keys
		WHERE catalog = ? AND key IN (` + in + `) AND value <> ?`, args
}

// solutionSortColumns maps SolutionQuery.SortBy to the column that orders
// it; the ID order (id_len, id) always follows as the tie-break.
var solutionSortColumns = map[string]string{
	"Identifier":  "",
	"Name":        "name",
	"Status":      "status",
	"Category":    "category",
	"CreatedDate": "created_ms",
}

// SolutionSortColumn returns the solutions column sortBy orders by ("" for
// the ID order itself, which "" also means).
func SolutionSortColumn(sortBy string) (string, error) {
	if sortBy == "" {
		return "", nil
	}
	column, ok := solutionSortColumns[sortBy]
	if !ok {
		return "", fmt.Errorf("store: unknown solution sort field %q", sortBy)
	}
	return column, nil
}

// Rebind turns the "?" placeholders of a query into PostgreSQL's $1, $2...
// A "?" inside a quoted literal or identifier is left alone.
func Rebind(sql string) string {
	if !strings.Contains(sql, "?") {
		return sql
	}
	var b strings.Builder
	b.Grow(len(sql) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
