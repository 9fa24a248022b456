package channel

import (
	"context"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// once runs do in a write transaction, at most once per client token when
// the request carries one. The SDKs always fill the token in (the model
// marks it an idempotency token); a request without one simply runs.
func once[Out any](ctx context.Context, s *Service, account, catalog, operation string, token *string, request any, do func(tx store.Tx) (*Out, error)) (*Out, error) {
	if token == nil || *token == "" {
		var out *Out
		err := s.store.Update(ctx, func(tx store.Tx) error {
			var err error
			out, err = do(tx)
			return err
		})
		return out, err
	}
	return idempotency.Run(ctx, s.store, s.now(), store.Scope{Account: account, Catalog: catalog}, operation, *token, request, do)
}

// countDocs counts the documents matching match, stopping at limit.
func countDocs(ctx context.Context, r store.Reader, kind, catalog string, match map[string][]string, limit int) (int, error) {
	rows, err := r.ListDocuments(ctx, store.DocumentQuery{Kind: kind, Catalog: catalog, Match: match, Limit: limit})
	if err != nil {
		return 0, fmt.Errorf("channel: count %s: %w", kind, err)
	}
	return len(rows), nil
}

// Quota codes of the ServiceQuotaExceededException, one per documented
// limit. AWS publishes no codes for these limits; these name them.
const (
	quotaPMAs             = "PROGRAM_MANAGEMENT_ACCOUNTS_PER_ACCOUNT"
	quotaRelationships    = "RELATIONSHIPS_PER_PROGRAM_MANAGEMENT_ACCOUNT"
	quotaActiveHandshakes = "ACTIVE_HANDSHAKES_PER_TYPE"
	quotaHandshakesPerDay = "HANDSHAKES_PER_TYPE_PER_RECEIVER_PER_DAY"
)

// defaultPageSize is the page size of a list without maxResults; AWS
// documents none (the Account API's lists use the same).
const defaultPageSize = 20

func quotaExceeded(resourceType, id, code, format string, args ...any) error {
	return apierr.QuotaExceeded(format, args...).About(resourceType, id).WithQuotaCode(code)
}

// putTags adds tags to a resource of account, within AWS's limit per
// resource.
func putTags(ctx context.Context, tx store.Tx, account, arn string, tags []api.Tag) error {
	add := make([]store.Tag, len(tags))
	for i, t := range tags {
		add[i] = store.Tag{Key: t.Key, Value: t.Value}
	}
	return docstore.PutTags(ctx, tx, account, arn, add, docstore.TooManyTags)
}

// sortKey is a record's place in an UpdatedAt order; ties break by id.
type sortKey struct {
	UpdatedAt time.Time
	Id        string
}

func (k sortKey) compare(o sortKey) int {
	if c := k.UpdatedAt.Compare(o.UpdatedAt); c != 0 {
		return c
	}
	return store.CompareIDs(k.Id, o.Id)
}

// pageRequest is what a list request says about paging.
type pageRequest struct {
	binding string // ties a NextToken to the request it continues
	token   *string
	size    *int32
	order   *api.SortOrder // nil: the default order
}

// pageState is what a NextToken carries: the sort key of the last record
// returned. Paging is by keyset, so a record that does not change while
// the caller pages is never skipped or repeated.
type pageState struct {
	UpdatedAt string `json:"u"`
	Id        string `json:"i"`
}

// pageOf sorts records by UpdatedAt (Descending unless the request says
// Ascending: the most recently changed first) and cuts the page the
// request asks for. The Channel lists sort only by UpdatedAt, which the
// store does not index, so a list reads the caller's records and sorts
// them here; the documented limits (50 PMAs, 1,000 relationships each)
// keep that small.
func pageOf[T any](s *Service, all []*T, p pageRequest, key func(*T) sortKey) ([]*T, *string, error) {
	descending := true
	if p.order != nil {
		descending = *p.order == api.SortOrderDescending
	}
	cmp := func(a, b sortKey) int {
		if descending {
			return b.compare(a)
		}
		return a.compare(b)
	}
	slices.SortFunc(all, func(a, b *T) int { return cmp(key(a), key(b)) })
	if p.token != nil && *p.token != "" {
		var st pageState
		if err := s.tokens.Decode(p.binding, *p.token, &st); err != nil {
			return nil, nil, pagetoken.Invalid()
		}
		at, err := time.Parse(time.RFC3339Nano, st.UpdatedAt)
		if err != nil {
			return nil, nil, pagetoken.Invalid()
		}
		after := sortKey{at, st.Id}
		i, _ := slices.BinarySearchFunc(all, after, func(t *T, k sortKey) int { return cmp(key(t), k) })
		for i < len(all) && cmp(key(all[i]), after) <= 0 {
			i++
		}
		all = all[i:]
	}
	size := defaultPageSize
	if p.size != nil {
		size = int(*p.size)
	}
	if len(all) <= size {
		return all, nil, nil
	}
	last := key(all[size-1])
	tok, err := s.tokens.Encode(p.binding, pageState{UpdatedAt: last.UpdatedAt.UTC().Format(time.RFC3339Nano), Id: last.Id})
	if err != nil {
		return nil, nil, fmt.Errorf("channel: encode token: %w", err)
	}
	return all[:size], &tok, nil
}
