// Package syncer is the sync connector's engine: it keeps a CRM database
// (package crmdb) in step with Partner Central the way AWS's best-practice
// guide describes. Inbound, a first full load, then ListOpportunities
// polling filtered by the newest LastModifiedDate AWS has answered, and
// events; every path fetches the latest record with GetOpportunity and
// keeps it only when newer, so duplicated or reordered notifications
// converge. Outbound, CRM creates (idempotent by a ClientToken derived
// from the CRM id) and CRM edits (applied onto the full record under
// optimistic locking; edits that meet different Partner Central values
// become conflicts).
package syncer

import (
	"context"
	"log/slog"
	"time"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// API is the part of the Selling API the engine calls;
// *sellingclient.Client is one.
type API interface {
	ListOpportunities(ctx context.Context, in *selling.ListOpportunitiesRequest) (*selling.ListOpportunitiesResponse, error)
	GetOpportunity(ctx context.Context, in *selling.GetOpportunityRequest) (*selling.GetOpportunityResponse, error)
	CreateOpportunity(ctx context.Context, in *selling.CreateOpportunityRequest) (*selling.CreateOpportunityResponse, error)
	UpdateOpportunity(ctx context.Context, in *selling.UpdateOpportunityRequest) (*selling.UpdateOpportunityResponse, error)
	ListEngagementInvitations(ctx context.Context, in *selling.ListEngagementInvitationsRequest) (*selling.ListEngagementInvitationsResponse, error)
}

// Progress reports the first load: opportunities done so far, and
// whether the listing has reached its last page.
type Progress func(done int, finished bool)

// Engine syncs one catalog.
type Engine struct {
	API      API
	DB       crmdb.Store
	Catalog  string
	Log      *slog.Logger
	Progress Progress // optional
}

// pageSize is the largest page ListOpportunities gives.
const pageSize = 100

// SyncOnce runs one full cycle: inbound (the first load, resumed if it
// was cut off, or a poll), AWS referrals, then outbound.
func (e *Engine) SyncOnce(ctx context.Context) error {
	st, err := e.DB.State(ctx, e.Catalog)
	if err != nil {
		return err
	}
	if err := e.inbound(ctx, &st); err != nil {
		return err
	}
	if err := e.syncInvitations(ctx); err != nil {
		return err
	}
	if err := e.outbound(ctx); err != nil {
		return err
	}
	st.LastSync = time.Now().UTC()
	return e.DB.SaveState(ctx, st)
}
