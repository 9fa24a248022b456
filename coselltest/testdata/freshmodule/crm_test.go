package crm_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/coselltest"
)

func TestOpportunityReachesPartnerCentral(t *testing.T) {
	t.Parallel()
	srv := coselltest.Start(t) // stops when the test ends
	cfg := srv.Config()        // account 111111111111's keys, region and endpoint

	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Account) != "111111111111" {
		t.Fatalf("GetCallerIdentity: %v %v", who, err)
	}

	pc := sellingclient.New(cfg)
	created, err := pc.CreateOpportunity(t.Context(), &selling.CreateOpportunityRequest{
		Catalog:  "Sandbox",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Example Retail"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	events, err := srv.Admin.Events(t.Context(), "111111111111", 0)
	if err != nil || len(events) != 1 || events[0].DetailType() != "Opportunity Created" {
		t.Fatalf("events of %s: %+v %v", created.Id, events, err)
	}
}
