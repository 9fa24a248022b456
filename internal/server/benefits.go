package server

import (
	"github.com/cosell/cosell/internal/benefits"
	"github.com/cosell/cosell/internal/wire"
)

// registerBenefits is the one place the Benefits domain joins the server.
// It reads opportunities through Selling, registered before it.
func registerBenefits(api *wire.API, d *deps) error {
	svc := benefits.New(benefits.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey, Opportunities: d.aws.selling})
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
