package sqlite

import (
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlquery"
)

// sortIndexes names, per sort order, the index whose order is exactly
// (sort column, id_len, id).
var sortIndexes = map[store.SortField]string{
	store.SortLastModifiedDate: "opportunities_by_modified",
	store.SortCreatedDate:      "opportunities_by_created",
	store.SortCustomerCompany:  "opportunities_by_company",
	store.SortTargetCloseDate:  "opportunities_by_close",
	store.SortIdentifier:       "opportunities_by_id",
}

// primaryKeyIndex is the index SQLite creates for the opportunities primary
// key (account, catalog, id).
const primaryKeyIndex = "sqlite_autoindex_opportunities_1"

// lookupIndex picks the index for a query with an equality filter that is
// usually selective: IDs, or customer company names. Walking the sort
// order's index to find a rare company would read the whole scope; looking
// the rows up and sorting only those is bounded by the matches instead.
func lookupIndex(q store.OpportunityQuery) (string, bool) {
	switch {
	case len(q.IDs) > 0:
		return primaryKeyIndex, true
	case len(q.CustomerCompany) > 0:
		return sortIndexes[store.SortCustomerCompany], true
	}
	return "", false
}

// buildListOpportunities turns q into one keyset-paginated query
// (sqlquery.Opportunities): it never reads a scope's rows beyond what the
// page needs to find Limit matches, and never sorts. The exceptions are the
// lookup filters (lookupIndex): then the rows come from index lookups and
// SQLite sorts only the rows that match.
func buildListOpportunities(q store.OpportunityQuery) (string, []any, error) {
	var b sqlquery.Builder
	orderBy, err := sqlquery.Opportunities(&b, q)
	if err != nil {
		return "", nil, err
	}
	// INDEXED BY pins the plan: without statistics SQLite may otherwise walk a
	// whole scope to avoid a sort, or sort a whole scope to use a filter.
	field := q.SortBy
	if field == "" {
		field = store.SortLastModifiedDate
	}
	index := sortIndexes[field]
	if lookup, ok := lookupIndex(q); ok {
		index = lookup
	}
	columns := opportunityColumns
	if q.SummariesOnly {
		columns = summaryOnlyColumns
	}
	query := "SELECT " + columns + " FROM opportunities INDEXED BY " + index +
		" WHERE " + b.Clause() + " ORDER BY " + orderBy
	if q.Limit > 0 {
		query += " LIMIT ?"
		b.Args = append(b.Args, q.Limit)
	}
	return query, b.Args, nil
}
