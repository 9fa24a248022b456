package selling

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

func (e *snapEnv) tryJob(account, token, template string, tags ...api.Tag) (*api.CreateResourceSnapshotJobResponse, error) {
	return e.svc.CreateResourceSnapshotJob(e.ctx, account, &api.CreateResourceSnapshotJobRequest{
		Catalog: CatalogSandbox, ClientToken: token, EngagementIdentifier: e.eng, ResourceType: api.ResourceTypeOpportunity,
		ResourceIdentifier: e.opp, ResourceSnapshotTemplateIdentifier: template, Tags: tags,
	})
}

func (e *snapEnv) job(t *testing.T, token, template string) string {
	t.Helper()
	e.clock.Advance(time.Second)
	out, err := e.tryJob(acctA, token, template)
	if err != nil {
		t.Fatalf("CreateResourceSnapshotJob: %v", err)
	}
	return *out.Id
}

func (e *snapEnv) getJob(account, id string) (*api.GetResourceSnapshotJobResponse, error) {
	return e.svc.GetResourceSnapshotJob(e.ctx, account, &api.GetResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: id})
}

func (e *snapEnv) startJob(account, id string) error {
	_, err := e.svc.StartResourceSnapshotJob(e.ctx, account, &api.StartResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: id})
	return err
}

func (e *snapEnv) stopJob(account, id string) error {
	_, err := e.svc.StopResourceSnapshotJob(e.ctx, account, &api.StopResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: id})
	return err
}

func (e *snapEnv) deleteJob(account, id string) error {
	_, err := e.svc.DeleteResourceSnapshotJob(e.ctx, account, &api.DeleteResourceSnapshotJobRequest{Catalog: CatalogSandbox, ResourceSnapshotJobIdentifier: id})
	return err
}

func (e *snapEnv) tagsOf(account, arn string) ([]api.Tag, error) {
	out, err := e.svc.ListTagsForResource(e.ctx, account, &api.ListTagsForResourceRequest{ResourceArn: arn})
	if err != nil {
		return nil, err
	}
	return out.Tags, nil
}

