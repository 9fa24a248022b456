package channel

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
)

func TestRelationshipNeedsAnActivePMA(t *testing.T) {
	f := newFixture(t)
	pending := f.createPMA(t, partnerA, partnerB)
	_, err := f.svc.CreateRelationship(f.ctx, partnerA, &api.CreateRelationshipRequest{
		Catalog: sandbox, AssociationType: api.AssociationTypeEndCustomer, ProgramManagementAccountIdentifier: pending,
		AssociatedAccountId: endCustomer, DisplayName: "Customer", Sector: api.SectorCommercial})
	e := wantErr(t, err, apierr.KindValidation)
	if e.Reason != apierr.ReasonBusinessValidation || e.Fields[0].FieldName != "programManagementAccountIdentifier" {
		t.Errorf("error %+v", e)
	}
}

func TestRelationshipLifecycle(t *testing.T) {
	f := newFixture(t)
	pma := f.activePMA(t)
	rs := f.relationship(t, pma, endCustomer)
	_, err := f.svc.CreateRelationship(f.ctx, partnerA, &api.CreateRelationshipRequest{
		Catalog: sandbox, AssociationType: api.AssociationTypeInternal, ProgramManagementAccountIdentifier: pma,
		AssociatedAccountId: endCustomer, DisplayName: "Again", Sector: api.SectorGovernment})
	wantErr(t, err, apierr.KindConflict) // one relationship per account under a PMA

	got, err := f.svc.GetRelationship(f.ctx, partnerA, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	if err != nil {
		t.Fatal(err)
	}
	d := got.RelationshipDetail
	wantArn := "arn:aws:partnercentral:us-east-1:" + partnerA + ":catalog/Sandbox/program-management-account/" + pma + "/relationship/" + rs
	if *d.Arn != wantArn || *d.Revision != "1" || *d.ProgramManagementAccountId != pma || *d.AssociatedAccountId != endCustomer || d.StartDate != nil {
		t.Errorf("detail %+v", d)
	}
	// Under another PMA, or as another account, it is not found.
	other := f.createPMA(t, partnerA, "777777777777")
	_, err = f.svc.GetRelationship(f.ctx, partnerA, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: other, Identifier: rs})
	wantErr(t, err, apierr.KindNotFound)
	_, err = f.svc.GetRelationship(f.ctx, partnerB, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	wantErr(t, err, apierr.KindNotFound)

	up, err := f.svc.UpdateRelationship(f.ctx, partnerA, &api.UpdateRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma,
		Identifier: wantArn, Revision: ptr("1"), DisplayName: ptr("Renamed"),
		RequestedSupportPlan: &api.SupportPlan{PartnerLedSupport: &api.PartnerLedSupport{Coverage: api.CoverageEntireOrganization, TamLocation: "US"}}})
	if err != nil || *up.RelationshipDetail.Revision != "2" || *up.RelationshipDetail.DisplayName != "Renamed" {
		t.Fatalf("update: %+v %v", up, err)
	}
	_, err = f.svc.UpdateRelationship(f.ctx, partnerA, &api.UpdateRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs, Revision: ptr("1")})
	wantErr(t, err, apierr.KindConflict)

	list, err := f.svc.ListRelationships(f.ctx, partnerA, &api.ListRelationshipsRequest{Catalog: sandbox, ProgramManagementAccountIdentifiers: []string{pma}})
	if err != nil || len(list.Items) != 1 || *list.Items[0].DisplayName != "Renamed" {
		t.Errorf("list by PMA: %+v %v", list, err)
	}
	list, _ = f.svc.ListRelationships(f.ctx, partnerA, &api.ListRelationshipsRequest{Catalog: sandbox, AssociationTypes: []api.AssociationType{api.AssociationTypeInternal}})
	if len(list.Items) != 0 {
		t.Errorf("INTERNAL filter listed %d", len(list.Items))
	}

	if _, err := f.svc.DeleteRelationship(f.ctx, partnerA, &api.DeleteRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.GetRelationship(f.ctx, partnerA, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	wantErr(t, err, apierr.KindNotFound)
}

func TestServicePeriodStartAndRevoke(t *testing.T) {
	f := newFixture(t)
	pma := f.activePMA(t)
	rs := f.relationship(t, pma, endCustomer)
	start, err := f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, rs, startPayload(pma))
	if err != nil {
		t.Fatal(err)
	}
	sent := f.listHandshakes(t, partnerA, api.HandshakeTypeStartServicePeriod, api.ParticipantTypeSender)
	h := sent[0]
	// Owner A, sent from the PMA's management account B, to the customer.
	if *h.OwnerAccountId != partnerA || *h.SenderAccountId != partnerB || *h.ReceiverAccountId != endCustomer || *h.SenderDisplayName != "PMA "+partnerB {
		t.Errorf("parties %s %s %s %s", *h.OwnerAccountId, *h.SenderAccountId, *h.ReceiverAccountId, *h.SenderDisplayName)
	}
	detail := h.Detail.StartServicePeriodHandshakeDetail
	wantStart := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if *detail.ServicePeriodType != api.ServicePeriodTypeMinimumNoticePeriod || *detail.MinimumNoticeDays != "14" || !detail.StartDate.Equal(wantStart) || detail.EndDate != nil {
		t.Errorf("detail %+v", detail)
	}
	// The PMA's management account sees it as a sender too, and may cancel.
	if n := len(f.listHandshakes(t, partnerB, api.HandshakeTypeStartServicePeriod, api.ParticipantTypeSender)); n != 1 {
		t.Errorf("the PMA account lists %d as sender", n)
	}
	ev := f.events(t)
	created := ev[len(ev)-1]
	if created.Account != endCustomer {
		t.Errorf("Created went to %s, want the receiver", created.Account)
	}
	period := created.Detail["handshakeDetail"].(map[string]any)["startServicePeriodHandshakeDetail"].(map[string]any)
	if v, has := period["endDate"]; !has || v != nil || period["startDate"] != "2026-03-02T00:00:00Z" || period["minimumNoticeDays"] != "14" {
		t.Errorf("event period detail %v, want endDate null as in AWS's example", period)
	}

	_, err = f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, rs, startPayload(pma))
	wantErr(t, err, apierr.KindConflict) // one pending START per relationship
	revoke := &api.ChannelHandshakePayload{RevokeServicePeriodPayload: &api.RevokeServicePeriodPayload{ProgramManagementAccountIdentifier: pma, Note: ptr("Ending early")}}
	_, err = f.handshake(partnerA, api.HandshakeTypeRevokeServicePeriod, rs, revoke)
	wantErr(t, err, apierr.KindValidation) // nothing to revoke yet

	if _, err := f.svc.AnswerAsReceiver(f.ctx, sandbox, start, api.HandshakeStatusAccepted); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.GetRelationship(f.ctx, partnerA, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	if d := got.RelationshipDetail; d.StartDate == nil || !d.StartDate.Equal(wantStart) || *d.Revision != "2" {
		t.Errorf("after the start: startDate %v revision %s", d.StartDate, *d.Revision)
	}
	_, err = f.svc.DeleteRelationship(f.ctx, partnerA, &api.DeleteRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	wantErr(t, err, apierr.KindConflict) // in a service period
	_, err = f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, rs, startPayload(pma))
	wantErr(t, err, apierr.KindConflict) // already in one

	rid, err := f.handshake(partnerA, api.HandshakeTypeRevokeServicePeriod, rs, revoke)
	if err != nil {
		t.Fatal(err)
	}
	rv := f.listHandshakes(t, endCustomer, api.HandshakeTypeRevokeServicePeriod, api.ParticipantTypeReceiver)[0].Detail.RevokeServicePeriodHandshakeDetail
	if *rv.Note != "Ending early" || *rv.MinimumNoticeDays != "14" || !rv.StartDate.Equal(wantStart) {
		t.Errorf("revoke detail %+v, want the period's terms and the note", rv)
	}
	if _, err := f.svc.AnswerAsReceiver(f.ctx, sandbox, rid, api.HandshakeStatusAccepted); err != nil {
		t.Fatal(err)
	}
	got, _ = f.svc.GetRelationship(f.ctx, partnerA, &api.GetRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs})
	if got.RelationshipDetail.StartDate != nil {
		t.Errorf("after the revoke the relationship still starts %v", got.RelationshipDetail.StartDate)
	}
	if _, err := f.svc.DeleteRelationship(f.ctx, partnerA, &api.DeleteRelationshipRequest{Catalog: sandbox, ProgramManagementAccountIdentifier: pma, Identifier: rs}); err != nil {
		t.Errorf("delete after the revoke: %v", err)
	}
}

