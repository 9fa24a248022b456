// Package channel is the Partner Central Channel API's domain: program
// management accounts (PMAs), the relationships under them, and the
// channel handshakes by which another AWS account consents to a PMA or to
// a service period. Like internal/selling and internal/account it knows
// nothing of HTTP or SQL: requests arrive as generated API types with the
// caller's account, records live in store documents (internal/docstore),
// events go to the store's outbox in the transaction of their change, and
// failures are apierr errors naming the resource they are about.
package channel

import (
	"fmt"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Catalogs, as in the other Partner Central APIs.
const (
	CatalogAWS     = "AWS"
	CatalogSandbox = "Sandbox"
)

// Kinds of the documents the Channel API keeps.
const (
	kindPMA          = "channel-pma"
	kindRelationship = "channel-relationship"
	kindHandshake    = "channel-handshake"
)

// Resource types as the exceptions' resourceType members name them.
const (
	resourcePMA          = "ProgramManagementAccount"
	resourceRelationship = "Relationship"
	resourceHandshake    = "ChannelHandshake"
)

// Service implements the Channel API operations.
type Service struct {
	store  store.Store
	clock  clock.Clock
	region string
	tokens *pagetoken.Codec
	// names are the display names of the accounts the server knows, for
	// a handshake's senderDisplayName.
	names  map[string]string
	events events.Emitter
}

// Config is what a Service needs.
type Config struct {
	Store    store.Store
	Clock    clock.Clock
	Region   string
	TokenKey []byte
	// Accounts maps the server's partner accounts to their company names.
	Accounts map[string]string
}

// New returns a Service.
func New(cfg Config) *Service {
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	return &Service{store: cfg.Store, clock: c, region: cfg.Region, tokens: pagetoken.New(cfg.TokenKey), names: cfg.Accounts,
		events: events.Emitter{Source: events.SourceChannel, Region: cfg.Region}}
}

// now is the current time at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// arn builds a Channel ARN. Every Channel resource belongs to the account
// that created it, and its ARN names that account (semantics-2026 §4.1).
func (s *Service) arn(owner, catalog, path string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/%s", s.region, owner, catalog, path)
}

// checkCatalog refuses a catalog other than AWS and Sandbox. The model's
// pattern admits any letters; AWS documents only these two, so another is
// a bad value here rather than an empty world of its own.
func checkCatalog(catalog string) error {
	if catalog == CatalogAWS || catalog == CatalogSandbox {
		return nil
	}
	return apierr.RequestInvalid(apierr.FieldError{FieldName: "catalog", Code: apierr.CodeInvalidValue,
		Message: fmt.Sprintf("Catalog %q is not AWS or Sandbox.", catalog)})
}

// revision is a record's revision as the API writes it: a digit string.
func revision(n int) *string { return ptr(fmt.Sprint(n)) }

// checkRevision refuses an update that names a revision other than the
// current one: the caller's copy is stale.
func checkRevision(given *string, current int, resourceType, id string) error {
	if given == nil || *given == fmt.Sprint(current) {
		return nil
	}
	return apierr.Conflict("The %s %s is at revision %d, not %s; read it again and retry.", resourceType, id, current, *given).About(resourceType, id)
}

func notFound(resourceType, id string) error {
	return apierr.NotFound("The %s %s does not exist.", resourceType, id).About(resourceType, id)
}

func ptr[T any](v T) *T { return &v }

// timePtr is a copy of t, or nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
