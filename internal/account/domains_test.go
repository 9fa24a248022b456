package account

import (
	"fmt"
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

func associate(f *fixture, p *api.CreatePartnerResponse, email, code string) error {
	_, err := f.svc.AssociateAwsTrainingCertificationEmailDomain(f.ctx, acctOne, &api.AssociateAwsTrainingCertificationEmailDomainRequest{
		Catalog: p.Catalog, Identifier: p.Id, Email: email, EmailVerificationCode: code})
	return err
}

func TestTrainingDomainsAWS(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogAWS)
	wantCode(t, associate(f, p, "ops@Train.example", "000000"), apierr.CodeInvalidValue) // no code sent
	if err := associate(f, p, "ops@Train.example", f.sendCode(t, acctOne, "ops@train.example")); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.GetPartner(f.ctx, acctOne, &api.GetPartnerRequest{Catalog: CatalogAWS, Identifier: p.Id})
	if len(got.AwsTrainingCertificationEmailDomains) != 1 || got.AwsTrainingCertificationEmailDomains[0].DomainName != "train.example" ||
		!got.AwsTrainingCertificationEmailDomains[0].RegisteredAt.Equal(f.svc.now()) {
		t.Fatalf("domains %+v", got.AwsTrainingCertificationEmailDomains)
	}
	wantCode(t, associate(f, p, "other@train.example", f.sendCode(t, acctOne, "other@train.example")), apierr.CodeDuplicateKeyValue)

	_, err := f.svc.DisassociateAwsTrainingCertificationEmailDomain(f.ctx, acctOne, &api.DisassociateAwsTrainingCertificationEmailDomainRequest{Catalog: CatalogAWS, Identifier: p.Id, DomainName: "TRAIN.example"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.DisassociateAwsTrainingCertificationEmailDomain(f.ctx, acctOne, &api.DisassociateAwsTrainingCertificationEmailDomainRequest{Catalog: CatalogAWS, Identifier: p.Id, DomainName: "train.example"})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_DOMAIN_NOT_FOUND")
}

func TestTrainingDomainsQuota(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	for i := range maxDomains {
		if err := associate(f, p, fmt.Sprintf("a@d%d.example", i), "123456"); err != nil {
			t.Fatalf("domain %d: %v", i, err)
		}
	}
	wantErr(t, associate(f, p, "a@one-too-many.example", "123456"), apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_DOMAIN")
}

func TestTrainingDomainsNeedOwnPartner(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctTwo, CatalogSandbox)
	_, err := f.svc.AssociateAwsTrainingCertificationEmailDomain(f.ctx, acctOne, &api.AssociateAwsTrainingCertificationEmailDomainRequest{
		Catalog: CatalogSandbox, Identifier: p.Id, Email: "a@b.example", EmailVerificationCode: "123456"})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_NOT_FOUND")
}
