// Package revenue is the Partner Central Revenue Measurement API's domain:
// revenue attributions with their revisions and allocation tasks,
// Marketplace revenue shares and their allocations, the partners'
// Marketplace products, and tags. Like internal/selling and internal/account
// it knows nothing of HTTP, CBOR or SQL: requests arrive as generated API
// types with the caller's account, records live in store documents
// (internal/docstore), failures are apierr errors. AWS documents no
// EventBridge events for this API, so it emits none.
package revenue

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Catalogs, as in the other APIs.
const (
	CatalogAWS     = "AWS"
	CatalogSandbox = "Sandbox"
)

// Kinds of the documents the API keeps. Every one carries the owning
// account under the "account" key, which scoped resets rely on.
const (
	kindAttribution = "revenue-attribution"
	kindShare       = "marketplace-revenue-share"
	kindProduct     = "marketplace-product"
)

// Service implements the Revenue Measurement operations.
type Service struct {
	store  store.Store
	clock  clock.Clock
	region string
	tokens *pagetoken.Codec
}

// Config is what a Service needs.
type Config struct {
	Store    store.Store
	Clock    clock.Clock
	Region   string
	TokenKey []byte
}

// New returns a Service.
func New(cfg Config) *Service {
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	return &Service{store: cfg.Store, clock: c, region: cfg.Region, tokens: pagetoken.New(cfg.TokenKey)}
}

// now is the current time at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

func scopeOf(account string, catalog api.CatalogName) store.Scope {
	return store.Scope{Account: account, Catalog: string(catalog)}
}

// arn is a Revenue Measurement ARN: partnercentral's service, the caller's
// account, the catalog, then the resource ("revenue-attribution/ra-…" or
// "marketplace-revenue-share/prod-…").
func (s *Service) arn(account string, catalog api.CatalogName, resource string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/%s", s.region, account, catalog, resource)
}

// parsedArn is what a Revenue Measurement ARN names.
type parsedArn struct {
	account, catalog, kind, id string
}

// parseArn splits an ARN of this API; ok is false for anything else.
func parseArn(arn string) (p parsedArn, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "partnercentral" {
		return p, false
	}
	segs := strings.Split(parts[5], "/")
	if len(segs) != 4 || segs[0] != "catalog" {
		return p, false
	}
	return parsedArn{account: parts[4], catalog: segs[1], kind: segs[2], id: segs[3]}, true
}

// Errors with the model's Reason codes.

func notFound(format string, args ...any) error {
	return apierr.NotFound(format, args...).WithReason(string(api.ResourceNotFoundExceptionReasonResourceNotFound))
}

func accessDenied(format string, args ...any) error {
	return apierr.AccessDenied(format, args...).WithReason(string(api.AccessDeniedExceptionReasonAccessDenied))
}

func conflict(reason api.ConflictExceptionReason, format string, args ...any) error {
	return apierr.Conflict(format, args...).WithReason(string(reason))
}

// invalid is a business-rule ValidationException about one field.
func invalid(field, code, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: field, Code: code, Message: msg})
}

// revision renders a revision number as the API's digit-string token.
func revision(n int) string { return strconv.Itoa(n) }

// parseRevision reads a RevisionToken (the model's pattern: [1-9][0-9]*).
func parseRevision(token string) (int, bool) {
	n, err := strconv.Atoi(token)
	return n, err == nil && n > 0
}

// Allocation dates are YYYY-MM-DD, ranges run from the first day of a
// month to the last day of one.

const dateLayout = "2006-01-02"

func parseDate(field, v string) (time.Time, error) {
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return t, apierr.RequestInvalid(apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue,
			Message: fmt.Sprintf("%s %q is not a calendar date (YYYY-MM-DD).", field, v)})
	}
	return t, nil
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func lastOfMonth(t time.Time) time.Time { return firstOfMonth(t).AddDate(0, 1, -1) }

func isFirstOfMonth(t time.Time) bool { return t.Day() == 1 }

func isLastOfMonth(t time.Time) bool { return t.AddDate(0, 0, 1).Day() == 1 }

// parsePercent reads a RevenueSharePercent (the model's pattern allows
// up to three integer digits and two decimals, so it is read as percentage
// points: "45" or "45.5"; the Developer Guide's "0.45 for 45%" contradicts
// its own model and is read as 0.45 %). It returns hundredths of a percent,
// so sums are exact; ok is false outside (0, 100].
func parsePercent(v string) (hundredths int, ok bool) {
	whole, frac, _ := strings.Cut(v, ".")
	w, err := strconv.Atoi(whole)
	if err != nil || len(frac) > 2 {
		return 0, false
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi((frac + "0")[:2]); err != nil {
			return 0, false
		}
	}
	n := w*100 + f
	return n, n > 0 && n <= 100*100
}

// paging: list operations gather their matches in order and page through
// them by offset, the offset carried in a NextToken bound to the request.

// pageOf returns the page of items starting at the token's offset and the
// token of the next page (nil on the last one).
func pageOf[T any](s *Service, binding string, items []T, token *string, maxResults *int32, defaultSize int) ([]T, *string, error) {
	size := defaultSize
	if maxResults != nil {
		size = int(*maxResults)
	}
	offset := 0
	if token != nil && *token != "" {
		if err := s.tokens.Decode(binding, *token, &offset); err != nil || offset < 0 || offset > len(items) {
			return nil, nil, pagetoken.Invalid()
		}
	}
	end := min(offset+size, len(items))
	page := items[offset:end]
	if end == len(items) {
		return page, nil, nil
	}
	next, err := s.tokens.Encode(binding, end)
	if err != nil {
		return nil, nil, err
	}
	return page, &next, nil
}

// bindingOf ties a NextToken to a list request: the operation, the caller
// and the request without its NextToken and MaxResults.
func bindingOf(op, account string, request any) string {
	b, _ := json.Marshal(request) // generated request types always marshal
	var fields map[string]any
	_ = json.Unmarshal(b, &fields)
	delete(fields, "NextToken")
	delete(fields, "MaxResults")
	b, _ = json.Marshal(fields)
	sum := sha256.Sum256(b)
	return op + "/" + account + "/" + fmt.Sprintf("%x", sum[:8])
}

// inTimeRange applies inclusive CreatedAfter / CreatedBefore bounds.
func inTimeRange(t time.Time, after, before *time.Time) bool {
	return (after == nil || !t.Before(*after)) && (before == nil || !t.After(*before))
}

// sortByModified orders by LastModifiedDate (ties by id), DESCENDING unless
// the request says ASCENDING: AWS documents no default; newest first is
// what the other Partner Central lists do.
func sortByModified[T any](items []T, order *api.SortOrder, key func(T) (time.Time, string)) {
	desc := order == nil || *order == api.SortOrderDescending
	slices.SortStableFunc(items, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		c := ta.Compare(tb)
		if c == 0 {
			c = strings.Compare(ia, ib)
		}
		if desc {
			return -c
		}
		return c
	})
}

// run runs do in one write transaction, at most once per client token when
// the request carries one (SDKs fill the model's idempotency tokens).
func run[Out any](ctx context.Context, s *Service, scope store.Scope, op string, token *string, request any, do func(tx store.Tx) (*Out, error)) (*Out, error) {
	if token != nil && *token != "" {
		return idempotency.Run(ctx, s.store, s.now(), scope, op, *token, request, do)
	}
	var out *Out
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = do(tx)
		return err
	})
	return out, err
}

func ptr[T any](v T) *T { return &v }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
