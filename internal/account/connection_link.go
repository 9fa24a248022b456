package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/store"
)

// Connections answers the Selling domain's question whether two partner
// accounts may collaborate on engagements. It reads the shared store
// directly, so Selling needs neither an Account Service nor its internals.
type Connections struct{}

// Connected reports whether accounts a and b have an ACTIVE
// OPPORTUNITY_COLLABORATION connection in the catalog, the connection AWS
// requires before one partner invites another to an engagement.
func (Connections) Connected(ctx context.Context, r store.Reader, catalog, a, b string) (bool, error) {
	return activeType(ctx, r, catalog, a, b, api.ConnectionTypeOpportunityCollaboration)
}

// Subsidiaries reports whether accounts a and b have an ACTIVE SUBSIDIARY
// connection in the catalog: a partner may associate its subsidiary's AWS
// Marketplace listings with its opportunities.
func (Connections) Subsidiaries(ctx context.Context, r store.Reader, catalog, a, b string) (bool, error) {
	return activeType(ctx, r, catalog, a, b, api.ConnectionTypeSubsidiary)
}

func activeType(ctx context.Context, r store.Reader, catalog, a, b string, t api.ConnectionType) (bool, error) {
	d, found, err := liveConnection(ctx, r, catalog, a, b)
	if err != nil || !found {
		return false, err
	}
	return d.Value.active(t), nil
}
