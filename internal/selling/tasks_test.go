package selling

import (
	"slices"
	"strings"
	"testing"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// submittable is a complete Sandbox opportunity of account with the
// Sandbox test solution associated: everything submission needs.
func (f *fixture) submittable(t *testing.T, account, token string) string {
	t.Helper()
	id := f.create(t, account, completeOpportunity(CatalogSandbox, token))
	if err := f.associate(account, CatalogSandbox, id, api.RelatedEntityTypeSolutions, sandboxTestSolution); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) startEngagement(t *testing.T, account, id, token string) *api.StartEngagementFromOpportunityTaskResponse {
	t.Helper()
	out, err := f.svc.StartEngagementFromOpportunityTask(f.ctx, account, &api.StartEngagementFromOpportunityTaskRequest{
		Catalog: CatalogSandbox, ClientToken: token, Identifier: id, AwsSubmission: api.AwsSubmission{InvolvementType: api.SalesInvolvementTypeCoSell},
	})
	if err != nil {
		t.Fatalf("StartEngagementFromOpportunityTask: %v", err)
	}
	return out
}

func (f *fixture) engagementsOf(t *testing.T, account string) []*engagementRecord {
	t.Helper()
	engs, _, err := docstore.List[engagementRecord](f.ctx, f.svc.store, store.DocumentQuery{Kind: kindEngagement, Catalog: CatalogSandbox, Match: map[string][]string{"member": {account}}})
	if err != nil {
		t.Fatal(err)
	}
	return engs
}

func TestStartEngagementFromOpportunityTask(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.submittable(t, acctA, "submit")
	out := f.startEngagement(t, acctA, id, "task-1")
	if deref(out.TaskStatus) != api.TaskStatusComplete || out.EngagementId == nil || out.EngagementInvitationId == nil || out.ResourceSnapshotJobId == nil || deref(out.OpportunityId) != id {
		t.Fatalf("task %+v", out)
	}
	if deref(f.get(t, acctA, CatalogSandbox, id).LifeCycle.ReviewStatus) != api.ReviewStatusSubmitted {
		t.Fatal("opportunity not Submitted")
	}
	eng := f.getEngagement(t, acctA, *out.EngagementId)
	if deref(eng.Title) != "Data lake" {
		t.Errorf("engagement title %q", deref(eng.Title))
	}
	inv := f.invGet(t, acctA, *out.EngagementInvitationId)
	if deref(inv.Receiver.Account).AwsAccountId != awsParty || deref(inv.Status) != api.InvitationStatusPending {
		t.Errorf("invitation to AWS: %+v", inv)
	}
	job, err := f.svc.GetResourceSnapshotJob(f.ctx, acctA, &api.GetResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: *out.ResourceSnapshotJobId})
	if err != nil || deref(job.Status) != api.ResourceSnapshotJobStatusRunning {
		t.Fatalf("job %+v %v", job, err)
	}
	if again := f.startEngagement(t, acctA, id, "task-1"); deref(again.TaskId) != deref(out.TaskId) {
		t.Fatalf("replay gave task %s, want %s", deref(again.TaskId), deref(out.TaskId))
	}
}

func TestFailedTaskLeavesNothingHalfDone(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.create(t, acctA, &api.CreateOpportunityRequest{Catalog: CatalogSandbox, ClientToken: "bare"})
	out := f.startEngagement(t, acctA, id, "fail-1")
	if deref(out.TaskStatus) != api.TaskStatusFailed || deref(out.ReasonCode) != api.ReasonCodeOpportunityValidationFailed {
		t.Fatalf("task %+v", out)
	}
	if msg := deref(out.Message); msg == "" || !strings.Contains(msg, "project.title") {
		t.Errorf("message does not say what is missing: %q", msg)
	}
	if out.EngagementId != nil || len(f.engagementsOf(t, acctA)) != 0 {
		t.Fatal("a failed task left an engagement behind")
	}
	if deref(f.get(t, acctA, CatalogSandbox, id).LifeCycle.ReviewStatus) != api.ReviewStatusPendingSubmission {
		t.Fatal("a failed task changed the opportunity")
	}
	if again := f.startEngagement(t, acctA, id, "fail-1"); deref(again.TaskId) != deref(out.TaskId) || deref(again.TaskStatus) != api.TaskStatusFailed {
		t.Fatalf("replay of a failed task: %+v", again)
	}
	list, err := f.svc.ListEngagementFromOpportunityTasks(f.ctx, acctA, &api.ListEngagementFromOpportunityTasksRequest{Catalog: CatalogSandbox, TaskStatus: []api.TaskStatus{api.TaskStatusFailed}})
	if err != nil || len(list.TaskSummaries) != 1 || deref(list.TaskSummaries[0].TaskId) != deref(out.TaskId) {
		t.Fatalf("listing failed tasks: %+v %v", list, err)
	}
}

