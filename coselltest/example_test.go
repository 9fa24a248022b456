package coselltest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/coselltest"
)

// deal is a deal as a CRM keeps it.
type deal struct {
	Customer, Title, Problem string
	OpportunityID            string // set once shared with AWS
	AWSStatus                string // Partner Central's review status, as last pulled
}

// coSell is the CRM integration under test: it shares a deal with AWS,
// and pulls AWS's review back into the deal.
type coSell struct{ pc *sellingclient.Client }

func (c coSell) share(ctx context.Context, d *deal) error {
	out, err := c.pc.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{
		Catalog: "Sandbox",
		Customer: &selling.Customer{Account: &selling.Account{
			CompanyName: d.Customer, Industry: ptr(selling.IndustrySoftwareAndInternet), WebsiteUrl: ptr("https://example.com"),
			Address: &selling.Address{CountryCode: ptr(selling.CountryCodeUs), PostalCode: ptr("98101"), StateOrRegion: ptr("Washington")},
		}},
		Project: &selling.Project{
			Title: ptr(d.Title), CustomerBusinessProblem: ptr(d.Problem),
			CustomerUseCase: ptr("Business Intelligence & Data Warehouse"), DeliveryModels: []selling.DeliveryModel{selling.DeliveryModelSaaSOrPaaS},
			ExpectedCustomerSpend:    []selling.ExpectedCustomerSpend{{Amount: ptr("5000"), CurrencyCode: selling.CurrencyCodeUsd, Frequency: selling.PaymentFrequencyMonthly, TargetCompany: "AWS"}},
			SalesActivities:          []selling.SalesActivity{selling.SalesActivityInitializedDiscussionsWithCustomer},
			OtherSolutionDescription: ptr("Our analytics service"),
		},
		LifeCycle: &selling.LifeCycle{Stage: ptr(selling.StageProspect), TargetCloseDate: ptr("2030-06-30")},
	})
	if err != nil {
		return err
	}
	d.OpportunityID = out.Id
	return c.pc.SubmitOpportunity(ctx, &selling.SubmitOpportunityRequest{Catalog: "Sandbox", Identifier: out.Id, InvolvementType: selling.SalesInvolvementTypeCoSell})
}

func (c coSell) pull(ctx context.Context, d *deal) error {
	o, err := c.pc.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: d.OpportunityID})
	if err != nil {
		return err
	}
	d.AWSStatus = string(*o.LifeCycle.ReviewStatus)
	return nil
}

func ptr[T any](v T) *T { return &v }

// A CRM integration tested against cosell: the integration shares a deal,
// cosell plays AWS's reviewer, and the integration sees the approval and
// the events a connector would receive. In a test, coselltest.Start(t)
// replaces New and Close.
func Example() {
	ctx := context.Background()
	srv, err := coselltest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// A local cosell has no quotas, so the client's rate limiting can go.
	crm := coSell{pc: sellingclient.New(srv.Config(), func(o *sellingclient.Options) { o.RateLimit.Disabled = true })}
	d := &deal{Customer: "Example Retail", Title: "Analytics platform", Problem: "Sales reports take a week to build by hand."}
	if err := crm.share(ctx, d); err != nil {
		log.Fatal(err)
	}
	if err := crm.pull(ctx, d); err != nil {
		log.Fatal(err)
	}
	fmt.Println("after submitting:", d.AWSStatus)

	account := srv.Accounts[0].ID
	if _, err := srv.Admin.Review(ctx, "Sandbox", account, d.OpportunityID, coselltest.ReviewRequest{Status: "Approved"}); err != nil {
		log.Fatal(err)
	}
	if err := crm.pull(ctx, d); err != nil {
		log.Fatal(err)
	}
	fmt.Println("after AWS's review:", d.AWSStatus)

	events, err := srv.Admin.Events(ctx, account, 0)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		fmt.Println("event:", e.DetailType())
	}
	// Output:
	// after submitting: Submitted
	// after AWS's review: Approved
	// event: Opportunity Created
	// event: Opportunity Updated
	// event: Opportunity Updated
	// event: Opportunity Updated
}
