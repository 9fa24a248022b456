package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/faults"
	"github.com/cosell/cosell/internal/localstack"
	"github.com/cosell/cosell/internal/quota"
	sellingdomain "github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/wire"
)

// Quota modes of Config.Quotas.
const (
	QuotasOff = "off" // no request quotas: as fast as the machine allows
	QuotasAWS = "aws" // AWS's documented per-account quotas (internal/quota)
)

// controls are the test harness's levers on a running server: request
// quotas, injected faults and resets.
type controls struct {
	quotas   *quota.Limiter
	quotasOn atomic.Bool // Config.Quotas, until the console switches it
	// onQuotasSwitched, when set, shares a switch with other replicas.
	onQuotasSwitched func(on bool)
	faults           *faults.Injector
	store            store.Store
	seeder           *sellingdomain.Service // re-seeds starter solutions after a reset
	accounts         []auth.Account
}

func newControls(cfg Config, st store.Store, accounts []auth.Account) (*controls, error) {
	c := &controls{
		faults: faults.New(cfg.Region, cfg.FaultSeed),
		// The per-second buckets follow the wall clock, as clients do; the
		// daily window follows the server clock, so moving it a day
		// forward through the admin API empties the window.
		quotas:   quota.New(time.Now, cfg.Clock.Now),
		store:    st,
		seeder:   sellingdomain.New(sellingdomain.Config{Store: st, Clock: cfg.Clock, Region: cfg.Region}),
		accounts: accounts,
	}
	switch cfg.Quotas {
	case "", QuotasOff:
	case QuotasAWS:
		c.quotasOn.Store(true)
	default:
		return nil, fmt.Errorf("quotas %q: want %q or %q", cfg.Quotas, QuotasOff, QuotasAWS)
	}
	return c, nil
}

// admit runs before every handler. Faults come first, so a request an
// injected fault fails consumes no quota, as a request AWS fails before
// serving it would not.
func (c *controls) admit(ctx context.Context, call wire.Call) error {
	if err := c.faults.Admit(ctx, call); err != nil {
		return err
	}
	if c.quotasOn.Load() {
		return c.quotas.Allow(call.Account, call.Service.Name, call.Operation)
	}
	return nil
}

// Enabled, SetEnabled and Usage let the console show and switch the
// quotas. Usage recorded while they were on stays until a reset.
func (c *controls) Enabled() bool        { return c.quotasOn.Load() }
func (c *controls) Usage() []quota.Usage { return c.quotas.Usage() }

func (c *controls) SetEnabled(on bool) {
	c.quotasOn.Store(on)
	if c.onQuotasSwitched != nil {
		c.onQuotasSwitched(on)
	}
}

// ResetAll empties the store but for server-wide settings, gives every
// account its starter solutions again and forgets quota usage. Fault
// rules stay: they are the test's configuration, not the server's state.
func (c *controls) ResetAll(ctx context.Context) error {
	if err := c.store.Update(ctx, func(tx store.Tx) error { return tx.DeleteAll(ctx) }); err != nil {
		return err
	}
	c.quotas.Reset()
	for _, a := range c.accounts {
		if err := c.seeder.SeedAccount(ctx, a.AccountID); err != nil {
			return fmt.Errorf("seed account %s: %w", a.AccountID, err)
		}
	}
	return nil
}

// accountKeys are the document keys whose values are account IDs, in both
// domains. A scoped reset removes a document only when these name the
// account alone: an engagement with another member, an invitation or a
// connection between two accounts stays exactly as it is for both, even
// when it points at an opportunity the reset removed.
var accountKeys = []string{"member", "owner", "sender", "receiver", "createdBy", "account", "participant"}

// ResetScope empties one account's catalog: its opportunities, idempotency
// records, solutions, settings, its tags on the catalog's ARNs and the
// documents only it is named on (see accountKeys), then re-seeds its
// starter solutions. Quota usage is per account across catalogs, so it
// stays.
func (c *controls) ResetScope(ctx context.Context, account, catalog string) error {
	if catalog != sellingdomain.CatalogAWS && catalog != sellingdomain.CatalogSandbox {
		return fmt.Errorf("%w: catalog %q, want AWS or Sandbox", admin.ErrBadScope, catalog)
	}
	if !slices.ContainsFunc(c.accounts, func(a auth.Account) bool { return a.AccountID == account }) {
		return fmt.Errorf("%w: account %q is not one the server serves", admin.ErrBadScope, account)
	}
	scope := store.Scope{Account: account, Catalog: catalog}
	err := c.store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteScope(ctx, scope); err != nil {
			return err
		}
		// Every ARN the two APIs issue names its catalog as "catalog/<name>/".
		if err := tx.DeleteTags(ctx, account, ":catalog/"+catalog+"/"); err != nil {
			return err
		}
		_, err := tx.DeleteDocumentsOf(ctx, catalog, account, accountKeys)
		return err
	})
	if err != nil {
		return err
	}
	// SeedAccount fills only catalogs without solutions: the one just reset.
	return c.seeder.SeedAccount(ctx, account)
}

// mountLocalStack serves LocalStack's control endpoints beside cosell's,
// behind guard (nil: open).
func (c *controls) mountLocalStack(mux *http.ServeMux, guard func(http.Handler) http.Handler) error {
	return localstack.Mount(mux, localstack.Config{
		Services: signingNames(),
		Faults:   c.faults,
		ResetAll: c.ResetAll,
		Guard:    guard,
	})
}
