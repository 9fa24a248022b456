package selling

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

// The tests below play the rows of the developer guide's event table
// (semantics.md §1.2) and check, through the outbox, which detail-types
// each account received from each action.

// outbox reads the events appended since the last read.
type outbox struct {
	f    *fixture
	last int64
}

func (f *fixture) outbox(t *testing.T) *outbox {
	t.Helper()
	o := &outbox{f: f}
	o.take(t) // start after whatever the fixture's setup emitted
	return o
}

// take returns the events appended since the previous take, in commit order.
func (o *outbox) take(t *testing.T) []store.Event {
	t.Helper()
	evs, err := o.f.svc.store.ListEvents(o.f.ctx, store.EventQuery{AfterSeq: o.last})
	if err != nil {
		t.Fatalf("ListEvents: %v", err)
	}
	if len(evs) > 0 {
		o.last = evs[len(evs)-1].Seq
	}
	return evs
}

// received is take as the detail-types each account got.
func (o *outbox) received(t *testing.T) map[string][]string {
	t.Helper()
	return typesOf(o.take(t))
}

// typesOf lists the detail-types of evs by account, in commit order.
func typesOf(evs []store.Event) map[string][]string {
	got := map[string][]string{}
	for _, e := range evs {
		got[e.Account] = append(got[e.Account], e.DetailType)
	}
	return got
}

// wantReceived checks exactly which accounts received which detail-types.
func wantReceived(t *testing.T, action string, got, want map[string][]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: accounts received\n%s\nwant\n%s", action, describe(got), describe(want))
	}
}

