package selling

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

const invAcctC = "333333333333" // a third partner

// newInvitationFixture is the shared fixture with its accounts known as
// partners (the server configures them from its accounts; the base fixture
// does not), plus a third partner C.
func newInvitationFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.svc.parties[acctA] = Party{AccountID: acctA, CompanyName: "Partner A", WebsiteURL: "https://a.example"}
	f.svc.parties[acctB] = Party{AccountID: acctB, CompanyName: "Partner B"}
	f.svc.parties[invAcctC] = Party{AccountID: invAcctC, CompanyName: "Partner C"}
	return f
}

// invEngagement creates an engagement in the Sandbox with owner as its only
// member.
func (f *fixture) invEngagement(t *testing.T, owner string) string {
	t.Helper()
	var id string
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		d, err := f.svc.createEngagement(f.ctx, tx, owner, CatalogSandbox, "Data lake", "The customer needs analytics.", nil)
		if err == nil {
			id = d.Value.Id
		}
		return err
	})
	if err != nil {
		t.Fatalf("createEngagement: %v", err)
	}
	return id
}

func opportunityInvitation(receiver string) api.Invitation {
	return api.Invitation{
		Message:  "Join us",
		Receiver: api.Receiver{Account: &api.AccountReceiver{AwsAccountId: receiver, Alias: ptr("Friend")}},
		Payload: api.Payload{OpportunityInvitation: &api.OpportunityInvitationPayload{
			SenderContacts:           []api.SenderContact{{Email: "seller@a.example", FirstName: ptr("Sam")}},
			ReceiverResponsibilities: []api.ReceiverResponsibility{api.ReceiverResponsibilityDistributor},
			Customer:                 api.EngagementCustomer{Industry: api.IndustryAgriculture, CompanyName: "Company20", WebsiteUrl: "https://c20.example", CountryCode: api.CountryCodeUs},
			Project: api.ProjectDetails{Title: "Project32", BusinessProblem: "This is a very important problem", TargetCompletionDate: "2026-10-04",
				ExpectedCustomerSpend: []api.ExpectedCustomerSpend{{Amount: ptr("10000.00"), CurrencyCode: api.CurrencyCodeUsd, Frequency: api.PaymentFrequencyMonthly, TargetCompany: "AWS"}}},
		}},
	}
}

func (f *fixture) invTry(sender, engagement, receiver, token string) (*api.CreateEngagementInvitationResponse, error) {
	return f.svc.CreateEngagementInvitation(f.ctx, sender, &api.CreateEngagementInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: token, EngagementIdentifier: engagement, Invitation: opportunityInvitation(receiver),
	})
}

func (f *fixture) invCreate(t *testing.T, sender, engagement, receiver string) string {
	t.Helper()
	out, err := f.invTry(sender, engagement, receiver, docstore.NewID("token-", 13))
	if err != nil {
		t.Fatalf("CreateEngagementInvitation: %v", err)
	}
	return out.Id
}

func (f *fixture) invGet(t *testing.T, account, identifier string) *api.GetEngagementInvitationResponse {
	t.Helper()
	out, err := f.svc.GetEngagementInvitation(f.ctx, account, &api.GetEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: identifier})
	if err != nil {
		t.Fatalf("GetEngagementInvitation: %v", err)
	}
	return out
}

func (f *fixture) invList(t *testing.T, account string, in api.ListEngagementInvitationsRequest) *api.ListEngagementInvitationsResponse {
	t.Helper()
	in.Catalog = CatalogSandbox
	out, err := f.svc.ListEngagementInvitations(f.ctx, account, &in)
	if err != nil {
		t.Fatalf("ListEngagementInvitations: %v", err)
	}
	return out
}

func invitationIDs(out *api.ListEngagementInvitationsResponse) []string {
	ids := []string{}
	for _, s := range out.EngagementInvitationSummaries {
		ids = append(ids, s.Id)
	}
	return ids
}

func (f *fixture) invAccept(account, identifier string) error {
	_, err := f.svc.AcceptEngagementInvitation(f.ctx, account, &api.AcceptEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: identifier})
	return err
}

func (f *fixture) invReject(account, identifier string) error {
	_, err := f.svc.RejectEngagementInvitation(f.ctx, account, &api.RejectEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: identifier, RejectionReason: ptr("Next steps unclear")})
	return err
}

