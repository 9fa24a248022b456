// Package account is the Partner Central Account API's domain: partners
// and their verification, profiles, alliance lead and training domains,
// connections between partner accounts, and tags. Like internal/selling it
// knows nothing of HTTP or SQL: requests arrive as generated API types with
// the caller's account, records live in store documents (internal/docstore),
// and failures are apierr errors carrying the Account API's Reason codes.
package account

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events"
	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Catalogs, as in the Selling API.
const (
	CatalogAWS     = "AWS"
	CatalogSandbox = "Sandbox"
)

// Kinds of the documents the Account API keeps.
const (
	kindPartner              = "partner"
	kindVerification         = "verification"
	kindEmailCode            = "email-code"
	kindProfileTask          = "profile-task"
	kindConnectionInvitation = "connection-invitation"
	kindConnection           = "connection"
	kindConnectionPrefs      = "connection-preferences"
)

// Service implements the Account API operations.
type Service struct {
	store  store.Store
	clock  clock.Clock
	region string
	tokens *pagetoken.Codec
	// accounts are the partner accounts the server knows: account id →
	// company name.
	accounts map[string]string
	mail     mail.Sender // nil: codes stay in the mail log only
	logger   *slog.Logger
	events   events.Emitter
}

// Config is what a Service needs.
type Config struct {
	Store    store.Store
	Clock    clock.Clock
	Region   string
	TokenKey []byte
	Accounts map[string]string
	Mail     mail.Sender  // emails verification codes (AWS catalog); nil sends none
	Logger   *slog.Logger // nil: slog.Default()
}

// New returns a Service.
func New(cfg Config) *Service {
	c := cfg.Clock
	if c == nil {
		c = clock.System{}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{store: cfg.Store, clock: c, region: cfg.Region, tokens: pagetoken.New(cfg.TokenKey), accounts: cfg.Accounts,
		events: events.Emitter{Source: events.SourceAccount, Region: cfg.Region}, mail: cfg.Mail, logger: logger}
}

// now is the current time at millisecond precision, as stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Millisecond) }

// arn builds an Account API ARN. Resources owned by one account carry it;
// connections and invitations, shared by two, do not (semantics §4).
func (s *Service) arn(account, catalog, path string) string {
	return fmt.Sprintf("arn:aws:partnercentral:%s:%s:catalog/%s/%s", s.region, account, catalog, path)
}

func scopeOf(account, catalog string) store.Scope {
	return store.Scope{Account: account, Catalog: catalog}
}