func TestAwsReferralAcceptedByTask(t *testing.T) {
	f := newInvitationFixture(t)
	referral := completeOpportunity(CatalogSandbox, "ref")
	referral.Origin = ptr(api.OpportunityOriginAwsReferral)
	f.create(t, acctA, referral)
	invs := f.invList(t, acctA, api.ListEngagementInvitationsRequest{ParticipantType: api.ParticipantTypeReceiver})
	if len(invs.EngagementInvitationSummaries) != 1 {
		t.Fatalf("invitations %+v", invs)
	}
	invID := invs.EngagementInvitationSummaries[0].Id
	out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctA, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "acc", Identifier: invID})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("task %+v %v", out, err)
	}
	o := f.get(t, acctA, CatalogSandbox, deref(out.OpportunityId))
	if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusApproved || deref(o.LifeCycle.Stage) != api.StageProspect {
		t.Fatalf("accepted referral: %+v", o.LifeCycle)
	}
	if addr := deref(customerAccount(&o.GetOpportunityResponse).Address); deref(addr.PostalCode) != "98101" {
		t.Errorf("customer details withheld by the invitation were not revealed on acceptance: %+v", addr)
	}
	if _, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctA, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "acc-2", Identifier: invID}); err != nil {
		t.Fatal(err)
	}
	again, _ := f.svc.ListEngagementByAcceptingInvitationTasks(f.ctx, acctA, &api.ListEngagementByAcceptingInvitationTasksRequest{Catalog: CatalogSandbox, TaskStatus: []api.TaskStatus{api.TaskStatusFailed}})
	if len(again.TaskSummaries) != 1 || deref(again.TaskSummaries[0].ReasonCode) != api.ReasonCodeEngagementInvitationConflict {
		t.Fatalf("accepting twice: %+v", again.TaskSummaries)
	}
}

func TestPartnerInvitationAcceptedByTask(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.submittable(t, acctA, "p2p")
	started := f.startEngagement(t, acctA, id, "p2p-task")
	invID := f.invCreate(t, acctA, *started.EngagementId, acctB)
	out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctB, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "b-acc", Identifier: invID})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("task %+v %v", out, err)
	}
	o := f.get(t, acctB, CatalogSandbox, deref(out.OpportunityId))
	if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusSubmitted {
		t.Errorf("receiver's opportunity is %s; the sender's is Submitted", deref(o.LifeCycle.ReviewStatus))
	}
	if err := f.simulate(t, id, api.ReviewStatusApproved); err != nil {
		t.Fatal(err)
	}
	if st := deref(f.get(t, acctB, CatalogSandbox, deref(out.OpportunityId)).LifeCycle.ReviewStatus); st != api.ReviewStatusApproved {
		t.Errorf("after the sender's approval the receiver's opportunity is %s, want Approved", st)
	}
	for _, account := range []string{acctA, acctB} {
		members, err := f.svc.ListEngagementMembers(f.ctx, account, &api.ListEngagementMembersRequest{Catalog: CatalogSandbox, Identifier: *started.EngagementId})
		if err != nil {
			t.Fatalf("%s lists members: %v", account, err)
		}
		var ids []string
		for _, m := range members.EngagementMemberList {
			ids = append(ids, deref(m.AccountId))
		}
		if !slices.Contains(ids, acctA) || !slices.Contains(ids, acctB) {
			t.Fatalf("%s sees members %v", account, ids)
		}
	}
}

func TestStartOpportunityFromEngagementTask(t *testing.T) {
	f := newInvitationFixture(t)
	lead := api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Lead Co"))}
	eng := f.engagement(t, acctA, "lead-eng", lead)
	start := func(token, context string) *api.StartOpportunityFromEngagementTaskResponse {
		t.Helper()
		out, err := f.svc.StartOpportunityFromEngagementTask(f.ctx, acctA, &api.StartOpportunityFromEngagementTaskRequest{Catalog: CatalogSandbox, ClientToken: token, Identifier: eng, ContextIdentifier: context})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if missing := start("c0", "7"); deref(missing.ReasonCode) != api.ReasonCodeContextNotFound {
		t.Fatalf("unknown context: %+v", missing)
	}
	out := start("c1", "1")
	if deref(out.TaskStatus) != api.TaskStatusComplete || deref(out.ContextId) != "2" || deref(out.EngagementId) != eng {
		t.Fatalf("task %+v", out)
	}
	o := f.get(t, acctA, CatalogSandbox, deref(out.OpportunityId))
	if deref(o.Project.Title) != "Converted from Lead" || customerAccount(&o.GetOpportunityResponse).CompanyName != "Lead Co" ||
		deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusPendingSubmission {
		t.Fatalf("converted opportunity %+v", o)
	}
	if twice := start("c2", "1"); deref(twice.ReasonCode) != api.ReasonCodeCustomerProjectContextNotPermitted {
		t.Fatalf("second conversion: %+v", twice)
	}
	list, err := f.svc.ListOpportunityFromEngagementTasks(f.ctx, acctA, &api.ListOpportunityFromEngagementTasksRequest{Catalog: CatalogSandbox, OpportunityIdentifier: []string{deref(out.OpportunityId)}})
	if err != nil || len(list.TaskSummaries) != 1 || deref(list.TaskSummaries[0].TaskId) != deref(out.TaskId) {
		t.Fatalf("list by opportunity: %+v %v", list, err)
	}
}

// TestResubmissionAfterActionRequired runs the submission task again after
// a simulated Action Required: AWS's first invitation is reused, and the
// simulated approval that follows accepts it, as AWS's approval does.
func TestResubmissionAfterActionRequired(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.submittable(t, acctA, "again")
	first := f.startEngagement(t, acctA, id, "again-1")
	if err := f.simulate(t, id, api.ReviewStatusActionRequired); err != nil {
		t.Fatal(err)
	}
	second := f.startEngagement(t, acctA, id, "again-2")
	if deref(second.TaskStatus) != api.TaskStatusComplete || deref(second.EngagementInvitationId) != deref(first.EngagementInvitationId) ||
		deref(second.EngagementId) != deref(first.EngagementId) {
		t.Fatalf("resubmission %+v after %+v", second, first)
	}
	if err := f.simulate(t, id, api.ReviewStatusApproved); err != nil {
		t.Fatal(err)
	}
	if st := deref(f.invGet(t, acctA, *first.EngagementInvitationId).Status); st != api.InvitationStatusAccepted {
		t.Fatalf("AWS's invitation is %s after the approval, want ACCEPTED", st)
	}
}