func (f *fixture) invMembers(t *testing.T, id string) []string {
	t.Helper()
	d, err := loadEngagement(f.ctx, f.svc.store, CatalogSandbox, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range d.Value.Members {
		out = append(out, m.AccountID)
	}
	return out
}

func TestInvitationCreateAndGet(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	out, err := f.invTry(acctA, eng, acctB, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.Id, "engi-") || len(out.Id) != 18 {
		t.Errorf("Id %q", out.Id)
	}
	if want := "arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement-invitation/" + out.Id; out.Arn != want {
		t.Errorf("Arn %q, want %q", out.Arn, want)
	}
	now := f.clock.Now()
	for _, who := range []string{acctA, acctB} {
		for _, identifier := range []string{out.Id, out.Arn} {
			g := f.invGet(t, who, identifier)
			if g.Id != out.Id || *g.Status != api.InvitationStatusPending || *g.PayloadType != api.EngagementInvitationPayloadTypeOpportunityInvitation {
				t.Errorf("%s: %+v", who, g)
			}
			if !g.InvitationDate.Equal(now) || !g.ExpirationDate.Equal(now.Add(15*24*time.Hour)) {
				t.Errorf("dates %v %v", g.InvitationDate, g.ExpirationDate)
			}
			if *g.SenderAwsAccountId != acctA || *g.SenderCompanyName != "Partner A" || g.Receiver.Account.AwsAccountId != acctB || *g.Receiver.Account.Alias != "Friend" {
				t.Errorf("parties %v %v %+v", *g.SenderAwsAccountId, *g.SenderCompanyName, g.Receiver.Account)
			}
			if *g.EngagementId != eng || *g.EngagementTitle != "Data lake" || *g.EngagementDescription != "The customer needs analytics." || *g.InvitationMessage != "Join us" {
				t.Errorf("engagement fields %+v", g)
			}
			if want := opportunityInvitation(acctB).Payload; !reflect.DeepEqual(*g.Payload, want) {
				t.Errorf("payload %+v", g.Payload)
			}
			if want := []api.EngagementMemberSummary{{CompanyName: ptr("Partner A"), WebsiteUrl: ptr("https://a.example")}}; !reflect.DeepEqual(g.ExistingMembers, want) {
				t.Errorf("ExistingMembers %+v", g.ExistingMembers)
			}
		}
	}
	_, err = f.svc.GetEngagementInvitation(f.ctx, invAcctC, &api.GetEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: out.Id})
	wantErr(t, err, apierr.KindAccessDenied, "")
	for _, identifier := range []string{"engi-0000000000000", strings.Replace(out.Arn, "Sandbox", "AWS", 1)} {
		_, err = f.svc.GetEngagementInvitation(f.ctx, acctA, &api.GetEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: identifier})
		wantErr(t, err, apierr.KindNotFound, "")
	}
	_, err = f.svc.GetEngagementInvitation(f.ctx, acctA, &api.GetEngagementInvitationRequest{Catalog: CatalogAWS, Identifier: out.Id})
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestInvitationClientToken(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	first, err := f.invTry(acctA, eng, acctB, "same")
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.invTry(acctA, eng, acctB, "same")
	if err != nil || again.Id != first.Id {
		t.Fatalf("replay: %v %v, want %s", again, err, first.Id)
	}
	_, err = f.invTry(acctA, eng, invAcctC, "same")
	wantErr(t, err, apierr.KindConflict, "")
}

func TestInvitationCreateChecks(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	_, err := f.invTry(acctB, eng, invAcctC, "not-member")
	wantErr(t, err, apierr.KindAccessDenied, "")
	_, err = f.invTry(acctA, "eng-00000000000000", acctB, "no-engagement")
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = f.invTry(acctA, eng, "444444444444", "unknown")
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = f.invTry(acctA, eng, acctA, "self")
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation); !hasField(e, "invitation.receiver.account.awsAccountId", apierr.CodeInvalidValue) {
		t.Errorf("fields %+v", e.Fields)
	}
	f.invCreate(t, acctA, eng, acctB)
	_, err = f.invTry(acctA, eng, acctB, "twice")
	wantErr(t, err, apierr.KindConflict, "")
	in := &api.CreateEngagementInvitationRequest{Catalog: CatalogSandbox, ClientToken: "both", EngagementIdentifier: eng, Invitation: opportunityInvitation(invAcctC)}
	in.Invitation.Payload.LeadInvitation = &api.LeadInvitationPayload{}
	_, err = f.svc.CreateEngagementInvitation(f.ctx, acctA, in)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

