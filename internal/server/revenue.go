package server

import (
	"context"
	"encoding/json"

	revenueapi "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/revenue"
	"github.com/cosell/cosell/internal/wire"
)

// registerRevenue is the one place the Revenue Measurement domain joins
// the server. It emits no events: AWS documents none for this API.
func registerRevenue(api *wire.API, d *deps) error {
	svc := revenue.New(revenue.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey})
	d.aws.revenue = svc
	return addHandlers(api, map[string]wire.Handler{
		"CreateRevenueAttribution":                bind(svc.CreateRevenueAttribution),
		"GetRevenueAttribution":                   bind(svc.GetRevenueAttribution),
		"UpdateRevenueAttribution":                bind(svc.UpdateRevenueAttribution),
		"ListRevenueAttributions":                 bind(svc.ListRevenueAttributions),
		"StartRevenueAttributionAllocationsTask":  bind(svc.StartRevenueAttributionAllocationsTask),
		"GetRevenueAttributionAllocationsTask":    bind(svc.GetRevenueAttributionAllocationsTask),
		"GetRevenueAttributionAllocation":         bind(svc.GetRevenueAttributionAllocation),
		"ListRevenueAttributionAllocations":       bind(svc.ListRevenueAttributionAllocations),
		"CreateMarketplaceRevenueShare":           bind(svc.CreateMarketplaceRevenueShare),
		"GetMarketplaceRevenueShare":              bind(svc.GetMarketplaceRevenueShare),
		"ListMarketplaceRevenueShares":            bind(svc.ListMarketplaceRevenueShares),
		"CreateMarketplaceRevenueShareAllocation": bind(svc.CreateMarketplaceRevenueShareAllocation),
		"GetMarketplaceRevenueShareAllocation":    bind(svc.GetMarketplaceRevenueShareAllocation),
		"UpdateMarketplaceRevenueShareAllocation": bind(svc.UpdateMarketplaceRevenueShareAllocation),
		"ListMarketplaceRevenueShareAllocations":  bind(svc.ListMarketplaceRevenueShareAllocations),
		"TagResource":                             bind(svc.TagResource),
		"UntagResource":                           bind(svc.UntagResource),
		"ListTagsForResource":                     bind(svc.ListTagsForResource),
	})
}

// revenueSide adapts the domain to the admin API's /_cosell/aws/revenue/ routes.
type revenueSide struct{ svc *revenue.Service }

func (a awsSide) revenueRoutes() admin.RevenueSide {
	if a.revenue == nil {
		return nil
	}
	return revenueSide{a.revenue}
}

func (r revenueSide) AddProduct(ctx context.Context, in admin.ProductRequest) (json.RawMessage, error) {
	p, err := r.svc.AddProduct(ctx, in.Account, revenueapi.CatalogName(in.Catalog), revenue.Product{Id: in.Id, Code: in.Code, Name: in.Name})
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

func (r revenueSide) Products(ctx context.Context, account, catalog string) (json.RawMessage, error) {
	ps, err := r.svc.Products(ctx, account, revenueapi.CatalogName(catalog))
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"products": ps})
}

func (r revenueSide) SettleTask(ctx context.Context, in admin.SettleTaskRequest) (json.RawMessage, error) {
	out, err := r.svc.SettleTask(ctx, in.Account, revenueapi.CatalogName(in.Catalog), in.Attribution,
		revenueapi.RevenueAttributionAllocationErrorCode(in.ErrorCode), in.Message)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
