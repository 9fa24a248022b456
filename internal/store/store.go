// Package store defines the persistence contract the domain services need.
// Implementations (store/sqlite, later store/postgres) must pass the shared
// conformance suite in store/storetest. No SQL lives outside implementations.
package store

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
)

// Errors every implementation returns so the domain can tell cases apart.
var (
	ErrNotFound = errors.New("store: not found")
	// ErrStale is returned by a compare-and-swap write whose expected version
	// no longer matches the stored one.
	ErrStale = errors.New("store: stale version")
	// ErrExists is returned when inserting a key that is already present.
	ErrExists = errors.New("store: already exists")
	// ErrBadPosition is returned by ListOpportunities when After.Key cannot
	// be a value of the sort column (e.g. a mangled time in a cursor).
	ErrBadPosition = errors.New("store: malformed position")
)

// Scope is the tenancy boundary: every record belongs to one partner account
// and one catalog ("AWS" or "Sandbox"). Nothing is visible across scopes.
type Scope struct {
	Account string
	Catalog string
}

// Opportunity is an opportunity as stored: the full document the domain
// serialises, plus the columns listing filters and sorts on.
type Opportunity struct {
	Scope
	ID               string
	CreatedDate      time.Time // stored with millisecond precision
	LastModifiedDate time.Time // stored with millisecond precision; the optimistic-lock token
	Stage            string
	ReviewStatus     string
	CustomerCompany  string
	TargetCloseDate  string // YYYY-MM-DD, or "" when unset
	Doc              []byte // the domain's JSON document; opaque to the store
	// Summary is the domain's listing form of the row, kept beside Doc so a
	// page of ListOpportunities needs no decoding; opaque to the store.
	Summary []byte
}

// SortField names a column ListOpportunities can order by.
type SortField string

const (
	SortLastModifiedDate SortField = "LastModifiedDate"
	SortIdentifier       SortField = "Identifier"
	SortCustomerCompany  SortField = "CustomerCompanyName"
	SortCreatedDate      SortField = "CreatedDate"
	SortTargetCloseDate  SortField = "TargetCloseDate"
)

// OpportunityQuery selects one page of opportunities in a scope. Empty slices
// and nil pointers mean "no filter". Time bounds are inclusive.
type OpportunityQuery struct {
	Scope
	IDs               []string
	Stages            []string
	ReviewStatuses    []string
	CustomerCompany   []string // exact match on any of the names
	ModifiedAfter     *time.Time
	ModifiedBefore    *time.Time
	CreatedAfter      *time.Time
	CreatedBefore     *time.Time
	TargetCloseAfter  string // YYYY-MM-DD, "" for none
	TargetCloseBefore string // YYYY-MM-DD, "" for none

	SortBy     SortField
	Descending bool
	// After continues a listing: only rows strictly after this position in
	// the requested order are returned. Ties on the sort key break by ID
	// (CompareIDs) in the same direction, so every row has exactly one
	// position. Text keys compare bytewise; an empty TargetCloseDate is the
	// smallest key (first ascending, last descending).
	After *Position
	Limit int // at most this many rows; <= 0 means no limit
	// SummariesOnly returns rows with Summary but without Doc, for listings
	// that need nothing else: less to read and copy per row.
	SummariesOnly bool
}

// Position is a row's place in a sort order: its sort key and its ID.
type Position struct {
	Key string // the sort column's value, as returned in Opportunity (times as RFC 3339 with ms)
	ID  string
}

// PositionOf returns o's position in an order by field.
func PositionOf(o *Opportunity, field SortField) Position {
	switch field {
	case SortIdentifier:
		return Position{Key: o.ID, ID: o.ID}
	case SortCustomerCompany:
		return Position{Key: o.CustomerCompany, ID: o.ID}
	case SortCreatedDate:
		return Position{Key: FormatMillis(o.CreatedDate), ID: o.ID}
	case SortTargetCloseDate:
		return Position{Key: o.TargetCloseDate, ID: o.ID}
	default:
		return Position{Key: FormatMillis(o.LastModifiedDate), ID: o.ID}
	}
}

