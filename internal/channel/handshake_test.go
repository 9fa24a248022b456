package channel

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
)

func TestPMAHandshakeAcceptedActivatesThePMA(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	id := f.pmaHandshake(t, partnerA, pma)

	got := f.listHandshakes(t, partnerB, api.HandshakeTypeProgramManagementAccount, api.ParticipantTypeReceiver)
	if len(got) != 1 || *got[0].Id != id || *got[0].Status != api.HandshakeStatusPending {
		t.Fatalf("receiver lists %+v, want the pending handshake", got)
	}
	h := got[0]
	if *h.OwnerAccountId != partnerA || *h.SenderAccountId != partnerA || *h.ReceiverAccountId != partnerB ||
		*h.SenderDisplayName != "Example Partner One" || *h.AssociatedResourceId != pma ||
		*h.Detail.ProgramManagementAccountHandshakeDetail.Program != api.ProgramSolutionProvider {
		t.Errorf("handshake %+v", h)
	}
	if n := len(f.listHandshakes(t, partnerA, api.HandshakeTypeProgramManagementAccount, api.ParticipantTypeReceiver)); n != 0 {
		t.Errorf("the owner lists %d as receiver", n)
	}

	f.clock.Advance(time.Hour)
	f.accept(t, partnerB, id)
	p := f.pma(t, partnerA, pma)
	if *p.Status != api.ProgramManagementAccountStatusActive || p.StartDate == nil || !p.StartDate.Equal(f.svc.now()) || *p.Revision != "2" {
		t.Errorf("after acceptance: status %s startDate %v revision %s, want ACTIVE now 2", *p.Status, p.StartDate, *p.Revision)
	}
	// Accept is idempotent; reject or cancel after it conflicts.
	f.accept(t, partnerB, id)
	_, err := f.svc.RejectChannelHandshake(f.ctx, partnerB, &api.RejectChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindConflict)
	_, err = f.svc.CancelChannelHandshake(f.ctx, partnerA, &api.CancelChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindConflict)

	events := f.events(t)
	if len(events) != 2 {
		t.Fatalf("%d events, want Created and Accepted (the repeated accept sends none): %+v", len(events), events)
	}
	created, accepted := events[0], events[1]
	if created.DetailType != "Channel Handshake Created" || created.Account != partnerB || accepted.DetailType != "Channel Handshake Accepted" || accepted.Account != partnerA {
		t.Errorf("events %s to %s, %s to %s; want Created to the receiver, Accepted to the owner", created.DetailType, created.Account, accepted.DetailType, accepted.Account)
	}
	arn := "arn:aws:partnercentral:us-east-1:" + partnerA + ":catalog/Sandbox/channel-handshake/" + id
	for _, e := range events {
		if e.Source != "aws.partnercentral-channel" || len(e.Resources) != 1 || e.Resources[0] != arn {
			t.Errorf("event source %s resources %v", e.Source, e.Resources)
		}
		d := e.Detail
		if d["id"] != id || d["ownerAccountId"] != partnerA || d["senderAccountId"] != partnerA || d["receiverAccountId"] != partnerB ||
			d["associatedResourceIdentifier"] != pma || d["handshakeType"] != "PROGRAM_MANAGEMENT_ACCOUNT" || d["catalog"] != sandbox {
			t.Errorf("detail %v", d)
		}
		if _, has := d["status"]; has {
			t.Errorf("detail has a status, which AWS's examples do not")
		}
		if p := d["handshakeDetail"].(map[string]any)["programManagementAccountHandshakeDetail"].(map[string]any)["program"]; p != "SOLUTION_PROVIDER" {
			t.Errorf("handshakeDetail program %v", p)
		}
	}
}

func TestHandshakeRejectedAndCanceled(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	id := f.pmaHandshake(t, partnerA, pma)
	if _, err := f.svc.RejectChannelHandshake(f.ctx, partnerB, &api.RejectChannelHandshakeRequest{Catalog: sandbox, Identifier: id}); err != nil {
		t.Fatal(err)
	}
	if p := f.pma(t, partnerA, pma); *p.Status != api.ProgramManagementAccountStatusPending {
		t.Errorf("a rejected handshake left the PMA %s", *p.Status)
	}
	ev := f.events(t)
	if last := ev[len(ev)-1]; last.DetailType != "Channel Handshake Rejected" || last.Account != partnerA {
		t.Errorf("last event %s to %s, want Rejected to the owner", last.DetailType, last.Account)
	}

	// The owner may ask again; canceling sends no event.
	again := f.pmaHandshake(t, partnerA, pma)
	before := len(f.events(t))
	out, err := f.svc.CancelChannelHandshake(f.ctx, partnerA, &api.CancelChannelHandshakeRequest{Catalog: sandbox, Identifier: again})
	if err != nil || *out.ChannelHandshakeDetail.Status != api.HandshakeStatusCanceled {
		t.Fatalf("cancel: %+v %v", out, err)
	}
	if n := len(f.events(t)); n != before {
		t.Errorf("cancel sent %d events, want none", n-before)
	}
	_, err = f.svc.AcceptChannelHandshake(f.ctx, partnerB, &api.AcceptChannelHandshakeRequest{Catalog: sandbox, Identifier: again})
	wantErr(t, err, apierr.KindConflict)
}