func TestInvitationAccept(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	id := f.invCreate(t, acctA, eng, acctB)
	wantErr(t, f.invAccept(acctA, id), apierr.KindAccessDenied, "")
	wantErr(t, f.invAccept(invAcctC, id), apierr.KindAccessDenied, "")
	var accepted *invitationRecord
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		var err error
		accepted, err = f.svc.acceptInvitation(f.ctx, tx, acctB, CatalogSandbox, f.svc.invitationArn(CatalogSandbox, id))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if accepted.Status != api.InvitationStatusAccepted || accepted.EngagementId != eng || accepted.SenderAwsAccountId != acctA || accepted.Payload.OpportunityInvitation == nil {
		t.Errorf("accepted %+v", accepted)
	}
	if got := f.invMembers(t, eng); !reflect.DeepEqual(got, []string{acctA, acctB}) {
		t.Errorf("members %v", got)
	}
	g := f.invGet(t, acctB, id)
	if *g.Status != api.InvitationStatusAccepted || g.ExpirationDate != nil || len(g.ExistingMembers) != 2 || *g.ExistingMembers[1].WebsiteUrl != "null" {
		t.Errorf("after accept %+v", g)
	}
	wantErr(t, f.invAccept(acctB, id), apierr.KindConflict, "")
	wantErr(t, f.invReject(acctB, id), apierr.KindConflict, "")
	// A member may now invite others.
	f.invCreate(t, acctB, eng, invAcctC)
	_, err = f.invTry(acctA, eng, acctB, "member-again")
	wantErr(t, err, apierr.KindConflict, "")
}

func TestInvitationReject(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	id := f.invCreate(t, acctA, eng, acctB)
	_, err := f.svc.RejectEngagementInvitation(f.ctx, acctB, &api.RejectEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: id})
	if e := wantErr(t, err, apierr.KindValidation, ""); !hasField(e, "rejectionReason", apierr.CodeRequiredFieldMissing) {
		t.Errorf("fields %+v", e.Fields)
	}
	wantErr(t, f.invReject(acctA, id), apierr.KindAccessDenied, "")
	if err := f.invReject(acctB, id); err != nil {
		t.Fatal(err)
	}
	receiver := f.invGet(t, acctB, id)
	if *receiver.Status != api.InvitationStatusRejected || *receiver.RejectionReason != "Next steps unclear" {
		t.Errorf("receiver view %+v", receiver)
	}
	if receiver.Payload != nil || receiver.EngagementDescription != nil || receiver.ExistingMembers != nil {
		t.Errorf("rejected receiver still sees details: %+v", receiver)
	}
	if sender := f.invGet(t, acctA, id); sender.Payload == nil || *sender.RejectionReason != "Next steps unclear" {
		t.Errorf("sender view %+v", sender)
	}
	wantErr(t, f.invAccept(acctB, id), apierr.KindConflict, "")
	if got := f.invMembers(t, eng); !reflect.DeepEqual(got, []string{acctA}) {
		t.Errorf("members %v", got)
	}
	if again := f.invCreate(t, acctA, eng, acctB); again == id {
		t.Error("a rejected invitation should not block a new one")
	}
}

func TestInvitationExpiry(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	id := f.invCreate(t, acctA, eng, acctB)
	f.clock.Advance(15*24*time.Hour - time.Millisecond)
	if g := f.invGet(t, acctB, id); *g.Status != api.InvitationStatusPending {
		t.Fatalf("status %s before expiry", *g.Status)
	}
	f.clock.Advance(time.Millisecond)
	d, err := docstore.Get[invitationRecord](f.ctx, f.svc.store, kindInvitation, CatalogSandbox, id, invitationNotFound(id))
	if err != nil || d.Value.Status != api.InvitationStatusPending {
		t.Fatalf("nothing read yet, stored %v %v", d.Value, err)
	}
	pending := f.invList(t, acctB, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver, Status: []api.InvitationStatus{api.InvitationStatusPending}})
	if len(pending.EngagementInvitationSummaries) != 0 {
		t.Errorf("PENDING filter lists %v", invitationIDs(pending))
	}
	expired := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, Status: []api.InvitationStatus{api.InvitationStatusExpired}})
	if got := invitationIDs(expired); !reflect.DeepEqual(got, []string{id}) || expired.EngagementInvitationSummaries[0].ExpirationDate == nil {
		t.Errorf("EXPIRED filter lists %v", got)
	}
	if d, _ := docstore.Get[invitationRecord](f.ctx, f.svc.store, kindInvitation, CatalogSandbox, id, invitationNotFound(id)); d.Value.Status != api.InvitationStatusExpired {
		t.Errorf("stored status %s", d.Value.Status)
	}
	if g := f.invGet(t, acctB, id); *g.Status != api.InvitationStatusExpired {
		t.Errorf("Get status %s", *g.Status)
	}
	wantErr(t, f.invAccept(acctB, id), apierr.KindConflict, "")
	wantErr(t, f.invReject(acctB, id), apierr.KindConflict, "")
	if again := f.invCreate(t, acctA, eng, acctB); again == id {
		t.Error("an expired invitation should not block a new one")
	}
}