// CompareIDs is the order of IDs in every listing and tie-break: shorter
// first, then bytewise, so numbered IDs sort by number (O999 before O1000).
func CompareIDs(a, b string) int {
	if len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

// FormatMillis is the canonical text of a stored time, sortable as a string.
func FormatMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Idempotency is the remembered outcome of a request that carried a client
// token: a replay with the same body gets Response back, a different body is
// a conflict.
type Idempotency struct {
	Scope
	Operation   string
	Token       string
	RequestHash string
	Response    []byte
	CreatedAt   time.Time
}

// Solution is a partner solution offered in a catalog.
type Solution struct {
	Scope
	ID          string
	Name        string
	Category    string
	Status      string
	CreatedDate time.Time
}

// SolutionQuery selects solutions; sort is by SortBy ("Identifier", "Name",
// "Status", "Category", "CreatedDate") with ties broken by ID.
type SolutionQuery struct {
	Scope
	IDs        []string
	Statuses   []string
	Categories []string
	SortBy     string
	Descending bool
	Offset     int
	Limit      int
}

// Tag is one key/value on a resource ARN, owned by an account.
type Tag struct {
	Key   string
	Value string
}

// Reader is the read side, usable inside and outside transactions.
type Reader interface {
	DocumentReader
	EventReader
	GetOpportunity(ctx context.Context, scope Scope, id string) (*Opportunity, error)
	ListOpportunities(ctx context.Context, q OpportunityQuery) ([]Opportunity, error)
	GetIdempotency(ctx context.Context, scope Scope, operation, token string) (*Idempotency, error)
	GetSolution(ctx context.Context, scope Scope, id string) (*Solution, error)
	ListSolutions(ctx context.Context, q SolutionQuery) ([]Solution, error)
	CountSolutions(ctx context.Context, scope Scope) (int, error)
	ListTags(ctx context.Context, account, arn string) ([]Tag, error)
	GetSetting(ctx context.Context, scope Scope, name string) (string, error)
}

// Tx is one write transaction: everything in it commits together or not at all.
type Tx interface {
	Reader
	DocumentWriter
	EventWriter
	Resetter
	// NextOpportunityNumber returns a server-wide, strictly increasing number.
	NextOpportunityNumber(ctx context.Context) (int64, error)
	InsertOpportunity(ctx context.Context, o *Opportunity) error
	// UpdateOpportunity replaces the stored row only if its LastModifiedDate
	// still equals expected (to the millisecond); otherwise ErrStale.
	UpdateOpportunity(ctx context.Context, o *Opportunity, expected time.Time) error
	PutIdempotency(ctx context.Context, rec *Idempotency) error
	PutSolution(ctx context.Context, s *Solution) error
	// PutTags adds or overwrites tags; RemoveTags deletes keys (missing keys are fine).
	PutTags(ctx context.Context, account, arn string, tags []Tag) error
	RemoveTags(ctx context.Context, account, arn string, keys []string) error
	PutSetting(ctx context.Context, scope Scope, name, value string) error
}

// Resetter deletes state wholesale, for the admin API's reset.
type Resetter interface {
	// DeleteScope removes the scope's opportunities, idempotency records,
	// solutions and settings.
	DeleteScope(ctx context.Context, scope Scope) error
	// DeleteTags removes account's tags on every ARN containing arnPart
	// ("" for all of the account's tags).
	DeleteTags(ctx context.Context, account, arnPart string) error
	// DeleteDocumentsOf removes the documents of catalog that name account
	// alone: at least one of their values under keys is account and none is
	// anything else. Documents that name another account under any of keys
	// stay as they are. It returns how many it removed.
	DeleteDocumentsOf(ctx context.Context, catalog, account string, keys []string) (int, error)
	// DeleteAll removes every opportunity, idempotency record, solution,
	// tag, document, event and setting, except the server-wide settings
	// (the empty Scope, e.g. the NextToken key). Counters such as the
	// opportunity number keep counting, so no ID is ever issued twice.
	DeleteAll(ctx context.Context) error
}

// Store is a durable store. Update returns only after the transaction is
// committed to stable storage.
type Store interface {
	Reader
	Update(ctx context.Context, fn func(tx Tx) error) error
	Close() error
}

// MaxTagsPerResource is AWS's usual limit of tags on one resource.
const MaxTagsPerResource = 200

// apiTag is the shape every generated Tag type has.
type apiTag interface {
	~struct {
		Key   string `json:"Key"`
		Value string `json:"Value"`
	}
}

// TagsOf converts a request's tags (either API's generated Tag type) to
// store tags.
func TagsOf[T apiTag](tags []T) []Tag {
	out := make([]Tag, len(tags))
	for i, t := range tags {
		out[i] = Tag(t)
	}
	return out
}

// TagCountAfterPut is how many tags a resource carrying existing would
// carry after adding: keys already present are overwritten, not added.
func TagCountAfterPut(existing, adding []Tag) int {
	keys := make(map[string]bool, len(existing)+len(adding))
	for _, t := range existing {
		keys[t.Key] = true
	}
	for _, t := range adding {
		keys[t.Key] = true
	}
	return len(keys)
}

// Sizer is a store that can tell its size on disk, for the server's
// metrics; implementations that cannot simply do not implement it.
type Sizer interface {
	SizeBytes(ctx context.Context) (int64, error)
}