func TestStartServicePeriodPayloadRules(t *testing.T) {
	f := newFixture(t)
	pma := f.activePMA(t)
	rs := f.relationship(t, pma, endCustomer)
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	past := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	other := f.createPMA(t, partnerA, "777777777777")
	for name, c := range map[string]struct {
		p     api.StartServicePeriodPayload
		field string
	}{
		"notice without days": {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeMinimumNoticePeriod}, "payload.startServicePeriodPayload.minimumNoticeDays"},
		"zero days":           {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeMinimumNoticePeriod, MinimumNoticeDays: ptr("0")}, "payload.startServicePeriodPayload.minimumNoticeDays"},
		"notice with end":     {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeMinimumNoticePeriod, MinimumNoticeDays: ptr("30"), EndDate: &end}, "payload.startServicePeriodPayload.endDate"},
		"fixed without end":   {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeFixedCommitmentPeriod}, "payload.startServicePeriodPayload.endDate"},
		"fixed ending early":  {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeFixedCommitmentPeriod, EndDate: &past}, "payload.startServicePeriodPayload.endDate"},
		"another PMA":         {api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: other, ServicePeriodType: api.ServicePeriodTypeFixedCommitmentPeriod, EndDate: &end}, "payload.startServicePeriodPayload.programManagementAccountIdentifier"},
	} {
		_, err := f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, rs, &api.ChannelHandshakePayload{StartServicePeriodPayload: &c.p})
		if e := wantErr(t, err, apierr.KindValidation); e.Fields[0].FieldName != c.field {
			t.Errorf("%s: field %s, want %s", name, e.Fields[0].FieldName, c.field)
		}
	}
	fixed := api.StartServicePeriodPayload{ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeFixedCommitmentPeriod, EndDate: &end}
	if _, err := f.handshake(partnerA, api.HandshakeTypeStartServicePeriod, rs, &api.ChannelHandshakePayload{StartServicePeriodPayload: &fixed}); err != nil {
		t.Errorf("a fixed commitment period: %v", err)
	}
}

