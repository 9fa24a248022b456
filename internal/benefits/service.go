// Package benefits is the Partner Central Benefits API's domain: the
// benefit catalog, benefit applications and their review lifecycle, the
// allocations AWS grants on approval, and tags. Like internal/selling it
// knows nothing of HTTP or SQL: requests arrive as generated API types with
// the caller's account, records live in store documents (internal/docstore),
// and failures are apierr errors the wire layer shapes as the model's
// exceptions (wire.BenefitsErrors).
package benefits

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Catalogs, as in the other Partner Central APIs: benefit ids, applications
// and allocations of one are unknown in the other.
const (
	CatalogAWS     = "AWS"
	CatalogSandbox = "Sandbox"
)

// Kinds of the documents the Benefits API keeps. Benefits edited or added
// by AWS's side are stored over the seeded catalog (see catalog.go).
const (
	kindBenefit     = "benefit"
	kindApplication = "benefit-application"
	kindAllocation  = "benefit-allocation"
)

// Service implements the Benefits API operations and AWS's side of them.
type Service struct {
	store         store.Store
	clock         clock.Clock
	region        string
	tokens        *pagetoken.Codec
	events        events.Emitter
	opportunities Opportunities
	autoReview    AutoReview // nil: off
}

// Opportunities is what Benefits asks the Selling domain: whether account
// may read the opportunity arn names in catalog, which AWS checks before
// an application is associated with it. r reads inside the caller's
// transaction. It answers the Selling API's errors: AccessDenied for
// another account's opportunity, ResourceNotFound for a missing one.
type Opportunities interface {
	ReadableOpportunity(ctx context.Context, r store.Reader, account, catalog, arn string) error
}

// Config is what a Service needs.
type Config struct {
	Store         store.Store
	Clock         clock.Clock
	Region        string
	TokenKey      []byte
	Opportunities Opportunities
	// AutoReview is the Sandbox's automatic reviewer setting (see
	// autoreview.go); nil leaves reviews to AWS's side.
	AutoReview AutoReview
}

// New returns a Service.
func New(cfg Config) *Service {
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	return &Service{store: cfg.Store, clock: c, region: cfg.Region, tokens: pagetoken.New(cfg.TokenKey),
		events: events.Emitter{Source: events.SourceBenefits, Region: cfg.Region}, opportunities: cfg.Opportunities, autoReview: cfg.AutoReview}
}

// now is the current time at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

func scopeOf(account, catalog string) store.Scope {
	return store.Scope{Account: account, Catalog: catalog}
}

// benefitArn is a benefit's ARN. Benefits belong to AWS's catalog, not to
// an account, so the account field is empty (semantics-2026 §3.1).
func (s *Service) benefitArn(catalog, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s::catalog/%s/benefit/%s", s.region, catalog, id)
}

func (s *Service) applicationArn(account, catalog, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/benefit-application/%s", s.region, account, catalog, id)
}

func (s *Service) allocationArn(account, catalog, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/benefit-allocation/%s", s.region, account, catalog, id)
}

// newRevision is an application's opaque Revision: a fresh UUID on every
// write, as the event examples show.
func newRevision() string { return uuid.NewString() }

// idOf resolves an identifier that may be an id or an ARN (the model
// accepts both) to the id, for a resource of typ in catalog. An ARN of
// another catalog, region or resource type names nothing here: ok is false.
func (s *Service) idOf(identifier, catalog, typ string) (id string, ok bool) {
	if !strings.HasPrefix(identifier, "arn:") {
		return identifier, true
	}
	parts := strings.SplitN(identifier, ":", 6)
	if len(parts) != 6 || parts[2] != "partnercentral" || parts[3] != s.region {
		return "", false
	}
	rest, found := strings.CutPrefix(parts[5], "catalog/"+catalog+"/"+typ+"/")
	if !found || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return rest, true
}

// arnAccount is the account field of an ARN ("" when it has none).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// emit appends a Benefits event for account in tx, stamped with the clock:
// it commits with the change it reports or not at all.
func (s *Service) emit(ctx context.Context, tx store.Tx, account, detailType string, resources []string, detail any) error {
	if err := s.events.Emit(ctx, tx, s.now(), account, detailType, resources, detail); err != nil {
		return fmt.Errorf("benefits: emit %s: %w", detailType, err)
	}
	return nil
}

// invalidState is the ValidationException for an operation the
// application's status does not allow. AWS documents neither which
// statuses allow what nor the error; a business ValidationException with
// INVALID_RESOURCE_STATE is what the model's codes offer for it.
func invalidState(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidResourceState, Message: msg})
}

// invalidField is a business ValidationException about one field.
func invalidField(field, code, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: field, Code: code, Message: msg})
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