func TestHandshakeWhoMayAnswer(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	id := f.pmaHandshake(t, partnerA, pma)
	_, err := f.svc.AcceptChannelHandshake(f.ctx, partnerA, &api.AcceptChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindAccessDenied) // the sender cannot accept
	_, err = f.svc.CancelChannelHandshake(f.ctx, partnerB, &api.CancelChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindAccessDenied) // the receiver cannot cancel
	_, err = f.svc.AcceptChannelHandshake(f.ctx, endCustomer, &api.AcceptChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindNotFound) // an outsider learns nothing
	_, err = f.svc.AcceptChannelHandshake(f.ctx, partnerB, &api.AcceptChannelHandshakeRequest{Catalog: CatalogAWS, Identifier: id})
	wantErr(t, err, apierr.KindNotFound) // another catalog's
	if s := f.handshakeStatus(t, id); s != api.HandshakeStatusPending {
		t.Errorf("refused answers moved it to %s", s)
	}
}

func TestHandshakeCreateRules(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	f.pmaHandshake(t, partnerA, pma)
	_, err := f.handshake(partnerA, api.HandshakeTypeProgramManagementAccount, pma, nil)
	wantErr(t, err, apierr.KindConflict) // one pending at a time
	_, err = f.handshake(partnerB, api.HandshakeTypeProgramManagementAccount, pma, nil)
	wantErr(t, err, apierr.KindNotFound) // not B's PMA
	_, err = f.handshake(partnerA, api.HandshakeTypeProgramManagementAccount, pma, startPayload(pma))
	e := wantErr(t, err, apierr.KindValidation)
	if e.Fields[0].FieldName != "payload" {
		t.Errorf("fields %+v", e.Fields)
	}
	_, err = f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, pma, startPayload(pma))
	e = wantErr(t, err, apierr.KindValidation)
	if e.Fields[0].FieldName != "associatedResourceIdentifier" {
		t.Errorf("fields %+v", e.Fields)
	}
	// A PMA of one's own account would be a handshake to oneself.
	self := f.createPMA(t, partnerA, partnerA)
	_, err = f.handshake(partnerA, api.HandshakeTypeProgramManagementAccount, self, nil)
	e = wantErr(t, err, apierr.KindValidation)
	if e.Reason != apierr.ReasonBusinessValidation {
		t.Errorf("reason %s", e.Reason)
	}
}

func TestHandshakesExpireByTheServerClock(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	id := f.pmaHandshake(t, partnerA, pma)
	f.clock.Advance(handshakeLifetime - time.Millisecond)
	if s := f.handshakeStatus(t, id); s != api.HandshakeStatusPending {
		t.Fatalf("before its expiry: %s", s)
	}
	f.clock.Advance(time.Millisecond)
	got := f.listHandshakes(t, partnerB, api.HandshakeTypeProgramManagementAccount, api.ParticipantTypeReceiver)
	if *got[0].Status != api.HandshakeStatusExpired {
		t.Errorf("at its expiry: %s", *got[0].Status)
	}
	_, err := f.svc.AcceptChannelHandshake(f.ctx, partnerB, &api.AcceptChannelHandshakeRequest{Catalog: sandbox, Identifier: id})
	wantErr(t, err, apierr.KindConflict)
	if p := f.pma(t, partnerA, pma); *p.Status != api.ProgramManagementAccountStatusPending {
		t.Errorf("an expired handshake activated the PMA")
	}
	// Expiry frees the PMA for a new handshake.
	f.pmaHandshake(t, partnerA, pma)
}