func describe(m map[string][]string) string {
	var lines []string
	for a, types := range m {
		lines = append(lines, "  "+a+": "+strings.Join(types, ", "))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// envelope decodes a stored event with its detail kept as JSON.
type envelopeOut struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

func decodeEvent(t *testing.T, e store.Event) envelopeOut {
	t.Helper()
	var env envelopeOut
	if err := json.Unmarshal(e.Body, &env); err != nil {
		t.Fatalf("event body %s: %v", e.Body, err)
	}
	return env
}

// only returns the one event of detailType for account among evs.
func only(t *testing.T, evs []store.Event, account, detailType string) envelopeOut {
	t.Helper()
	var found []store.Event
	for _, e := range evs {
		if e.Account == account && e.DetailType == detailType {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %q events for %s, want 1", len(found), detailType, account)
	}
	return decodeEvent(t, found[0])
}

// wantDetail compares a detail with the expected JSON, member order aside.
func wantDetail(t *testing.T, env envelopeOut, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(env.Detail, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("expected detail is not JSON: %v", err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("%s detail\n%s\nwant\n%s", env.DetailType, env.Detail, want)
	}
}

func TestEventsOpportunityCreated(t *testing.T) {
	f := newInvitationFixture(t)
	box := f.outbox(t)
	id := f.create(t, acctA, completeOpportunity(CatalogSandbox, "c1"))
	evs := box.take(t)
	if len(evs) != 1 {
		t.Fatalf("create emitted %d events", len(evs))
	}
	env := decodeEvent(t, evs[0])
	if env.Version != "0" || env.DetailType != eventOpportunityCreated || env.Source != "aws.partnercentral-selling" || env.Account != acctA ||
		env.Region != "us-east-1" || env.Time != "2026-03-01T12:00:00Z" || env.Resources == nil || len(env.Resources) != 0 || env.ID == "" {
		t.Errorf("envelope %+v", env)
	}
	wantDetail(t, env, `{"schemaVersion":"1","catalog":"Sandbox","opportunity":{"identifier":"`+id+`"}}`)

	// A replay of the same request is answered from memory: no second event.
	f.create(t, acctA, completeOpportunity(CatalogSandbox, "c1"))
	wantReceived(t, "create replayed", box.received(t), map[string][]string{})
}

func TestEventsStartEngagementFromOpportunity(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.submittable(t, acctA, "s")
	box := f.outbox(t)
	out := f.startEngagement(t, acctA, id, "task")
	evs := box.take(t)
	got := typesOf(evs)
	// The engagement is created with the partner as its member, the first
	// snapshot links the opportunity (an update of it), AWS is invited, and
	// the submission's write gives the running job a second revision. AWS,
	// the receiver, is no account and receives nothing.
	wantReceived(t, "StartEngagementFromOpportunityTask", got, map[string][]string{acctA: {
		eventEngagementCreated, eventEngagementMemberAdded, eventOpportunityUpdated, eventEngagementSnapshotCreated,
		eventInvitationCreated, eventOpportunityUpdated, eventEngagementSnapshotCreated,
	}})

	engArn := f.svc.engagementArn(CatalogSandbox, *out.EngagementId)
	created := only(t, evs, acctA, eventEngagementCreated)
	if !reflect.DeepEqual(created.Resources, []string{engArn}) {
		t.Errorf("Engagement Created resources %v", created.Resources)
	}
	wantDetail(t, created, `{"schemaVersion":"1.0","catalog":"Sandbox","engagement":{"engagementArn":"`+engArn+`","engagementId":"`+*out.EngagementId+
		`","CreatedAt":"2026-03-01T12:00:00Z","CreatedBy":"`+acctA+`","ContextTypes":[]}}`)
	wantDetail(t, only(t, evs, acctA, eventEngagementMemberAdded),
		`{"schemaVersion":"1.0","catalog":"Sandbox","engagement":{"id":"`+*out.EngagementId+`"},"engagementMember":{"accountId":"`+acctA+`","companyName":"Partner A"}}`)
	invited := only(t, evs, acctA, eventInvitationCreated)
	invArn := f.svc.invitationArn(CatalogSandbox, *out.EngagementInvitationId)
	if !reflect.DeepEqual(invited.Resources, []string{invArn}) {
		t.Errorf("Engagement Invitation Created resources %v", invited.Resources)
	}
	wantDetail(t, invited, `{"catalog":"Sandbox","schemaVersion":"1.0","engagementInvitation":{"arn":"`+invArn+`","id":"`+*out.EngagementInvitationId+
		`","engagementId":"`+*out.EngagementId+`","senderAccountId":"`+acctA+`","receiverAccountId":"aws","senderCompanyName":"Partner A",`+
		`"expirationDate":"2026-03-16T12:00:00Z","participantType":"SENDER","payloadType":"OpportunityInvitation"}}`)

	var revisions []string
	for _, e := range evs {
		if e.DetailType != eventEngagementSnapshotCreated {
			continue
		}
		env := decodeEvent(t, e)
		if !reflect.DeepEqual(env.Resources, []string{engArn}) {
			t.Errorf("snapshot event resources %v", env.Resources)
		}
		var d snapshotDetail
		if err := json.Unmarshal(env.Detail, &d); err != nil {
			t.Fatal(err)
		}
		revisions = append(revisions, d.ResourceSnapshot.Arn[strings.LastIndex(d.ResourceSnapshot.Arn, "/")+1:])
	}
	if !reflect.DeepEqual(revisions, []string{"1", "2"}) {
		t.Errorf("snapshot events for revisions %v, want 1 then 2", revisions)
	}
	snapArn := f.svc.snapshotArn(CatalogSandbox, snapshotView{Engagement: *out.EngagementId, ResourceType: api.ResourceTypeOpportunity, ResourceId: id, Template: summaryTemplate}, 1)
	wantDetail(t, decodeEvent(t, evs[3]), `{"schemaVersion":"1","catalog":"Sandbox","resourceSnapshot":{"arn":"`+snapArn+
		`","engagementId":"`+*out.EngagementId+`","resourceId":"`+id+`","resourceType":"Opportunity","createdBy":"`+acctA+`"}}`)

	// The Sandbox's simulated approval: the opportunity's write and the
	// running job's new revision. AWS's acceptance of the invitation (and
	// with it Invitation Accepted and Member Added) is the AWS side's to play.
	if err := f.simulate(t, id, api.ReviewStatusApproved); err != nil {
		t.Fatal(err)
	}
	approved := box.received(t)[acctA]
	for _, want := range []string{eventOpportunityUpdated, eventEngagementSnapshotCreated} {
		if !slices.Contains(approved, want) {
			t.Errorf("simulated approval gave %v, without %s", approved, want)
		}
	}
}

func TestEventsAssociations(t *testing.T) {
	f := newInvitationFixture(t)
	lone := f.create(t, acctA, completeOpportunity(CatalogSandbox, "lone"))
	box := f.outbox(t)
	offer := "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-abc"
	if err := f.associate(acctA, CatalogSandbox, lone, api.RelatedEntityTypeAwsMarketplaceOffers, offer); err != nil {
		t.Fatal(err)
	}
	wantReceived(t, "associate an offer", box.received(t), map[string][]string{acctA: {eventOpportunityUpdated}})

	// A solution associated with an opportunity that a running job watches
	// in an engagement B is a member of: B reads the new revision too.
	opp, _ := f.sharedEngagement(t)
	box.take(t)
	if err := f.associate(acctA, CatalogSandbox, opp, api.RelatedEntityTypeSolutions, sandboxTestSolution); err != nil {
		t.Fatal(err)
	}
	wantReceived(t, "associate a solution", box.received(t), map[string][]string{
		acctA: {eventOpportunityUpdated, eventEngagementSnapshotCreated},
		acctB: {eventEngagementSnapshotCreated},
	})
	// A failed association changes nothing and reports nothing.
	if err := f.associate(acctA, CatalogSandbox, opp, api.RelatedEntityTypeSolutions, sandboxTestSolution); err == nil {
		t.Fatal("associating twice succeeded")
	}
	wantReceived(t, "a refused association", box.received(t), map[string][]string{})
}

// sharedEngagement is an opportunity of A in an engagement of A that B
// joined, with a Running OpportunitySummaryView job of A on it.
func (f *fixture) sharedEngagement(t *testing.T) (opp, eng string) {
	t.Helper()
	opp = f.create(t, acctA, completeOpportunity(CatalogSandbox, "shared"))
	eng = f.engagement(t, acctA, "shared-eng")
	if err := f.invAccept(acctB, f.invCreate(t, acctA, eng, acctB)); err != nil {
		t.Fatal(err)
	}
	job, err := f.svc.CreateResourceSnapshotJob(f.ctx, acctA, &api.CreateResourceSnapshotJobRequest{
		Catalog: CatalogSandbox, ClientToken: "shared-job", EngagementIdentifier: eng, ResourceType: api.ResourceTypeOpportunity,
		ResourceIdentifier: opp, ResourceSnapshotTemplateIdentifier: templateOpportunitySummaryView,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.StartResourceSnapshotJob(f.ctx, acctA, &api.StartResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: *job.Id}); err != nil {
		t.Fatal(err)
	}
	return opp, eng
}

func TestEventsUpdateOpportunity(t *testing.T) {
	f := newInvitationFixture(t)
	update := func(id string, change func(*api.UpdateOpportunityRequest)) {
		t.Helper()
		in := updateFrom(f.get(t, acctA, CatalogSandbox, id))
		change(in)
		if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, in); err != nil {
			t.Fatalf("UpdateOpportunity: %v", err)
		}
	}
	lone := f.create(t, acctA, completeOpportunity(CatalogSandbox, "lone"))
	watched, _ := f.sharedEngagement(t)
	box := f.outbox(t)

	update(lone, func(in *api.UpdateOpportunityRequest) { in.LifeCycle.NextSteps = ptr("Call") })
	wantReceived(t, "update without a job", box.received(t), map[string][]string{acctA: {eventOpportunityUpdated}})

	update(watched, func(in *api.UpdateOpportunityRequest) { in.LifeCycle.NextSteps = ptr("Call") })
	wantReceived(t, "update of a field on the job's template", box.received(t), map[string][]string{
		acctA: {eventOpportunityUpdated, eventEngagementSnapshotCreated},
		acctB: {eventEngagementSnapshotCreated},
	})

	update(watched, func(in *api.UpdateOpportunityRequest) { in.Project.Title = ptr("Not in the summary view") })
	wantReceived(t, "update of a field off the job's template", box.received(t), map[string][]string{acctA: {eventOpportunityUpdated}})

	stale := updateFrom(f.get(t, acctA, CatalogSandbox, lone))
	stale.LastModifiedDate = stale.LastModifiedDate.Add(-time.Second)
	if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, stale); err == nil {
		t.Fatal("a stale update succeeded")
	}
	wantReceived(t, "a refused update", box.received(t), map[string][]string{})
}

func TestEventsPartnerInvitation(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.submittable(t, acctA, "p2p")
	started := f.startEngagement(t, acctA, id, "p2p-task")
	eng := *started.EngagementId
	box := f.outbox(t)

	invID := f.invCreate(t, acctA, eng, acctB)
	evs := box.take(t)
	got := typesOf(evs)
	wantReceived(t, "invite another partner", got, map[string][]string{acctA: {eventInvitationCreated}, acctB: {eventInvitationCreated}})
	for account, side := range map[string]string{acctA: "SENDER", acctB: "RECEIVER"} {
		var d invitationDetail
		if err := json.Unmarshal(only(t, evs, account, eventInvitationCreated).Detail, &d); err != nil {
			t.Fatal(err)
		}
		if string(d.EngagementInvitation.ParticipantType) != side || d.EngagementInvitation.Id != invID {
			t.Errorf("%s's Engagement Invitation Created: %+v", account, d.EngagementInvitation)
		}
	}

	accepted, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctB, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "b-acc", Identifier: invID})
	if err != nil || deref(accepted.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("task %+v %v", accepted, err)
	}
	evs = box.take(t)
	got = typesOf(evs)
	// B's joining is also a change of the engagement's members (Engagement
	// Updated), and B's first snapshot reaches A, a member who can read it.
	wantReceived(t, "StartEngagementByAcceptingInvitationTask", got, map[string][]string{
		acctA: {eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated, eventEngagementSnapshotCreated},
		acctB: {eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated, eventOpportunityCreated, eventOpportunityUpdated, eventEngagementSnapshotCreated},
	})
	invArn := f.svc.invitationArn(CatalogSandbox, invID)
	wantDetail(t, only(t, evs, acctB, eventInvitationAccepted), `{"catalog":"Sandbox","schemaVersion":"1.0","engagementInvitation":{"arn":"`+invArn+
		`","id":"`+invID+`","engagementId":"`+eng+`","senderAccountId":"`+acctA+`","receiverAccountId":"`+acctB+
		`","participantType":"RECEIVER","payloadType":"OpportunityInvitation"}}`)
	wantDetail(t, only(t, evs, acctA, eventEngagementMemberAdded),
		`{"schemaVersion":"1.0","catalog":"Sandbox","engagement":{"id":"`+eng+`"},"engagementMember":{"accountId":"`+acctB+`","companyName":"Partner B"}}`)
	var snap snapshotDetail
	if err := json.Unmarshal(only(t, evs, acctA, eventEngagementSnapshotCreated).Detail, &snap); err != nil {
		t.Fatal(err)
	}
	if snap.ResourceSnapshot.CreatedBy != acctB || snap.ResourceSnapshot.ResourceId != deref(accepted.OpportunityId) {
		t.Errorf("A was told of snapshot %+v", snap.ResourceSnapshot)
	}

	// AWS's approval of A's opportunity carries B's along, which B hears of.
	if err := f.simulate(t, id, api.ReviewStatusApproved); err != nil {
		t.Fatal(err)
	}
	if got := box.received(t)[acctB]; !slices.Contains(got, eventOpportunityUpdated) {
		t.Errorf("B's following opportunity was approved without an Opportunity Updated: %v", got)
	}
}

func TestEventsInvitationRejectedAndExpired(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.engagement(t, acctA, "eng")
	box := f.outbox(t)

	rejected := f.invCreate(t, acctA, eng, acctB)
	box.take(t)
	if err := f.invReject(acctB, rejected); err != nil {
		t.Fatal(err)
	}
	evs := box.take(t)
	got := typesOf(evs)
	wantReceived(t, "reject", got, map[string][]string{acctA: {eventInvitationRejected}, acctB: {eventInvitationRejected}})
	var d invitationDetail
	if err := json.Unmarshal(only(t, evs, acctA, eventInvitationRejected).Detail, &d); err != nil {
		t.Fatal(err)
	}
	if d.EngagementInvitation.ParticipantType != api.ParticipantTypeSender || d.EngagementInvitation.SenderCompanyName != nil || d.EngagementInvitation.ExpirationDate != nil {
		t.Errorf("the sender's Engagement Invitation Rejected: %+v", d.EngagementInvitation)
	}

	expiring := f.invCreate(t, acctA, eng, invAcctC)
	box.take(t)
	f.clock.Advance(15*24*time.Hour - time.Millisecond)
	f.invGet(t, invAcctC, expiring)
	wantReceived(t, "an invitation one millisecond before expiry", box.received(t), map[string][]string{})
	f.clock.Advance(time.Millisecond)
	f.invGet(t, invAcctC, expiring)
	wantReceived(t, "an invitation not acted on for 15 days", box.received(t), map[string][]string{acctA: {eventInvitationExpired}, invAcctC: {eventInvitationExpired}})
	f.invGet(t, acctA, expiring)
	wantReceived(t, "reading an expired invitation again", box.received(t), map[string][]string{})
}

func TestEventsEngagements(t *testing.T) {
	f := newInvitationFixture(t)
	box := f.outbox(t)
	lead := api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Lead Co"))}
	eng := f.engagement(t, acctA, "eng", lead)
	wantReceived(t, "create an engagement", box.received(t), map[string][]string{acctA: {eventEngagementCreated, eventEngagementMemberAdded}})

	if err := f.invAccept(acctB, f.invCreate(t, acctA, eng, acctB)); err != nil {
		t.Fatal(err)
	}
	box.take(t)
	f.clock.Advance(time.Second)
	current := f.getEngagement(t, acctA, eng)
	_, err := f.svc.UpdateEngagementContext(f.ctx, acctA, &api.UpdateEngagementContextRequest{
		Catalog: CatalogSandbox, EngagementIdentifier: eng, ContextIdentifier: "1", Type: api.EngagementContextTypeLead,
		EngagementLastModifiedAt: *current.ModifiedAt,
		Payload: api.UpdateEngagementContextPayload{Lead: &api.UpdateLeadContext{Customer: api.LeadCustomer{CompanyName: "Lead Co",
			Address: &api.LeadAddress{CountryCode: ptr("US")}}, QualificationStatus: ptr("Qualified")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	evs := box.take(t)
	got := typesOf(evs)
	wantReceived(t, "update an engagement context", got, map[string][]string{acctA: {eventEngagementUpdated}, acctB: {eventEngagementUpdated}})
	updated := only(t, evs, acctB, eventEngagementUpdated)
	engArn := f.svc.engagementArn(CatalogSandbox, eng)
	if !reflect.DeepEqual(updated.Resources, []string{engArn}) {
		t.Errorf("Engagement Updated resources %v", updated.Resources)
	}
	wantDetail(t, updated, `{"schemaVersion":"1.0","catalog":"Sandbox","engagement":{"engagementArn":"`+engArn+`","engagementId":"`+eng+
		`","LastModifiedAt":"2026-03-01T12:00:01Z","LastModifiedBy":"`+acctA+`","ContextTypes":["Lead"]}}`)

	// A new context is an update too; its type joins ContextTypes.
	if _, err := f.svc.CreateEngagementContext(f.ctx, acctB, &api.CreateEngagementContextRequest{
		Catalog: CatalogSandbox, ClientToken: "ctx", EngagementIdentifier: eng, Type: api.EngagementContextTypeCustomerProject, Payload: projectPayload("Shop"),
	}); err != nil {
		t.Fatal(err)
	}
	evs = box.take(t)
	if len(evs) != 2 {
		t.Fatalf("a new context emitted %d events, want one per member", len(evs))
	}
	var d engagementDetail
	if err := json.Unmarshal(decodeEvent(t, evs[0]).Detail, &d); err != nil {
		t.Fatal(err)
	}
	if d.Engagement.LastModifiedBy != acctB || !reflect.DeepEqual(d.Engagement.ContextTypes, []api.EngagementContextType{api.EngagementContextTypeLead, api.EngagementContextTypeCustomerProject}) {
		t.Errorf("after a new context: %+v", d.Engagement)
	}
}

func TestEventsAwsReferral(t *testing.T) {
	f := newInvitationFixture(t)
	box := f.outbox(t)
	referral := completeOpportunity(CatalogSandbox, "ref")
	referral.Origin = ptr(api.OpportunityOriginAwsReferral)
	f.create(t, acctA, referral)
	evs := box.take(t)
	got := typesOf(evs)
	// AWS's engagement and its membership concern AWS alone; the partner
	// hears of the invitation it receives.
	wantReceived(t, "create an AWS referral", got, map[string][]string{acctA: {eventOpportunityCreated, eventInvitationCreated}})
	var d invitationDetail
	if err := json.Unmarshal(only(t, evs, acctA, eventInvitationCreated).Detail, &d); err != nil {
		t.Fatal(err)
	}
	inv := d.EngagementInvitation
	if inv.ParticipantType != api.ParticipantTypeReceiver || inv.SenderAccountId != awsParty || deref(inv.SenderCompanyName) != "AWS" {
		t.Errorf("referral invitation event %+v", inv)
	}

	out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctA, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "acc", Identifier: inv.Id})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("task %+v %v", out, err)
	}
	wantReceived(t, "accept an AWS referral", box.received(t), map[string][]string{acctA: {
		eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated, eventOpportunityCreated, eventOpportunityUpdated, eventEngagementSnapshotCreated,
	}})
}

// A task that fails is rolled back with everything it did, its events
// included: here the acceptance, which went through, before the task found
// that a lead invitation cannot start an opportunity this way.
func TestEventsFailedTaskEmitsNothing(t *testing.T) {
	f := newInvitationFixture(t)
	eng := f.engagement(t, acctA, "eng")
	inv, err := f.svc.CreateEngagementInvitation(f.ctx, acctA, &api.CreateEngagementInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: "lead", EngagementIdentifier: eng, Invitation: api.Invitation{
			Message: "A lead for you", Receiver: api.Receiver{Account: &api.AccountReceiver{AwsAccountId: acctB}},
			Payload: api.Payload{LeadInvitation: &api.LeadInvitationPayload{
				Customer:    api.LeadInvitationCustomer{CompanyName: "Lead Co", CountryCode: ptr("US")},
				Interaction: api.LeadInvitationInteraction{SourceType: ptr("Campaign"), SourceId: ptr("C1"), SourceName: ptr("Spring"), ContactBusinessTitle: "CTO"},
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	box := f.outbox(t)
	out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctB, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "acc", Identifier: inv.Id})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusFailed {
		t.Fatalf("task %+v %v", out, err)
	}
	wantReceived(t, "a FAILED task", box.received(t), map[string][]string{})
	if members := f.invMembers(t, eng); len(members) != 1 {
		t.Fatalf("the failed acceptance left members %v", members)
	}

	// The same acceptance done right reports what the failed one did not.
	if err := f.invAccept(acctB, inv.Id); err != nil {
		t.Fatal(err)
	}
	wantReceived(t, "AcceptEngagementInvitation", box.received(t), map[string][]string{
		acctA: {eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated},
		acctB: {eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated},
	})
}

// AWS's own review (the AWS side's Review) answers the invitation the
// submission sent it, so the approval and rejection rows of the table come
// out whole: AWS joins on approval, and each review step is a write the
// running job snapshots.
func TestEventsAwsReview(t *testing.T) {
	f := newInvitationFixture(t)
	approved := f.submittable(t, acctA, "yes")
	started := f.startEngagement(t, acctA, approved, "yes-task")
	rejected := f.submittable(t, acctA, "no")
	f.startEngagement(t, acctA, rejected, "no-task")
	box := f.outbox(t)

	if _, err := f.svc.Review(f.ctx, acctA, CatalogSandbox, approved, api.ReviewStatusApproved, "", ""); err != nil {
		t.Fatal(err)
	}
	evs := box.take(t)
	wantReceived(t, "AWS approves", typesOf(evs), map[string][]string{acctA: {
		eventInvitationAccepted, eventEngagementMemberAdded, eventEngagementUpdated,
		eventOpportunityUpdated, eventEngagementSnapshotCreated, eventOpportunityUpdated, eventEngagementSnapshotCreated,
	}})
	wantDetail(t, only(t, evs, acctA, eventEngagementMemberAdded),
		`{"schemaVersion":"1.0","catalog":"Sandbox","engagement":{"id":"`+*started.EngagementId+`"},"engagementMember":{"accountId":"aws","companyName":"AWS"}}`)
	var d invitationDetail
	if err := json.Unmarshal(only(t, evs, acctA, eventInvitationAccepted).Detail, &d); err != nil {
		t.Fatal(err)
	}
	if d.EngagementInvitation.ParticipantType != api.ParticipantTypeSender || d.EngagementInvitation.ReceiverAccountId != awsParty {
		t.Errorf("the submitter's Engagement Invitation Accepted: %+v", d.EngagementInvitation)
	}

	if _, err := f.svc.Review(f.ctx, acctA, CatalogSandbox, rejected, api.ReviewStatusRejected, "Not a fit", "Other"); err != nil {
		t.Fatal(err)
	}
	wantReceived(t, "AWS rejects", box.received(t), map[string][]string{acctA: {
		eventInvitationRejected, eventOpportunityUpdated, eventEngagementSnapshotCreated, eventOpportunityUpdated, eventEngagementSnapshotCreated,
	}})

	// AWS updating its side of the opportunity is an update of it.
	if _, err := f.svc.UpdateAwsSummary(f.ctx, acctA, CatalogSandbox, approved, AwsFields{Insights: &api.AwsOpportunityInsights{NextBestActions: ptr("Run a workshop")}}); err != nil {
		t.Fatal(err)
	}
	if got := box.received(t)[acctA]; len(got) == 0 || got[0] != eventOpportunityUpdated {
		t.Errorf("AWS's summary update gave %v", got)
	}
}

// An AWS referral sent without a partner opportunity behind it (the AWS
// side's Refer) reaches the partner as an invitation like any other.
func TestEventsAwsLeadReferral(t *testing.T) {
	f := newInvitationFixture(t)
	box := f.outbox(t)
	ref, err := f.svc.Refer(f.ctx, acctA, CatalogSandbox, Referral{Lead: leadPayload("Lead Corp").Lead})
	if err != nil {
		t.Fatal(err)
	}
	evs := box.take(t)
	wantReceived(t, "AWS refers a lead", typesOf(evs), map[string][]string{acctA: {eventInvitationCreated}})
	var d invitationDetail
	if err := json.Unmarshal(only(t, evs, acctA, eventInvitationCreated).Detail, &d); err != nil {
		t.Fatal(err)
	}
	if inv := d.EngagementInvitation; inv.Id != ref.InvitationId || inv.ParticipantType != api.ParticipantTypeReceiver || inv.PayloadType != api.EngagementInvitationPayloadTypeLeadInvitation {
		t.Errorf("lead referral event %+v", inv)
	}
}
