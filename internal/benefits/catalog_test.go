package benefits

import (
	"encoding/json"
	"slices"
	"testing"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
)

func TestCatalogsHoldTheSameBenefitsUnderDifferentIDs(t *testing.T) {
	f := newFixture(t)
	ids := map[string][]string{}
	for _, catalog := range []string{CatalogAWS, CatalogSandbox} {
		out, err := f.svc.ListBenefits(f.ctx, acctOne, &api.ListBenefitsInput{Catalog: catalog, MaxResults: ptr(int32(100))})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.BenefitSummaries) != len(seedBenefits) || out.NextToken != nil {
			t.Fatalf("%s: %d benefits, token %v; want all %d on one page", catalog, len(out.BenefitSummaries), out.NextToken, len(seedBenefits))
		}
		for _, b := range out.BenefitSummaries {
			ids[catalog] = append(ids[catalog], *b.Id)
			if *b.Arn != "arn:aws:partnercentral:us-east-1::catalog/"+catalog+"/benefit/"+*b.Id {
				t.Errorf("ARN %s", *b.Arn)
			}
		}
	}
	for _, id := range ids[CatalogAWS] {
		if slices.Contains(ids[CatalogSandbox], id) {
			t.Errorf("benefit id %s is in both catalogs", id)
		}
	}
	// A Sandbox id is unknown in the AWS catalog.
	_, err := f.svc.GetBenefit(f.ctx, acctOne, &api.GetBenefitInput{Catalog: CatalogAWS, Identifier: ids[CatalogSandbox][0]})
	wantKind(t, err, apierr.KindNotFound, "")
}

func TestGetBenefitByIDOrARNWithItsSchema(t *testing.T) {
	f := newFixture(t)
	b := f.benefitNamed(t, "MAP Assess")
	for _, ident := range []string{b.Id, "arn:aws:partnercentral:us-east-1::catalog/Sandbox/benefit/" + b.Id} {
		out, err := f.svc.GetBenefit(f.ctx, acctOne, &api.GetBenefitInput{Catalog: CatalogSandbox, Identifier: ident})
		if err != nil {
			t.Fatalf("%s: %v", ident, err)
		}
		var sc map[string]any
		if err := json.Unmarshal(out.BenefitRequestSchema, &sc); err != nil || sc["type"] != "object" {
			t.Fatalf("schema %s: %v", out.BenefitRequestSchema, err)
		}
		if *out.Id != b.Id || !slices.Equal(out.Programs, []string{"MAP"}) || *out.Status != api.BenefitStatusActive {
			t.Errorf("got %+v", out)
		}
	}
	// An ARN of another catalog names nothing in this one.
	_, err := f.svc.GetBenefit(f.ctx, acctOne, &api.GetBenefitInput{Catalog: CatalogSandbox, Identifier: "arn:aws:partnercentral:us-east-1::catalog/AWS/benefit/" + b.Id})
	wantKind(t, err, apierr.KindNotFound, "")
}

func TestListBenefitsFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	list := func(in api.ListBenefitsInput) *listBenefitsOutput {
		t.Helper()
		in.Catalog = CatalogSandbox
		out, err := f.svc.ListBenefits(f.ctx, acctOne, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	mapOnly := list(api.ListBenefitsInput{Programs: []string{"MAP"}})
	if len(mapOnly.BenefitSummaries) != 3 {
		t.Errorf("MAP benefits: %d, want 3 (Assess, Mobilize, legacy)", len(mapOnly.BenefitSummaries))
	}
	active := list(api.ListBenefitsInput{Programs: []string{"MAP"}, Status: []api.BenefitStatus{api.BenefitStatusActive}})
	if len(active.BenefitSummaries) != 2 {
		t.Errorf("active MAP benefits: %d, want 2", len(active.BenefitSummaries))
	}
	access := list(api.ListBenefitsInput{FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeAccess}})
	if len(access.BenefitSummaries) != 1 || *access.BenefitSummaries[0].Name != "AWS Skill Builder Team Subscription" {
		t.Errorf("ACCESS benefits: %+v", access.BenefitSummaries)
	}
	var seen []string
	in := api.ListBenefitsInput{MaxResults: ptr(int32(4))}
	for {
		page := list(in)
		for _, b := range page.BenefitSummaries {
			seen = append(seen, *b.Id)
		}
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	if len(seen) != len(seedBenefits) {
		t.Errorf("paged through %d benefits, want %d", len(seen), len(seedBenefits))
	}
	// A token belongs to the request it continues.
	first := list(api.ListBenefitsInput{MaxResults: ptr(int32(2))})
	_, err := f.svc.ListBenefits(f.ctx, acctOne, &api.ListBenefitsInput{Catalog: CatalogSandbox, Programs: []string{"MDF"}, NextToken: first.NextToken})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
}

func TestAwsSideEditsAndAddsBenefits(t *testing.T) {
	f := newFixture(t)
	b := f.benefitNamed(t, "Marketing Development Funds")
	b.Status = api.BenefitStatusInactive
	if _, err := f.svc.PutBenefit(f.ctx, CatalogSandbox, b); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.GetBenefit(f.ctx, acctOne, &api.GetBenefitInput{Catalog: CatalogSandbox, Identifier: b.Id})
	if err != nil || *got.Status != api.BenefitStatusInactive {
		t.Fatalf("edited benefit: %+v, %v", got, err)
	}
	// The AWS catalog's copy is untouched.
	aws := seedCatalog(CatalogAWS)
	gotAws, err := f.svc.GetBenefit(f.ctx, acctOne, &api.GetBenefitInput{Catalog: CatalogAWS, Identifier: aws[slices.IndexFunc(aws, func(x Benefit) bool { return x.Name == b.Name })].Id})
	if err != nil || *gotAws.Status != api.BenefitStatusActive {
		t.Fatalf("AWS catalog's MDF: %+v, %v", gotAws, err)
	}
	added, err := f.svc.PutBenefit(f.ctx, CatalogSandbox, Benefit{Name: "Well-Architected Review Credits", Programs: []string{"WAFR"},
		FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCredits}, RequestSchema: json.RawMessage(`{"type":"object","required":["Workload"],"properties":{"Workload":{"type":"string"}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !idPattern("ben-").MatchString(added.Id) {
		t.Errorf("new benefit id %s", added.Id)
	}
	out, err := f.svc.ListBenefits(f.ctx, acctOne, &api.ListBenefitsInput{Catalog: CatalogSandbox, Programs: []string{"WAFR"}})
	if err != nil || len(out.BenefitSummaries) != 1 {
		t.Fatalf("added benefit listed: %+v, %v", out, err)
	}
	// Schemas with keywords cosell cannot check, or no program, are refused.
	for _, bad := range []Benefit{
		{Name: "x", Programs: []string{"P"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash}, RequestSchema: json.RawMessage(`{"type":"object","oneOf":[]}`)},
		{Name: "x", FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash}},
		{Name: "x", Programs: []string{"P"}, FulfillmentTypes: []api.FulfillmentType{"DISCOUNT"}},
	} {
		_, err := f.svc.PutBenefit(f.ctx, CatalogSandbox, bad)
		wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
	}
	_, err = f.svc.PutBenefit(f.ctx, CatalogSandbox, Benefit{Id: "ben-00000000000000", Name: "x", Programs: []string{"P"}, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash}})
	wantKind(t, err, apierr.KindNotFound, "")
}

func TestACatalogOtherThanAWSAndSandboxHoldsNothing(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.ListBenefits(f.ctx, acctOne, &api.ListBenefitsInput{Catalog: "Other"})
	if err != nil || len(out.BenefitSummaries) != 0 {
		t.Fatalf("catalog Other: %+v, %v", out, err)
	}
	_, err = f.svc.PutBenefit(f.ctx, "Other", f.benefitNamed(t, "MAP Assess"))
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
}