func TestAwsSideExpiresAndAnswersAsTheReceiver(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, endCustomer)
	id := f.pmaHandshake(t, partnerA, pma)
	out, err := f.svc.ExpireHandshake(f.ctx, sandbox, id)
	if err != nil || *out.Status != api.HandshakeStatusExpired {
		t.Fatalf("expire: %+v %v", out, err)
	}
	_, err = f.svc.ExpireHandshake(f.ctx, sandbox, id)
	wantErr(t, err, apierr.KindConflict)

	again := f.pmaHandshake(t, partnerA, pma)
	if _, err := f.svc.AnswerAsReceiver(f.ctx, sandbox, again, api.HandshakeStatusAccepted); err != nil {
		t.Fatal(err)
	}
	if p := f.pma(t, partnerA, pma); *p.Status != api.ProgramManagementAccountStatusActive {
		t.Errorf("the AWS side's acceptance left the PMA %s", *p.Status)
	}
	ev := f.events(t)
	if last := ev[len(ev)-1]; last.DetailType != "Channel Handshake Accepted" || last.Account != partnerA {
		t.Errorf("last event %s to %s", last.DetailType, last.Account)
	}
	_, err = f.svc.AnswerAsReceiver(f.ctx, sandbox, again, api.HandshakeStatusCanceled)
	wantErr(t, err, apierr.KindValidation)
}

func TestHandshakesPerDayToTheSameReceiver(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	for range maxHandshakesPerReceiverPerDay {
		id := f.pmaHandshake(t, partnerA, pma)
		if _, err := f.svc.CancelChannelHandshake(f.ctx, partnerA, &api.CancelChannelHandshakeRequest{Catalog: sandbox, Identifier: id}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
	}
	_, err := f.handshake(partnerA, api.HandshakeTypeProgramManagementAccount, pma, nil)
	e := wantErr(t, err, apierr.KindServiceQuotaExceeded)
	if e.Resource.QuotaCode != quotaHandshakesPerDay || e.Resource.ID != partnerB {
		t.Errorf("quota error names %+v", e.Resource)
	}
	// Another receiver is unaffected.
	f.pmaHandshake(t, partnerA, f.createPMA(t, partnerA, endCustomer))
	// The window rolls: 24 hours after the first, one more is allowed.
	f.clock.Advance(24*time.Hour - time.Duration(maxHandshakesPerReceiverPerDay)*time.Hour)
	f.pmaHandshake(t, partnerA, pma)
}

func TestActiveHandshakesPerType(t *testing.T) {
	f := newFixture(t)
	// The documented limit (200) at a size a test can reach.
	saved := maxActiveHandshakes[api.HandshakeTypeStartServicePeriod]
	maxActiveHandshakes[api.HandshakeTypeStartServicePeriod] = 2
	t.Cleanup(func() { maxActiveHandshakes[api.HandshakeTypeStartServicePeriod] = saved })
	pma := f.activePMA(t)
	for _, acct := range []string{"400000000001", "400000000002"} {
		if _, err := f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, f.relationship(t, pma, acct), startPayload(pma)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, f.relationship(t, pma, "400000000003"), startPayload(pma))
	e := wantErr(t, err, apierr.KindServiceQuotaExceeded)
	if e.Resource.QuotaCode != quotaActiveHandshakes {
		t.Errorf("quota code %s", e.Resource.QuotaCode)
	}
}

func TestListHandshakesTypeOptions(t *testing.T) {
	f := newFixture(t)
	pma := f.createPMA(t, partnerA, partnerB)
	f.pmaHandshake(t, partnerA, pma)
	list := func(in api.ListChannelHandshakesRequest) ([]api.ChannelHandshakeSummary, error) {
		in.Catalog, in.HandshakeType, in.ParticipantType = sandbox, api.HandshakeTypeProgramManagementAccount, api.ParticipantTypeSender
		out, err := f.svc.ListChannelHandshakes(f.ctx, partnerA, &in)
		if err != nil {
			return nil, err
		}
		return out.Items, nil
	}
	got, err := list(api.ListChannelHandshakesRequest{HandshakeTypeFilters: &api.ListChannelHandshakesTypeFilters{
		ProgramManagementAccountTypeFilters: &api.ProgramManagementAccountTypeFilters{Programs: []api.Program{api.ProgramDistribution}}}})
	if err != nil || len(got) != 0 {
		t.Errorf("program filter DISTRIBUTION: %v %v, want none", got, err)
	}
	got, err = list(api.ListChannelHandshakesRequest{AssociatedResourceIdentifiers: []string{*f.pma(t, partnerA, pma).Arn},
		Statuses: []api.HandshakeStatus{api.HandshakeStatusPending}})
	if err != nil || len(got) != 1 {
		t.Errorf("by PMA ARN and status: %v %v, want the one", got, err)
	}
	_, err = list(api.ListChannelHandshakesRequest{HandshakeTypeSort: &api.ListChannelHandshakesTypeSort{
		StartServicePeriodTypeSort: &api.StartServicePeriodTypeSort{SortOrder: api.SortOrderAscending, SortBy: api.StartServicePeriodTypeSortNameUpdatedAt}}})
	wantErr(t, err, apierr.KindValidation)
}
