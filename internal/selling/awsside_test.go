package selling

import (
	"slices"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// submitted is a complete opportunity of account submitted to AWS with
// StartEngagementFromOpportunityTask in catalog; it returns the
// opportunity and the invitation the submission sent AWS. Its solution is
// described in OtherSolutionDescription, which works in both catalogs.
func (f *fixture) submitted(t *testing.T, account, catalog, token string) (id, invitation string) {
	t.Helper()
	in := completeOpportunity(catalog, token)
	in.Project.OtherSolutionDescription = ptr("A data lake built on our platform")
	id = f.create(t, account, in)
	out, err := f.svc.StartEngagementFromOpportunityTask(f.ctx, account, &api.StartEngagementFromOpportunityTaskRequest{
		Catalog: catalog, ClientToken: token + "-task", Identifier: id, AwsSubmission: api.AwsSubmission{InvolvementType: api.SalesInvolvementTypeCoSell},
	})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("StartEngagementFromOpportunityTask: %+v %v", out, err)
	}
	return id, deref(out.EngagementInvitationId)
}

func (f *fixture) invitationIn(t *testing.T, account, catalog, id string) *api.GetEngagementInvitationResponse {
	t.Helper()
	out, err := f.svc.GetEngagementInvitation(f.ctx, account, &api.GetEngagementInvitationRequest{Catalog: catalog, Identifier: id})
	if err != nil {
		t.Fatalf("GetEngagementInvitation: %v", err)
	}
	return out
}

func (f *fixture) awsSummary(t *testing.T, account, catalog, id string) *api.GetAwsOpportunitySummaryResponse {
	t.Helper()
	out, err := f.svc.GetAwsOpportunitySummary(f.ctx, account, &api.GetAwsOpportunitySummaryRequest{Catalog: catalog, RelatedOpportunityIdentifier: id})
	if err != nil {
		t.Fatalf("GetAwsOpportunitySummary: %v", err)
	}
	return out
}

func (f *fixture) members(t *testing.T, account, catalog, engagement string) []string {
	t.Helper()
	out, err := f.svc.ListEngagementMembers(f.ctx, account, &api.ListEngagementMembersRequest{Catalog: catalog, Identifier: engagement})
	if err != nil {
		t.Fatalf("ListEngagementMembers: %v", err)
	}
	var ids []string
	for _, m := range out.EngagementMemberList {
		ids = append(ids, deref(m.AccountId))
	}
	return ids
}

// AWS's approval works in both catalogs (the partner's simulation only in
// the Sandbox), accepts the submission's invitation, makes AWS a member
// and cannot be repeated.
func TestAwsReviewApproves(t *testing.T) {
	for _, catalog := range []string{CatalogAWS, CatalogSandbox} {
		t.Run(catalog, func(t *testing.T) {
			f := newInvitationFixture(t)
			id, inv := f.submitted(t, acctA, catalog, "rev")
			before := f.get(t, acctA, catalog, id).LastModifiedDate
			out, err := f.svc.Review(f.ctx, acctA, catalog, id, api.ReviewStatusApproved, "ignored on approval", "")
			if err != nil {
				t.Fatal(err)
			}
			o := f.get(t, acctA, catalog, id)
			if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusApproved || o.LifeCycle.ReviewComments != nil {
				t.Fatalf("after approval: %+v", o.LifeCycle)
			}
			if !o.LastModifiedDate.Equal(out.LastModifiedDate) || !o.LastModifiedDate.After(before) {
				t.Errorf("LastModifiedDate %v, review answered %v, before %v", o.LastModifiedDate, out.LastModifiedDate, before)
			}
			got := f.invitationIn(t, acctA, catalog, inv)
			if deref(got.Status) != api.InvitationStatusAccepted {
				t.Errorf("AWS's invitation is %s after approval, want ACCEPTED", deref(got.Status))
			}
			if ids := f.members(t, acctA, catalog, deref(got.EngagementId)); !slices.Contains(ids, awsParty) {
				t.Errorf("AWS is not a member after approving: %v", ids)
			}
			_, err = f.svc.Review(f.ctx, acctA, catalog, id, api.ReviewStatusRejected, "", "")
			wantErr(t, err, apierr.KindConflict, "")
		})
	}
}