func TestResourceSnapshotJobLifecycle(t *testing.T) {
	e := newSnapEnv(t)
	out, err := e.tryJob(acctA, "j", templateOpportunitySummaryView, api.Tag{Key: "team", Value: "east"})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.Id
	if !regexp.MustCompile(`^job-[0-9a-z]{13}$`).MatchString(id) {
		t.Errorf("id %q", id)
	}
	arn := "arn:aws:partnercentral:us-east-1:" + acctA + ":catalog/Sandbox/resource-snapshot-job/" + id
	if *out.Arn != arn {
		t.Errorf("Arn %s, want %s", *out.Arn, arn)
	}
	if again, err := e.tryJob(acctA, "j", templateOpportunitySummaryView, api.Tag{Key: "team", Value: "east"}); err != nil || *again.Id != id {
		t.Errorf("replay: %v %v", again, err)
	}
	got, err := e.getJob(acctA, id)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Status != api.ResourceSnapshotJobStatusStopped || *got.EngagementId != e.eng || *got.ResourceId != e.opp ||
		*got.ResourceArn != "arn:aws:partnercentral:us-east-1:"+acctA+":catalog/Sandbox/opportunity/"+e.opp ||
		*got.ResourceSnapshotTemplateName != templateOpportunitySummaryView || got.LastSuccessfulExecutionDate != nil || got.CreatedAt == nil {
		t.Errorf("job %+v", got)
	}
	_, err = e.getJob(acctB, id)
	wantErr(t, err, apierr.KindAccessDenied, "")

	// Tags from creation, then TagResource/UntagResource on the job ARN.
	if tags, err := e.tagsOf(acctA, arn); err != nil || fmt.Sprint(tags) != "[{team east}]" {
		t.Errorf("tags %v %v", tags, err)
	}
	if _, err := e.svc.TagResource(e.ctx, acctA, &api.TagResourceRequest{ResourceArn: arn, Tags: []api.Tag{{Key: "env", Value: "test"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UntagResource(e.ctx, acctA, &api.UntagResourceRequest{ResourceArn: arn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	if tags, err := e.tagsOf(acctA, arn); err != nil || fmt.Sprint(tags) != "[{env test}]" {
		t.Errorf("tags after tag/untag %v %v", tags, err)
	}

	wantErr(t, e.stopJob(acctA, id), apierr.KindValidation, apierr.ReasonBusinessValidation)
	if err := e.startJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.getJob(acctA, id); *got.Status != api.ResourceSnapshotJobStatusRunning {
		t.Errorf("status after start %s", *got.Status)
	}
	ve := wantErr(t, e.startJob(acctA, id), apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(ve, "resourceSnapshotJobIdentifier", apierr.CodeInvalidResourceState) {
		t.Errorf("fields %+v", ve.Fields)
	}
	wantErr(t, e.startJob(acctB, id), apierr.KindAccessDenied, "")
	wantErr(t, e.deleteJob(acctA, id), apierr.KindConflict, "")
	if err := e.stopJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.deleteJob(acctB, id), apierr.KindAccessDenied, "")
	if err := e.deleteJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	_, err = e.getJob(acctA, id)
	wantErr(t, err, apierr.KindNotFound, "")
	wantErr(t, e.deleteJob(acctA, id), apierr.KindNotFound, "")
	wantErr(t, e.startJob(acctA, id), apierr.KindNotFound, "")
	_, err = e.tagsOf(acctA, arn)
	wantErr(t, err, apierr.KindNotFound, "")
	if out, err := e.svc.ListResourceSnapshotJobs(e.ctx, acctA, &api.ListResourceSnapshotJobsRequest{Catalog: CatalogSandbox}); err != nil || len(out.ResourceSnapshotJobSummaries) != 0 {
		t.Errorf("deleted job listed: %v %v", out, err)
	}
}

func TestCreateResourceSnapshotJobRefusals(t *testing.T) {
	e := newSnapEnv(t)
	_, err := e.tryJob(acctC, "c", templateOpportunitySummaryView)
	wantErr(t, err, apierr.KindAccessDenied, "")
	_, err = e.tryJob(acctB, "b", templateOpportunitySummaryView)
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = e.tryJob(acctA, "u", "NoSuchView")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	_, err = e.getJob(acctA, "job-0000000000000")
	wantErr(t, err, apierr.KindNotFound, "")
}

func (e *snapEnv) revisions(t *testing.T, template string) int32 {
	t.Helper()
	snap, err := e.getSnapshot(acctA, template, nil)
	if apierr.Is(err, apierr.KindNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return *snap.Revision
}

func TestRunningJobSnapshotsOnlyChanges(t *testing.T) {
	e := newSnapEnv(t)
	e.snapshot(t, "s1", templateOpportunitySummaryView)
	id := e.job(t, "j", templateOpportunitySummaryView)
	nextSteps := func(steps string) func(*api.UpdateOpportunityRequest) {
		return func(in *api.UpdateOpportunityRequest) { in.LifeCycle.NextSteps = ptr(steps) }
	}

	e.update(t, nextSteps("While stopped"))
	if n := e.revisions(t, templateOpportunitySummaryView); n != 1 {
		t.Fatalf("a stopped job wrote: %d revisions", n)
	}
	// Starting runs the job once, so it catches up at once on what changed
	// while it was stopped.
	if err := e.startJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	latest := e.mustGetSnapshot(t, templateOpportunitySummaryView, nil)
	if *latest.Revision != 2 || deref(latest.Payload.OpportunitySummary.Lifecycle.NextSteps) != "While stopped" || *latest.CreatedBy != acctA {
		t.Fatalf("catch-up revision %d %+v", *latest.Revision, latest.Payload.OpportunitySummary.Lifecycle)
	}
	e.clock.Advance(time.Second)

	// A field outside the view, and an update that changes nothing.
	e.update(t, func(in *api.UpdateOpportunityRequest) { in.Project.Title = ptr("Renamed again") })
	e.update(t, func(*api.UpdateOpportunityRequest) {})
	if n := e.revisions(t, templateOpportunitySummaryView); n != 2 {
		t.Fatalf("irrelevant updates wrote revisions: %d", n)
	}
	job, err := e.getJob(acctA, id)
	if err != nil {
		t.Fatal(err)
	}
	if job.LastSuccessfulExecutionDate == nil || !job.LastSuccessfulExecutionDate.Equal(e.svc.now()) || job.LastFailure != nil {
		t.Errorf("execution %v failure %v", job.LastSuccessfulExecutionDate, job.LastFailure)
	}

	e.update(t, nextSteps("Running"))
	if n := e.revisions(t, templateOpportunitySummaryView); n != 3 {
		t.Fatalf("a relevant change gave %d revisions, want 3", n)
	}
	// Other templates' views are not the job's.
	if n := e.revisions(t, templateOpportunity); n != 0 {
		t.Errorf("the job wrote %d Opportunity-template revisions", n)
	}

	if err := e.stopJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	e.update(t, nextSteps("Stopped again"))
	if n := e.revisions(t, templateOpportunitySummaryView); n != 3 {
		t.Fatalf("a stopped job wrote: %d revisions", n)
	}
}

func TestRunningJobTakesFirstSnapshot(t *testing.T) {
	e := newSnapEnv(t)
	id := e.job(t, "j", templateAwsOpportunitySummaryFullView)
	if err := e.startJob(acctA, id); err != nil {
		t.Fatal(err)
	}
	e.update(t, func(in *api.UpdateOpportunityRequest) { in.LifeCycle.NextSteps = ptr("x") })
	snap := e.mustGetSnapshot(t, templateAwsOpportunitySummaryFullView, nil)
	if *snap.Revision != 1 || deref(snap.Payload.AwsOpportunitySummaryFullView.RelatedOpportunityId) != e.opp {
		t.Errorf("first job revision %+v", snap.GetResourceSnapshotResponse)
	}
	if res := e.getEngagement(t, acctA, e.eng); len(res.Contexts) != 0 {
		t.Errorf("contexts %+v", res.Contexts)
	}
	d, err := loadEngagement(e.ctx, e.svc.store, CatalogSandbox, e.eng)
	if err != nil || len(d.Value.Resources) != 1 {
		t.Errorf("the job's snapshot did not associate the opportunity: %+v %v", d.Value, err)
	}
}

func TestListResourceSnapshotJobs(t *testing.T) {
	e := newSnapEnv(t)
	other := e.engagement(t, acctA, "eng2")
	ids := []string{e.job(t, "j1", templateOpportunitySummaryView), e.job(t, "j2", templateOpportunity), e.job(t, "j3", templateOpportunitySummaryView)}
	e.eng = other
	ids = append(ids, e.job(t, "j4", templateOpportunitySummaryView))
	if err := e.startJob(acctA, ids[1]); err != nil {
		t.Fatal(err)
	}
	list := func(account string, in api.ListResourceSnapshotJobsRequest) []string {
		t.Helper()
		in.Catalog = CatalogSandbox
		var got []string
		for {
			out, err := e.svc.ListResourceSnapshotJobs(e.ctx, account, &in)
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range out.ResourceSnapshotJobSummaries {
				got = append(got, *j.Id)
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	str := func(ids ...string) string { return fmt.Sprint(ids) }
	if got := list(acctA, api.ListResourceSnapshotJobsRequest{MaxResults: ptr[int32](3)}); str(got...) != str(ids[3], ids[2], ids[1], ids[0]) {
		t.Errorf("default order %v", got)
	}
	asc := &api.SortObject{SortBy: ptr(api.SortByCreatedDate), SortOrder: ptr(api.SortOrderAscending)}
	if got := list(acctA, api.ListResourceSnapshotJobsRequest{Sort: asc, MaxResults: ptr[int32](1)}); str(got...) != str(ids...) {
		t.Errorf("ascending %v", got)
	}
	if got := list(acctA, api.ListResourceSnapshotJobsRequest{EngagementIdentifier: ptr(other)}); str(got...) != str(ids[3]) {
		t.Errorf("by engagement %v", got)
	}
	if got := list(acctA, api.ListResourceSnapshotJobsRequest{Status: ptr(api.ResourceSnapshotJobStatusRunning)}); str(got...) != str(ids[1]) {
		t.Errorf("running %v", got)
	}
	if got := list(acctB, api.ListResourceSnapshotJobsRequest{}); len(got) != 0 {
		t.Errorf("another account lists %v", got)
	}
	_, err := e.svc.ListResourceSnapshotJobs(e.ctx, acctA, &api.ListResourceSnapshotJobsRequest{Catalog: CatalogSandbox, NextToken: ptr("bad")})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}
