package account

import (
	"strings"
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

// wantErr fails unless err is an apierr of kind with the given Reason.
func wantErr(t *testing.T, err error, kind apierr.Kind, reason string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || e.Reason != reason {
		t.Fatalf("got %v (%+v), want kind %d reason %q", err, e, kind, reason)
	}
	return e
}

// wantCode fails unless err is a ValidationException whose first detail
// has the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindValidation || len(e.Fields) == 0 || e.Fields[0].Code != code {
		t.Fatalf("got %v (%+v), want a ValidationException with code %s", err, e, code)
	}
}

func TestCreatePartnerSandbox(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	if !strings.HasPrefix(p.Id, "partner-") || len(p.Id) != len("partner-")+13 {
		t.Errorf("id %q", p.Id)
	}
	if want := "arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/partner/" + p.Id; p.Arn != want {
		t.Errorf("arn %q, want %q", p.Arn, want)
	}
	pr := p.Profile
	if pr.DisplayName != legalNameOf(acctOne) || pr.PrimarySolutionType != api.PrimarySolutionTypeSoftwareProducts ||
		pr.ProfileId == nil || !strings.HasPrefix(*pr.ProfileId, "pprofile-") || pr.IndustrySegments == nil {
		t.Errorf("profile %+v", pr)
	}
	if !p.CreatedAt.Equal(f.svc.now()) || p.AllianceLeadContact.FirstName != "Ada" {
		t.Errorf("partner %+v", p)
	}

	got, err := f.svc.GetPartner(f.ctx, acctOne, &api.GetPartnerRequest{Catalog: CatalogSandbox, Identifier: p.Arn})
	if err != nil || got.Id != p.Id || got.LegalName != p.LegalName {
		t.Fatalf("GetPartner by ARN: %+v %v", got, err)
	}
	if _, err := f.svc.GetPartner(f.ctx, acctOne, &api.GetPartnerRequest{Catalog: CatalogAWS, Identifier: p.Id}); err == nil {
		t.Error("the Sandbox partner was found in the AWS catalog")
	}
}

func TestCreatePartnerRefusesDuplicates(t *testing.T) {
	f := newFixture(t)
	f.registerPartner(t, acctOne, CatalogSandbox)
	lead := api.AllianceLeadContact{FirstName: "B", LastName: "C", Email: "b@c.example", BusinessTitle: "T"}
	for name, in := range map[string]struct{ account, legalName string }{
		"second for the account": {acctOne, "Another Name"},
		"taken legal name":       {acctTwo, legalNameOf(acctOne)},
	} {
		_, err := f.svc.CreatePartner(f.ctx, in.account, &api.CreatePartnerRequest{Catalog: CatalogSandbox, LegalName: in.legalName,
			PrimarySolutionType: api.PrimarySolutionTypeManagedServices, AllianceLeadContact: lead, EmailVerificationCode: "000000"})
		t.Run(name, func(t *testing.T) { wantErr(t, err, apierr.KindConflict, "DUPLICATE_PARTNER") })
	}
}

func TestCreatePartnerClientToken(t *testing.T) {
	f := newFixture(t)
	tok := "tok-1"
	in := &api.CreatePartnerRequest{Catalog: CatalogSandbox, ClientToken: &tok, LegalName: "Token Co", PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts,
		AllianceLeadContact: api.AllianceLeadContact{FirstName: "A", LastName: "B", Email: "a@b.example", BusinessTitle: "T"}, EmailVerificationCode: "111111"}
	first, err := f.svc.CreatePartner(f.ctx, acctOne, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.CreatePartner(f.ctx, acctOne, in)
	if err != nil || again.Id != first.Id {
		t.Fatalf("retry: %+v %v, want partner %s", again, err, first.Id)
	}
	changed := *in
	changed.LegalName = "Other Co"
	_, err = f.svc.CreatePartner(f.ctx, acctOne, &changed)
	wantErr(t, err, apierr.KindConflict, "") // the wire layer fills CONFLICT_CLIENT_TOKEN, the first Reason
}

func TestCreatePartnerSandboxRefusesTags(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.CreatePartner(f.ctx, acctOne, &api.CreatePartnerRequest{Catalog: CatalogSandbox, LegalName: "Tagged", PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts,
		AllianceLeadContact: api.AllianceLeadContact{FirstName: "A", LastName: "B", Email: "a@b.example", BusinessTitle: "T"}, EmailVerificationCode: "111111",
		Tags: []api.Tag{{Key: "k", Value: "v"}}})
	wantCode(t, err, apierr.CodeActionNotPermitted)
}

func TestCreatePartnerAWSNeedsVerificationAndCode(t *testing.T) {
	f := newFixture(t)
	lead := api.AllianceLeadContact{FirstName: "A", LastName: "B", Email: "Lead@Corp.example", BusinessTitle: "T"}
	in := &api.CreatePartnerRequest{Catalog: CatalogAWS, LegalName: "Corp Inc", PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts,
		AllianceLeadContact: lead, EmailVerificationCode: "123456"}

	_, err := f.svc.CreatePartner(f.ctx, acctOne, in)
	wantCode(t, err, string(api.BusinessValidationCodeIncompatibleKnowYourBusinessStatus))

	f.verify(t, acctOne, "Other Legal Name")
	_, err = f.svc.CreatePartner(f.ctx, acctOne, in)
	wantCode(t, err, string(api.BusinessValidationCodeIncompatibleLegalName))

	f.verify(t, acctTwo, "Corp Inc")
	_, err = f.svc.CreatePartner(f.ctx, acctTwo, in)
	wantCode(t, err, apierr.CodeInvalidValue) // no code was sent

	in.EmailVerificationCode = f.sendCode(t, acctTwo, lead.Email)
	p, err := f.svc.CreatePartner(f.ctx, acctTwo, in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Arn, ":"+acctTwo+":catalog/AWS/partner/") {
		t.Errorf("arn %s", p.Arn)
	}
}

func TestGetPartnerOwnOnly(t *testing.T) {
	f := newFixture(t)
	one := f.registerPartner(t, acctOne, CatalogSandbox)
	f.registerPartner(t, acctTwo, CatalogSandbox)
	_, err := f.svc.GetPartner(f.ctx, acctTwo, &api.GetPartnerRequest{Catalog: CatalogSandbox, Identifier: one.Id})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_NOT_FOUND")
	_, err = f.svc.GetPartner(f.ctx, acctTwo, &api.GetPartnerRequest{Catalog: CatalogSandbox, Identifier: one.Arn})
	wantErr(t, err, apierr.KindAccessDenied, "ACCESS_DENIED")
}

func TestListPartners(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	f.registerPartner(t, acctTwo, CatalogSandbox)
	out, err := f.svc.ListPartners(f.ctx, acctOne, &api.ListPartnersRequest{Catalog: CatalogSandbox})
	if err != nil || len(out.PartnerSummaryList) != 1 || out.PartnerSummaryList[0].Id != p.Id || out.NextToken != nil {
		t.Fatalf("%+v %v", out, err)
	}
	empty, err := f.svc.ListPartners(f.ctx, acctOne, &api.ListPartnersRequest{Catalog: CatalogAWS})
	if err != nil || len(empty.PartnerSummaryList) != 0 || empty.PartnerSummaryList == nil {
		t.Fatalf("AWS catalog: %+v %v", empty, err)
	}
	bad := "AAMA-bogus"
	_, err = f.svc.ListPartners(f.ctx, acctOne, &api.ListPartnersRequest{Catalog: CatalogSandbox, NextToken: &bad})
	wantCode(t, err, apierr.CodeInvalidValue)
}
