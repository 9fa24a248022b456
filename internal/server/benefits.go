package server

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/benefits"
	"github.com/cosell/cosell/internal/wire"
)

// registerBenefits is the one place the Benefits domain joins the server.
// It reads opportunities through Selling, registered before it.
func registerBenefits(api *wire.API, d *deps) error {
	sell := d.aws.selling
	svc := benefits.New(benefits.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey, Opportunities: sell,
		// One automatic reviewer for the Sandbox's Selling and Benefits reviews.
		AutoReview: func() (bool, time.Duration) { r := sell.AutoReview(); return r.Rules, r.Delay }})
	d.aws.benefits = svc
	return addHandlers(api, map[string]wire.Handler{
		"GetBenefit":                             bind(svc.GetBenefit),
		"ListBenefits":                           bind(svc.ListBenefits),
		"CreateBenefitApplication":               bind(svc.CreateBenefitApplication),
		"GetBenefitApplication":                  bind(svc.GetBenefitApplication),
		"UpdateBenefitApplication":               bind(svc.UpdateBenefitApplication),
		"ListBenefitApplications":                bind(svc.ListBenefitApplications),
		"SubmitBenefitApplication":               bind(svc.SubmitBenefitApplication),
		"RecallBenefitApplication":               bind(svc.RecallBenefitApplication),
		"CancelBenefitApplication":               bind(svc.CancelBenefitApplication),
		"AmendBenefitApplication":                bind(svc.AmendBenefitApplication),
		"AssociateBenefitApplicationResource":    bind(svc.AssociateBenefitApplicationResource),
		"DisassociateBenefitApplicationResource": bind(svc.DisassociateBenefitApplicationResource),
		"GetBenefitAllocation":                   bind(svc.GetBenefitAllocation),
		"ListBenefitAllocations":                 bind(svc.ListBenefitAllocations),
		"TagResource":                            bind(svc.TagResource),
		"UntagResource":                          bind(svc.UntagResource),
		"ListTagsForResource":                    bind(svc.ListTagsForResource),
	})
}

// benefitsSide adapts the Benefits domain to the admin API's AWS-side
// routes. Bodies are decoded strictly: a member the domain's type does not
// have is a mistake to report, not to drop.
type benefitsSide struct{ svc *benefits.Service }

func (b benefitsSide) ReviewApplication(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error) {
	var r benefits.Review
	if err := strictJSON(body, &r, "review"); err != nil {
		return nil, err
	}
	return marshal(b.svc.ReviewApplication(ctx, account, catalog, id, r))
}

func (b benefitsSide) ProcessFile(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error) {
	var f struct {
		FileURI string `json:"fileUri"`
		Status  string `json:"status"`
		Reason  string `json:"reason,omitempty"`
	}
	if err := strictJSON(body, &f, "file"); err != nil {
		return nil, err
	}
	return marshal(b.svc.ProcessFile(ctx, account, catalog, id, f.FileURI, f.Status, f.Reason))
}

func (b benefitsSide) ChangeAllocation(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error) {
	var c benefits.AllocationChange
	if err := strictJSON(body, &c, "allocation change"); err != nil {
		return nil, err
	}
	return marshal(b.svc.ChangeAllocation(ctx, account, catalog, id, c))
}

func (b benefitsSide) Catalog(ctx context.Context, catalog string) (json.RawMessage, error) {
	return marshal(b.svc.Catalog(ctx, catalog))
}

func (b benefitsSide) PutBenefit(ctx context.Context, catalog, id string, body json.RawMessage) (json.RawMessage, error) {
	var bf benefits.Benefit
	if err := strictJSON(body, &bf, "benefit"); err != nil {
		return nil, err
	}
	if id != "" {
		bf.Id = id
	}
	return marshal(b.svc.PutBenefit(ctx, catalog, bf))
}

func strictJSON(body json.RawMessage, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return admin.BadRequest(what + ": " + err.Error())
	}
	return nil
}

func marshal[T any](v T, err error) (json.RawMessage, error) {
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