func TestTags(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, &api.CreateProgramManagementAccountRequest{
		Catalog: sandbox, Program: api.ProgramSolutionProvider, DisplayName: "Tagged", AccountId: partnerB,
		Tags: []api.Tag{{Key: "team", Value: "channel"}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := *out.ProgramManagementAccountDetail.Arn
	tags := func() []api.Tag {
		t.Helper()
		got, err := f.svc.ListTagsForResource(f.ctx, partnerA, &api.ListTagsForResourceRequest{ResourceArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		return got.Tags
	}
	if got := tags(); len(got) != 1 || got[0] != (api.Tag{Key: "team", Value: "channel"}) {
		t.Errorf("tags at creation %v", got)
	}
	if _, err := f.svc.TagResource(f.ctx, partnerA, &api.TagResourceRequest{ResourceArn: arn, Tags: []api.Tag{{Key: "env", Value: "test"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UntagResource(f.ctx, partnerA, &api.UntagResourceRequest{ResourceArn: arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); len(got) != 1 || got[0].Key != "env" {
		t.Errorf("tags after tag and untag %v", got)
	}
	_, err = f.svc.ListTagsForResource(f.ctx, partnerB, &api.ListTagsForResourceRequest{ResourceArn: arn})
	wantErr(t, err, apierr.KindAccessDenied)
	_, err = f.svc.TagResource(f.ctx, partnerA, &api.TagResourceRequest{ResourceArn: arn + "/relationship/rs-0000000000000", Tags: []api.Tag{{Key: "k", Value: "v"}}})
	wantErr(t, err, apierr.KindNotFound)

	hs := f.pmaHandshake(t, partnerA, idOf(arn))
	hsArn := "arn:aws:partnercentral:us-east-1:" + partnerA + ":catalog/Sandbox/channel-handshake/" + hs
	if _, err := f.svc.TagResource(f.ctx, partnerA, &api.TagResourceRequest{ResourceArn: hsArn, Tags: []api.Tag{{Key: "k", Value: "v"}}}); err != nil {
		t.Errorf("tag a handshake: %v", err)
	}
}

func TestClientTokenReplaysCreate(t *testing.T) {
	f := newFixture(t)
	in := &api.CreateProgramManagementAccountRequest{Catalog: sandbox, Program: api.ProgramSolutionProvider, DisplayName: "Once", AccountId: partnerB, ClientToken: ptr("token-1")}
	first, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.CreateProgramManagementAccount(f.ctx, partnerA, in)
	if err != nil || *again.ProgramManagementAccountDetail.Id != *first.ProgramManagementAccountDetail.Id {
		t.Errorf("replay answered %+v %v, want the first PMA", again, err)
	}
	in.DisplayName = "Different"
	_, err = f.svc.CreateProgramManagementAccount(f.ctx, partnerA, in)
	wantErr(t, err, apierr.KindConflict)
}