func TestAwsReviewActionRequiredThenResubmit(t *testing.T) {
	f := newInvitationFixture(t)
	id, inv := f.submitted(t, acctA, CatalogAWS, "ar")
	if _, err := f.svc.Review(f.ctx, acctA, CatalogAWS, id, api.ReviewStatusInReview, "", ""); err != nil {
		t.Fatal(err)
	}
	if st := deref(f.get(t, acctA, CatalogAWS, id).LifeCycle.ReviewStatus); st != api.ReviewStatusInReview {
		t.Fatalf("held In review: %s", st)
	}
	if _, err := f.svc.Review(f.ctx, acctA, CatalogAWS, id, api.ReviewStatusActionRequired, "Add the customer's website.", "Additional information needed"); err != nil {
		t.Fatal(err)
	}
	lc := f.get(t, acctA, CatalogAWS, id).LifeCycle
	if deref(lc.ReviewStatus) != api.ReviewStatusActionRequired || deref(lc.ReviewComments) != "Add the customer's website." || deref(lc.ReviewStatusReason) != "Additional information needed" {
		t.Fatalf("Action Required: %+v", lc)
	}
	if st := deref(f.invitationIn(t, acctA, CatalogAWS, inv).Status); st != api.InvitationStatusPending {
		t.Errorf("AWS's invitation is %s while the partner fixes the opportunity, want PENDING", st)
	}
	if _, err := f.svc.SubmitOpportunity(f.ctx, acctA, &api.SubmitOpportunityRequest{Catalog: CatalogAWS, Identifier: id, InvolvementType: api.SalesInvolvementTypeCoSell}); err != nil {
		t.Fatalf("resubmit: %v", err)
	}
	if _, err := f.svc.Review(f.ctx, acctA, CatalogAWS, id, api.ReviewStatusApproved, "", ""); err != nil {
		t.Fatalf("approve the resubmission: %v", err)
	}
	if lc := f.get(t, acctA, CatalogAWS, id).LifeCycle; deref(lc.ReviewStatus) != api.ReviewStatusApproved || lc.ReviewComments != nil {
		t.Fatalf("approved resubmission still carries the old review: %+v", lc)
	}
}

func TestAwsReviewRejects(t *testing.T) {
	f := newInvitationFixture(t)
	id, inv := f.submitted(t, acctA, CatalogSandbox, "rej")
	if _, err := f.svc.Review(f.ctx, acctA, CatalogSandbox, id, api.ReviewStatusRejected, "Duplicate of O1.", "Duplicate Opportunity"); err != nil {
		t.Fatal(err)
	}
	lc := f.get(t, acctA, CatalogSandbox, id).LifeCycle
	if deref(lc.ReviewStatus) != api.ReviewStatusRejected || deref(lc.ReviewComments) != "Duplicate of O1." {
		t.Fatalf("rejected: %+v", lc)
	}
	if st := deref(f.invitationIn(t, acctA, CatalogSandbox, inv).Status); st != api.InvitationStatusRejected {
		t.Errorf("AWS's invitation is %s after rejection, want REJECTED", st)
	}
}

func TestAwsReviewRefuses(t *testing.T) {
	f := newInvitationFixture(t)
	draft := f.create(t, acctA, completeOpportunity(CatalogAWS, "draft"))
	_, err := f.svc.Review(f.ctx, acctA, CatalogAWS, draft, api.ReviewStatusApproved, "", "")
	if e := wantErr(t, err, apierr.KindConflict, ""); !strings.Contains(e.Message, "Pending Submission") {
		t.Errorf("the refusal does not say the opportunity's status: %q", e.Message)
	}
	_, err = f.svc.Review(f.ctx, acctA, CatalogAWS, draft, api.ReviewStatusPendingSubmission, "", "")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	_, err = f.svc.Review(f.ctx, acctA, "Elsewhere", draft, api.ReviewStatusApproved, "", "")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	_, err = f.svc.Review(f.ctx, acctB, CatalogAWS, draft, api.ReviewStatusApproved, "", "")
	wantErr(t, err, apierr.KindNotFound, "")
}

