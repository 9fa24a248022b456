package account

import (
	"strings"
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

func TestPartnerTags(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: p.Arn, Tags: []api.Tag{{Key: "team", Value: "a"}, {Key: "env", Value: "dev"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: p.Arn, Tags: []api.Tag{{Key: "team", Value: "b"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UntagResource(f.ctx, acctOne, &api.UntagResourceRequest{ResourceArn: p.Arn, TagKeys: []string{"env", "absent"}}); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.ListTagsForResource(f.ctx, acctOne, &api.ListTagsForResourceRequest{ResourceArn: p.Arn})
	if err != nil || got.ResourceArn != p.Arn || len(got.Tags) != 1 || got.Tags[0] != (api.Tag{Key: "team", Value: "b"}) {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestCreatePartnerTagsOnCreateInAWS(t *testing.T) {
	f := newFixture(t)
	f.verify(t, acctOne, "Tagged Inc")
	lead := api.AllianceLeadContact{FirstName: "A", LastName: "B", Email: "a@tagged.example", BusinessTitle: "T"}
	p, err := f.svc.CreatePartner(f.ctx, acctOne, &api.CreatePartnerRequest{Catalog: CatalogAWS, LegalName: "Tagged Inc", PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts,
		AllianceLeadContact: lead, EmailVerificationCode: f.sendCode(t, acctOne, lead.Email), Tags: []api.Tag{{Key: "k", Value: "v"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.ListTagsForResource(f.ctx, acctOne, &api.ListTagsForResourceRequest{ResourceArn: p.Arn})
	if err != nil || len(got.Tags) != 1 || got.Tags[0].Key != "k" {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestTagsRefused(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	_, err := f.svc.ListTagsForResource(f.ctx, acctTwo, &api.ListTagsForResourceRequest{ResourceArn: p.Arn})
	wantErr(t, err, apierr.KindAccessDenied, "ACCESS_DENIED")

	_, err = f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: strings.Replace(p.Arn, p.Id, "partner-0000000000000", 1), Tags: []api.Tag{{Key: "k"}}})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_NOT_FOUND")
	_, err = f.svc.UntagResource(f.ctx, acctOne, &api.UntagResourceRequest{ResourceArn: strings.Replace(p.Arn, "us-east-1", "eu-west-1", 1), TagKeys: []string{"k"}})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_NOT_FOUND")

	prefs := "arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/connection-preferences"
	_, err = f.svc.ListTagsForResource(f.ctx, acctOne, &api.ListTagsForResourceRequest{ResourceArn: prefs})
	wantCode(t, err, apierr.CodeInvalidValue)

	many := make([]api.Tag, store.MaxTagsPerResource)
	for i := range many {
		many[i] = api.Tag{Key: strings.Repeat("k", i+1)}
	}
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: p.Arn, Tags: many}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: p.Arn, Tags: []api.Tag{{Key: "one-more"}}})
	wantCode(t, err, apierr.CodeTooManyValues)
}
