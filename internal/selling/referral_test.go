package selling

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/docstore"
)

// awsReferral is a complete Sandbox opportunity "from AWS", with the
// customer details AWS keeps back until the referral is accepted.
func awsReferral(token string) *api.CreateOpportunityRequest {
	in := completeOpportunity(CatalogSandbox, token)
	in.Origin = ptr(api.OpportunityOriginAwsReferral)
	a := in.Customer.Account
	a.AwsAccountId = ptr("123456789012")
	a.Address.StreetAddress = ptr("1 Hidden Street")
	in.Customer.Contacts = []api.Contact{{Email: ptr("hidden.contact@customer.example"), FirstName: ptr("Hidden")}}
	in.Project.OtherSolutionDescription = ptr("Hidden solution description")
	in.OpportunityTeam = []api.Contact{{Email: ptr("pdm@aws.example"), FirstName: ptr("NAMER"), LastName: ptr("SI Partner Manager"), BusinessTitle: ptr("PDM")}}
	return in
}

func TestAwsReferralInvitesTheCaller(t *testing.T) {
	f := newInvitationFixture(t)
	opp := f.create(t, acctA, awsReferral("r1"))
	list := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver, Status: []api.InvitationStatus{api.InvitationStatusPending}})
	if len(list.EngagementInvitationSummaries) != 1 {
		t.Fatalf("invitations %+v", list)
	}
	s := list.EngagementInvitationSummaries[0]
	if *s.SenderAwsAccountId != "aws" || *s.SenderCompanyName != "AWS" || *s.PayloadType != api.EngagementInvitationPayloadTypeOpportunityInvitation ||
		s.Receiver.Account.AwsAccountId != acctA || *s.Receiver.Account.Alias != "Partner A" || !s.ExpirationDate.Equal(f.clock.Now().Add(15*24*time.Hour)) {
		t.Errorf("summary %+v", s)
	}

	g := f.invGet(t, acctA, s.Id)
	if *g.InvitationMessage != awsReferralMessage || *g.EngagementTitle != "Data lake" || *g.EngagementDescription != "The customer needs a scalable analytics platform." {
		t.Errorf("envelope %+v", g)
	}
	if want := []api.EngagementMemberSummary{{CompanyName: ptr("AWS"), WebsiteUrl: ptr("www.aws.com")}}; !reflect.DeepEqual(g.ExistingMembers, want) {
		t.Errorf("ExistingMembers %+v", g.ExistingMembers)
	}
	want := &api.OpportunityInvitationPayload{
		SenderContacts:           []api.SenderContact{{Email: "pdm@aws.example", FirstName: ptr("NAMER"), LastName: ptr("SI Partner Manager"), BusinessTitle: ptr("PDM")}},
		ReceiverResponsibilities: []api.ReceiverResponsibility{api.ReceiverResponsibilityServicesPartner, api.ReceiverResponsibilitySoftwarePartner},
		Customer:                 api.EngagementCustomer{Industry: api.IndustryAerospace, CompanyName: "Example Customer", WebsiteUrl: "https://example.com", CountryCode: api.CountryCodeUs},
		Project: api.ProjectDetails{Title: "Data lake", BusinessProblem: "The customer needs a scalable analytics platform.", TargetCompletionDate: "2026-12-31",
			ExpectedCustomerSpend: []api.ExpectedCustomerSpend{{Amount: ptr("1000"), CurrencyCode: api.CurrencyCodeUsd, Frequency: api.PaymentFrequencyMonthly, TargetCompany: "AWS"}}},
	}
	if !reflect.DeepEqual(g.Payload.OpportunityInvitation, want) {
		t.Errorf("payload %+v", g.Payload.OpportunityInvitation)
	}
	body, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, hidden := range []string{"Hidden", "hidden", "98101", "Seattle", "123456789012"} {
		if strings.Contains(string(body), hidden) {
			t.Errorf("the invitation shows %q before acceptance: %s", hidden, body)
		}
	}

	eng := f.getEngagementRecord(t, *g.EngagementId)
	if eng.CreatedBy != "aws" || eng.Title != "Data lake" || len(eng.Contexts) != 1 || eng.Contexts[0].Type != api.EngagementContextTypeCustomerProject {
		t.Errorf("engagement %+v", eng)
	}
	d, err := docstore.Get[invitationRecord](f.ctx, f.svc.store, kindInvitation, CatalogSandbox, s.Id, invitationNotFound(s.Id))
	if err != nil || d.Value.SourceOpportunityId != opp {
		t.Errorf("source opportunity %q, want %s (%v)", d.Value.SourceOpportunityId, opp, err)
	}
	if err := f.invAccept(acctA, s.Id); err != nil {
		t.Fatal(err)
	}
	if got := f.invMembers(t, *g.EngagementId); !reflect.DeepEqual(got, []string{"aws", acctA}) {
		t.Errorf("members %v", got)
	}
}

func TestPartnerReferralInvitesNobody(t *testing.T) {
	f := newInvitationFixture(t)
	f.create(t, acctA, completeOpportunity(CatalogSandbox, "p1"))
	if got := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver}); len(got.EngagementInvitationSummaries) != 0 {
		t.Errorf("invitations %+v", got.EngagementInvitationSummaries)
	}
}

func TestAwsReferralWithoutTitle(t *testing.T) {
	f := newInvitationFixture(t)
	in := awsReferral("r2")
	in.Project.Title = nil
	f.create(t, acctB, in)
	list := f.invList(t, acctB, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver})
	if len(list.EngagementInvitationSummaries) != 1 || *list.EngagementInvitationSummaries[0].EngagementTitle != defaultReferralTitle {
		t.Errorf("invitations %+v", list.EngagementInvitationSummaries)
	}
}

func (f *fixture) getEngagementRecord(t *testing.T, id string) *engagementRecord {
	t.Helper()
	d, err := loadEngagement(f.ctx, f.svc.store, CatalogSandbox, id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Value
}