// A partner that accepted the invitation of a submitted opportunity follows
// its review: AWS's approval of the leader approves the follower too.
func TestAwsReviewApprovesFollowers(t *testing.T) {
	f := newInvitationFixture(t)
	id, awsInv := f.submitted(t, acctA, CatalogSandbox, "lead")
	engagement := deref(f.invitationIn(t, acctA, CatalogSandbox, awsInv).EngagementId)
	invB := f.invCreate(t, acctA, engagement, acctB)
	out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctB, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: CatalogSandbox, ClientToken: "b", Identifier: invB})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("accept: %+v %v", out, err)
	}
	if _, err := f.svc.Review(f.ctx, acctA, CatalogSandbox, id, api.ReviewStatusApproved, "", ""); err != nil {
		t.Fatal(err)
	}
	if st := deref(f.get(t, acctB, CatalogSandbox, deref(out.OpportunityId)).LifeCycle.ReviewStatus); st != api.ReviewStatusApproved {
		t.Errorf("the follower is %s after AWS approved its leader", st)
	}
}

func TestUpdateAwsSummary(t *testing.T) {
	f := newInvitationFixture(t)
	id, _ := f.submitted(t, acctA, CatalogAWS, "sum")
	before := f.get(t, acctA, CatalogAWS, id).LastModifiedDate
	f.clock.Advance(time.Minute)
	score := api.EngagementScore("High")
	team := []api.AwsTeamMember{{Email: ptr("seller@amazon.com"), FirstName: ptr("Sam"), LastName: ptr("Seller"), BusinessTitle: ptr(api.AwsMemberBusinessTitle("AWSSalesRep"))}}
	out, err := f.svc.UpdateAwsSummary(f.ctx, acctA, CatalogAWS, id, AwsFields{
		LifeCycle:       &api.AwsOpportunityLifeCycle{Stage: ptr(api.AwsOpportunityStage("Qualified")), NextSteps: ptr("Meet the customer")},
		OpportunityTeam: team,
		Insights:        &api.AwsOpportunityInsights{NextBestActions: ptr("Schedule a workshop"), EngagementScore: &score},
		Project:         &api.AwsOpportunityProject{ExpectedCustomerSpend: []api.ExpectedCustomerSpend{{Amount: ptr("2500"), CurrencyCode: api.CurrencyCodeUsd, Frequency: api.PaymentFrequencyMonthly, TargetCompany: "AWS"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := f.awsSummary(t, acctA, CatalogAWS, id)
	if deref(got.LifeCycle.Stage) != "Qualified" || deref(got.LifeCycle.NextSteps) != "Meet the customer" || len(got.LifeCycle.NextStepsHistory) != 1 ||
		len(got.OpportunityTeam) != 1 || deref(got.Insights.EngagementScore) != score || deref(got.Project.ExpectedCustomerSpend[0].Amount) != "2500" {
		t.Fatalf("summary after the update: %+v", got)
	}
	if deref(out.LifeCycle.Stage) != "Qualified" {
		t.Errorf("UpdateAwsSummary answered %+v", out)
	}
	if after := f.get(t, acctA, CatalogAWS, id).LastModifiedDate; !after.After(before) {
		t.Errorf("AWS's update did not move LastModifiedDate: %v then %v", before, after)
	}

	// A later update replaces only what it names; a new NextSteps joins
	// the history.
	if _, err := f.svc.UpdateAwsSummary(f.ctx, acctA, CatalogAWS, id, AwsFields{
		LifeCycle: &api.AwsOpportunityLifeCycle{Stage: ptr(api.AwsOpportunityStage("Technical Validation")), NextSteps: ptr("Run the PoC")},
	}); err != nil {
		t.Fatal(err)
	}
	got = f.awsSummary(t, acctA, CatalogAWS, id)
	if len(got.OpportunityTeam) != 1 || got.Insights == nil || len(got.LifeCycle.NextStepsHistory) != 2 || got.LifeCycle.NextStepsHistory[1].Value != "Run the PoC" {
		t.Fatalf("second update: %+v", got)
	}

	_, err = f.svc.UpdateAwsSummary(f.ctx, acctA, CatalogAWS, id, AwsFields{LifeCycle: &api.AwsOpportunityLifeCycle{Stage: ptr(api.AwsOpportunityStage("Sold"))}})
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation); !hasField(e, "lifeCycle.stage", apierr.CodeInvalidEnumValue) {
		t.Errorf("an AwsOpportunityStage outside the model: %+v", e.Fields)
	}
	_, err = f.svc.UpdateAwsSummary(f.ctx, acctA, CatalogAWS, id, AwsFields{})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

func TestReferOpportunity(t *testing.T) {
	for _, catalog := range []string{CatalogAWS, CatalogSandbox} {
		t.Run(catalog, func(t *testing.T) {
			f := newInvitationFixture(t)
			ref, err := f.svc.Refer(f.ctx, acctB, catalog, Referral{Opportunity: &api.OpportunityInvitationPayload{
				Customer: api.EngagementCustomer{CompanyName: "Referred Corp", CountryCode: api.CountryCodeUs, Industry: api.IndustryRetail, WebsiteUrl: "https://referred.example"},
				Project:  api.ProjectDetails{Title: "Migration to AWS", BusinessProblem: "The customer is leaving its data centre.", TargetCompletionDate: "2026-12-31"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			inv := f.invitationIn(t, acctB, catalog, ref.InvitationId)
			if deref(inv.SenderCompanyName) != "AWS" || deref(inv.PayloadType) != api.EngagementInvitationPayloadTypeOpportunityInvitation ||
				deref(inv.InvitationMessage) != awsReferralMessage || deref(inv.Status) != api.InvitationStatusPending {
				t.Fatalf("referral invitation: %+v", inv)
			}
			out, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctB, &api.StartEngagementByAcceptingInvitationTaskRequest{Catalog: catalog, ClientToken: "acc", Identifier: ref.InvitationId})
			if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
				t.Fatalf("accept: %+v %v", out, err)
			}
			o := f.get(t, acctB, catalog, deref(out.OpportunityId))
			if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusApproved || deref(o.Project.Title) != "Migration to AWS" {
				t.Fatalf("accepted referral: %+v %+v", o.LifeCycle, o.Project)
			}
			if origin := f.awsSummary(t, acctB, catalog, o.Id).Origin; deref(origin) != api.OpportunityOriginAwsReferral {
				t.Errorf("origin %v", deref(origin))
			}
		})
	}
}

func TestReferLead(t *testing.T) {
	f := newInvitationFixture(t)
	lead := leadPayload("Lead Corp").Lead
	lead.Interactions[0].BusinessProblem = ptr("Wants to modernise its billing")
	ref, err := f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Lead: lead})
	if err != nil {
		t.Fatal(err)
	}
	inv := f.invitationIn(t, acctA, CatalogAWS, ref.InvitationId)
	p := inv.Payload.LeadInvitation
	if deref(inv.PayloadType) != api.EngagementInvitationPayloadTypeLeadInvitation || p == nil || p.Customer.CompanyName != "Lead Corp" ||
		p.Interaction.ContactBusinessTitle != "CTO" || deref(inv.EngagementDescription) != "Wants to modernise its billing" {
		t.Fatalf("lead invitation: %+v", inv)
	}
	if _, err := f.svc.AcceptEngagementInvitation(f.ctx, acctA, &api.AcceptEngagementInvitationRequest{Catalog: CatalogAWS, Identifier: ref.InvitationId}); err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.StartOpportunityFromEngagementTask(f.ctx, acctA, &api.StartOpportunityFromEngagementTaskRequest{Catalog: CatalogAWS, ClientToken: "conv", Identifier: ref.EngagementId, ContextIdentifier: "1"})
	if err != nil || deref(out.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("convert the lead: %+v %v", out, err)
	}
	if o := f.get(t, acctA, CatalogAWS, deref(out.OpportunityId)); deref(o.Customer.Account).CompanyName != "Lead Corp" {
		t.Errorf("converted opportunity: %+v", o.Customer)
	}
}

func TestReferRefuses(t *testing.T) {
	f := newInvitationFixture(t)
	_, err := f.svc.Refer(f.ctx, "999999999999", CatalogAWS, Referral{Lead: leadPayload("X").Lead})
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	noInteraction := leadPayload("X").Lead
	noInteraction.Interactions = nil
	_, err = f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Lead: noInteraction})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	// Since the 2026-08 model a lead needs no address at all.
	noAddress := leadPayload("X").Lead
	noAddress.Customer.Address = nil
	if _, err = f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Lead: noAddress}); err != nil {
		t.Errorf("a lead without an address: %v", err)
	}
	_, err = f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Opportunity: &api.OpportunityInvitationPayload{
		Customer: api.EngagementCustomer{CompanyName: "X", CountryCode: "Atlantis", Industry: api.IndustryRetail, WebsiteUrl: "x.example"},
		Project:  api.ProjectDetails{Title: "T", BusinessProblem: "B", TargetCompletionDate: "2026-12-31"},
	}})
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation); len(e.Fields) == 0 {
		t.Error("a country outside the model was refused without naming the field")
	}
}

