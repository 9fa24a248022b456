package server

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/wire"
)

// registerSelling is the one place the Selling domain joins the server:
// it seeds every account's starter solutions and adds the handlers to the
// API. Operations left without a handler answer NotImplementedException.
func registerSelling(api *wire.API, d *deps) error {
	ctx := context.Background()
	parties := make([]selling.Party, len(d.accounts))
	for i, a := range d.accounts {
		parties[i] = selling.Party{AccountID: a.AccountID, CompanyName: a.CompanyName}
	}
	svc := selling.New(selling.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey, Parties: parties,
		// The two domains share the store, so Selling reads connections
		// straight from it, inside its own transaction.
		Connections: account.Connections{}})
	d.aws.selling = svc
	// A reviewer named at start replaces the one saved by an earlier run
	// (set through the admin API, say); otherwise the saved one comes back.
	if d.cfg.AutoReviewSet || d.cfg.AutoReview.Rules {
		if err := svc.SetAutoReview(ctx, d.cfg.AutoReview); err != nil {
			return err
		}
	} else if err := svc.RestoreAutoReview(ctx); err != nil {
		return err
	}
	for _, a := range d.accounts {
		if err := svc.SeedAccount(ctx, a.AccountID); err != nil {
			return fmt.Errorf("seed account %s: %w", a.AccountID, err)
		}
	}
	return addHandlers(api,
		opportunityHandlers(svc),
		engagementHandlers(svc),
		invitationHandlers(svc),
		snapshotHandlers(svc),
		taskHandlers(svc),
	)
}

// addHandlers registers handler maps on an API, refusing names the model
// does not have.
func addHandlers(api *wire.API, maps ...map[string]wire.Handler) error {
	for _, handlers := range maps {
		for name, h := range handlers {
			if _, ok := api.Service.Operations[name]; !ok {
				return fmt.Errorf("handler for %s, which the model does not have", name)
			}
			api.Handlers[name] = h
		}
	}
	return nil
}

// opportunityHandlers serve opportunities, solutions, tags and settings.
func opportunityHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateOpportunity":        bind(svc.CreateOpportunity),
		"GetOpportunity":           bind(svc.GetOpportunity),
		"UpdateOpportunity":        bind(svc.UpdateOpportunity),
		"ListOpportunities":        bind(svc.ListOpportunities),
		"SubmitOpportunity":        bind(svc.SubmitOpportunity),
		"AssignOpportunity":        bind(svc.AssignOpportunity),
		"AssociateOpportunity":     bind(svc.AssociateOpportunity),
		"DisassociateOpportunity":  bind(svc.DisassociateOpportunity),
		"GetAwsOpportunitySummary": bind(svc.GetAwsOpportunitySummary),
		"ListSolutions":            bind(svc.ListSolutions),
		"TagResource":              bind(svc.TagResource),
		"UntagResource":            bind(svc.UntagResource),
		"ListTagsForResource":      bind(svc.ListTagsForResource),
		"GetSellingSystemSettings": bind(svc.GetSellingSystemSettings),
		"PutSellingSystemSettings": bind(svc.PutSellingSystemSettings),
	}
}

// bind adapts a domain method, which takes the caller's account explicitly,
// to a wire handler, which finds the caller in the request context.
func bind[In, Out any](fn func(context.Context, string, *In) (*Out, error)) wire.Handler {
	return wire.Op(func(ctx context.Context, in *In) (*Out, error) {
		return fn(ctx, wire.CallerFrom(ctx).AccountID, in)
	})
}