func TestInvitationExpiresOnWrite(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	id := f.invCreate(t, acctA, eng, acctB)
	f.clock.Advance(15 * 24 * time.Hour)
	wantErr(t, f.invAccept(acctB, id), apierr.KindConflict, "")
	if got := f.invMembers(t, eng); len(got) != 1 {
		t.Errorf("members %v", got)
	}
}

func TestInvitationSeatLimit(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	var ids []string
	for i := range 10 {
		acct := fmt.Sprintf("9000000000%02d", i)
		f.svc.parties[acct] = Party{AccountID: acct, CompanyName: "Partner " + acct}
		if i < 9 {
			ids = append(ids, f.invCreate(t, acctA, eng, acct))
		}
	}
	_, err := f.invTry(acctA, eng, "900000000009", "tenth")
	wantErr(t, err, apierr.KindServiceQuotaExceeded, "")
	if err := f.invAccept("900000000000", ids[0]); err != nil {
		t.Fatal(err)
	}
	_, err = f.invTry("900000000000", eng, "900000000009", "tenth-by-member")
	wantErr(t, err, apierr.KindServiceQuotaExceeded, "")
	if err := f.invReject("900000000001", ids[1]); err != nil {
		t.Fatal(err)
	}
	f.invCreate(t, acctA, eng, "900000000009")
}

func TestInvitationList(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.invEngagement(t, acctA)
	other := f.invEngagement(t, acctB)
	toB := f.invCreate(t, acctA, eng, acctB)
	f.clock.Advance(time.Second)
	toC := f.invCreate(t, acctA, eng, invAcctC)
	f.clock.Advance(time.Second)
	fromB := f.invCreate(t, acctB, other, acctA)

	sent := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender})
	if got := invitationIDs(sent); !reflect.DeepEqual(got, []string{toC, toB}) {
		t.Errorf("A sent %v, want newest first", got)
	}
	s := sent.EngagementInvitationSummaries[1]
	if *s.ParticipantType != api.ParticipantTypeSender || s.Receiver.Account.AwsAccountId != acctB || *s.SenderAwsAccountId != acctA ||
		*s.SenderCompanyName != "Partner A" || *s.Status != api.InvitationStatusPending || *s.EngagementId != eng || s.ExpirationDate == nil {
		t.Errorf("summary %+v", s)
	}
	received := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver})
	if got := invitationIDs(received); !reflect.DeepEqual(got, []string{fromB}) || *received.EngagementInvitationSummaries[0].ParticipantType != api.ParticipantTypeReceiver {
		t.Errorf("A received %v", got)
	}
	asc := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender,
		Sort: &api.OpportunityEngagementInvitationSort{SortBy: api.OpportunityEngagementInvitationSortNameInvitationDate, SortOrder: api.SortOrderAscending}})
	if got := invitationIDs(asc); !reflect.DeepEqual(got, []string{toB, toC}) {
		t.Errorf("ascending %v", got)
	}
	for _, c := range []struct {
		name    string
		account string
		in      api.ListEngagementInvitationsRequest
		want    []string
	}{
		{"sender filter as receiver", acctB, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver, SenderAwsAccountId: []string{acctA}}, []string{toB}},
		{"other sender filter", acctB, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver, SenderAwsAccountId: []string{invAcctC}}, []string{}},
		{"own sender filter", acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, SenderAwsAccountId: []string{acctA}}, []string{toC, toB}},
		{"foreign sender filter as sender", acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, SenderAwsAccountId: []string{acctB}}, []string{}},
		{"engagement", acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, EngagementIdentifier: []string{other}}, []string{}},
		{"lead payloads", acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, PayloadType: []api.EngagementInvitationPayloadType{api.EngagementInvitationPayloadTypeLeadInvitation}}, []string{}},
		{"accepted", acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, Status: []api.InvitationStatus{api.InvitationStatusAccepted}}, []string{}},
		{"nothing sent", invAcctC, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender}, []string{}},
	} {
		if got := invitationIDs(f.invList(t, c.account, c.in)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestInvitationListPages(t *testing.T) {
	f := newInvitationFixture(t)
	var want []string
	for i := range 5 {
		acct := fmt.Sprintf("9000000000%02d", i)
		f.svc.parties[acct] = Party{AccountID: acct}
		want = append([]string{f.invCreate(t, acctA, f.invEngagement(t, acctA), acct)}, want...)
		f.clock.Advance(time.Millisecond)
	}
	var got []string
	in := api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeSender, MaxResults: ptr(int32(2))}
	for pages := 1; ; pages++ {
		out := f.invList(t, acctA, in)
		got = append(got, invitationIDs(out)...)
		if out.NextToken == nil {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
		in.NextToken = out.NextToken
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	in.Status = []api.InvitationStatus{api.InvitationStatusPending}
	_, err := f.svc.ListEngagementInvitations(f.ctx, acctA, &in)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}