func TestExpireInvitation(t *testing.T) {
	f := newInvitationFixture(t)
	ref, err := f.svc.Refer(f.ctx, acctB, CatalogSandbox, Referral{Lead: leadPayload("Soon Gone").Lead})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	out, err := f.svc.ExpireInvitation(f.ctx, CatalogSandbox, ref.InvitationArn)
	if err != nil || out.Status != api.InvitationStatusExpired || !out.ExpirationDate.Equal(f.svc.now()) {
		t.Fatalf("expire: %+v %v", out, err)
	}
	if st := deref(f.invitationIn(t, acctB, CatalogSandbox, ref.InvitationId).Status); st != api.InvitationStatusExpired {
		t.Fatalf("after expiry the receiver sees %s", st)
	}
	_, err = f.svc.AcceptEngagementInvitation(f.ctx, acctB, &api.AcceptEngagementInvitationRequest{Catalog: CatalogSandbox, Identifier: ref.InvitationId})
	wantErr(t, err, apierr.KindConflict, "")
	_, err = f.svc.ExpireInvitation(f.ctx, CatalogSandbox, ref.InvitationId)
	wantErr(t, err, apierr.KindConflict, "")
	_, err = f.svc.ExpireInvitation(f.ctx, CatalogAWS, ref.InvitationId)
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestAutoReview(t *testing.T) {
	f := newInvitationFixture(t)
	if a := f.svc.AutoReview(); a.Rules || a.Delay != DefaultAutoReviewDelay {
		t.Fatalf("default setting %+v", a)
	}
	good, _ := f.submitted(t, acctA, CatalogSandbox, "good")
	short := completeOpportunity(CatalogSandbox, "short")
	short.Project.CustomerBusinessProblem = ptr("Too short")
	weak := f.create(t, acctA, short)
	if err := f.associate(acctA, CatalogSandbox, weak, api.RelatedEntityTypeSolutions, sandboxTestSolution); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitOpportunity(f.ctx, acctA, &api.SubmitOpportunityRequest{Catalog: CatalogSandbox, Identifier: weak, InvolvementType: api.SalesInvolvementTypeCoSell}); err != nil {
		t.Fatal(err)
	}
	aws, _ := f.submitted(t, acctA, CatalogAWS, "aws")

	f.clock.Advance(2 * DefaultAutoReviewDelay)
	if st := deref(f.get(t, acctA, CatalogSandbox, good).LifeCycle.ReviewStatus); st != api.ReviewStatusSubmitted {
		t.Fatalf("with the reviewer off a submission was decided: %s", st)
	}

	if err := f.svc.SetAutoReview(f.ctx, AutoReview{Rules: true, Delay: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	fresh, _ := f.submitted(t, acctA, CatalogSandbox, "fresh")
	if st := deref(f.get(t, acctA, CatalogSandbox, fresh).LifeCycle.ReviewStatus); st != api.ReviewStatusSubmitted {
		t.Fatalf("decided before its delay: %s", st)
	}
	// A listing decides as a Get does; the one read decides every due one.
	list, err := f.svc.ListOpportunities(f.ctx, acctA, &api.ListOpportunitiesRequest{Catalog: CatalogSandbox})
	if err != nil || len(list.OpportunitySummaries) == 0 {
		t.Fatalf("list: %v", err)
	}
	if st := deref(f.get(t, acctA, CatalogSandbox, good).LifeCycle.ReviewStatus); st != api.ReviewStatusApproved {
		t.Errorf("complete submission: %s, want Approved", st)
	}
	lc := f.get(t, acctA, CatalogSandbox, weak).LifeCycle
	if deref(lc.ReviewStatus) != api.ReviewStatusActionRequired || !strings.Contains(deref(lc.ReviewComments), "Project.CustomerBusinessProblem") ||
		strings.Contains(deref(lc.ReviewComments), "solution") {
		t.Errorf("short business problem: %+v (comments %q)", lc, deref(lc.ReviewComments))
	}
	if st := deref(f.get(t, acctA, CatalogAWS, aws).LifeCycle.ReviewStatus); st != api.ReviewStatusSubmitted {
		t.Errorf("the Sandbox reviewer decided an AWS catalog submission: %s", st)
	}
	// The reviewer scores what it decides: quality, what would raise it,
	// and the co-sell motion; an undecided one stays unscored.
	scored := f.awsSummary(t, acctA, CatalogSandbox, good)
	q := deref(deref(scored.Insights).OpportunityQuality)
	if deref(q.Score) <= 0 || deref(q.Score) >= 100 || deref(q.Trend) != "No Change" || len(scored.Insights.Recommendations) == 0 ||
		scored.Insights.Recommendations[0].Type != "OpportunityQuality" || deref(scored.CosellMotion) != "Partner-led" {
		t.Errorf("scored summary: quality %+v, recommendations %+v, motion %v", q, scored.Insights.Recommendations, scored.CosellMotion)
	}
	if unscored := f.awsSummary(t, acctA, CatalogAWS, aws); unscored.CosellMotion != nil || unscored.Insights != nil {
		t.Errorf("an unreviewed opportunity was scored: %+v", unscored)
	}
	// The frozen test clock gives successive writes successive
	// milliseconds, so the submission is a little after "now".
	f.clock.Advance(31 * time.Second)
	f.awsSummary(t, acctA, CatalogSandbox, fresh)
	// Read from the store directly: the summary read must have decided it.
	_, rec, err := loadOpportunity(f.ctx, f.svc.store, scopeOf(acctA, CatalogSandbox), fresh)
	if err != nil {
		t.Fatal(err)
	}
	if st := rec.reviewStatus(); st != api.ReviewStatusApproved {
		t.Errorf("after its delay GetAwsOpportunitySummary left it %s, want Approved", st)
	}
	if err := f.svc.SetAutoReview(f.ctx, AutoReview{Rules: true, Delay: -time.Second}); err == nil {
		t.Error("a negative delay was accepted")
	}
}
