// Package selling is the Selling API's domain: opportunities, their
// lifecycle and review rules, associations, solutions, tags and settings.
// It knows nothing of HTTP or SQL: requests arrive as generated API types
// with the caller's account, state lives behind store.Store, and failures
// are apierr errors the wire layer turns into modelled exceptions.
package selling

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Catalogs are separate worlds: the real pipeline and the test Sandbox.
const (
	CatalogAWS     = "AWS"
	CatalogSandbox = "Sandbox"
)

// Service implements the Selling API operations.
type Service struct {
	store  store.Store
	clock  clock.Clock
	region string
	tokens *pagetoken.Codec
	// parties are the partner accounts the server knows, by account id.
	parties     map[string]Party
	connections Connections
	events      events.Emitter
	autoReview  atomic.Pointer[AutoReview] // nil: off (see awsside_autoreview.go)
}

// Config is what a Service needs.
type Config struct {
	Store  store.Store
	Clock  clock.Clock
	Region string
	// TokenKey signs NextTokens; tokens stay valid across restarts while the
	// key stays the same.
	TokenKey []byte
	// Parties are the partner accounts that can take part in engagements.
	Parties []Party
	// Connections tells which partners are connected (Account API); nil
	// only where Selling runs without it and sends no invitations (seeding).
	Connections Connections
}

// Connections is what Selling asks the Account domain: whether partner
// accounts a and b are connected for opportunity collaboration in the
// catalog, which AWS requires before one invites the other to an
// engagement. r reads inside the caller's transaction.
type Connections interface {
	Connected(ctx context.Context, r store.Reader, catalog, a, b string) (bool, error)
	// Subsidiaries reports whether a and b have an ACTIVE SUBSIDIARY
	// connection, which lets one associate the other's Marketplace listings.
	Subsidiaries(ctx context.Context, r store.Reader, catalog, a, b string) (bool, error)
}

// New returns a Service.
func New(cfg Config) *Service {
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	parties := make(map[string]Party, len(cfg.Parties))
	for _, p := range cfg.Parties {
		parties[p.AccountID] = p
	}
	return &Service{store: cfg.Store, clock: c, region: cfg.Region, tokens: pagetoken.New(cfg.TokenKey), parties: parties,
		events: events.Emitter{Source: events.SourceSelling, Region: cfg.Region}, connections: cfg.Connections}
}

func scopeOf(account, catalog string) store.Scope {
	return store.Scope{Account: account, Catalog: catalog}
}

// now is the current time at the millisecond precision timestamps keep on
// the wire and in the store.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// nextModified is the LastModifiedDate for a write after prev: the current
// time, or one millisecond past prev when the clock has not moved on, so two
// writes never share an optimistic-lock token.
func (s *Service) nextModified(prev time.Time) time.Time {
	now := s.now()
	if !now.After(prev) {
		return prev.Add(time.Millisecond)
	}
	return now
}

func (s *Service) opportunityArn(scope store.Scope, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/opportunity/%s", s.region, scope.Account, scope.Catalog, id)
}

func (s *Service) solutionArn(scope store.Scope, id string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/solution/%s", s.region, scope.Account, scope.Catalog, id)
}

// emit appends a Selling event for account in tx, stamped with the clock:
// it commits with the change it reports or not at all.
func (s *Service) emit(ctx context.Context, tx store.Tx, account, detailType string, resources []string, detail any) error {
	if err := s.events.Emit(ctx, tx, s.now(), account, detailType, resources, detail); err != nil {
		return internal("emit "+detailType, err)
	}
	return nil
}

// internal wraps an unexpected store failure; the wire layer turns a plain
// error into InternalServerException and logs it with the request id.
func internal(op string, err error) error {
	if _, ok := apierr.As(err); ok {
		return err
	}
	return fmt.Errorf("selling: %s: %w", op, err)
}

func opportunityNotFound(id string) error {
	return apierr.NotFound("Opportunity %s does not exist.", id)
}

// loadOpportunity reads and decodes one opportunity in scope.
func loadOpportunity(ctx context.Context, r store.Reader, scope store.Scope, id string) (*store.Opportunity, *record, error) {
	row, err := r.GetOpportunity(ctx, scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, opportunityNotFound(id)
	}
	if err != nil {
		return nil, nil, internal("get opportunity", err)
	}
	rec, err := decodeRecord(row.Doc)
	if err != nil {
		return nil, nil, internal("decode opportunity", err)
	}
	return row, rec, nil
}
