package selling

import (
	"regexp"
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

func (f *fixture) startProspecting(t *testing.T, account, name, token string, ids ...string) *api.StartProspectingFromEngagementTaskResponse {
	t.Helper()
	out, err := f.svc.StartProspectingFromEngagementTask(f.ctx, account, &api.StartProspectingFromEngagementTaskRequest{Catalog: CatalogSandbox, Identifiers: ids, TaskName: name, ClientToken: token})
	if err != nil {
		t.Fatalf("StartProspectingFromEngagementTask: %v", err)
	}
	return out
}

func (f *fixture) getProspecting(t *testing.T, account, id string) *api.GetProspectingFromEngagementTaskResponse {
	t.Helper()
	out, err := f.svc.GetProspectingFromEngagementTask(f.ctx, account, &api.GetProspectingFromEngagementTaskRequest{Catalog: CatalogSandbox, TaskIdentifier: id})
	if err != nil {
		t.Fatalf("GetProspectingFromEngagementTask: %v", err)
	}
	return out
}

func statuses(rs []api.EngagementProspectingResult) []api.ProspectingTaskStatus {
	out := make([]api.ProspectingTaskStatus, len(rs))
	for i, r := range rs {
		out[i] = r.Status
	}
	return out
}

func TestProspectingTaskRunsByTheClock(t *testing.T) {
	f := newFixture(t)
	lead := f.engagement(t, acctA, "lead", api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Acme"))})
	bare := f.engagement(t, acctA, "bare")
	start := f.startProspecting(t, acctA, "Spring batch", "p1", lead, bare, lead)
	if start.TaskStatus != api.ProspectingTaskStatusPending || !slices.Equal(start.Identifiers, []string{lead, bare}) || start.Message != nil {
		t.Fatalf("start = %+v", start)
	}
	if !regexp.MustCompile(`^task-[0-9a-z]{14}$`).MatchString(*start.TaskId) ||
		*start.TaskArn != "arn:aws:partnercentral-selling:us-east-1::catalog/Sandbox/prospecting-from-engagement-task/"+*start.TaskId {
		t.Fatalf("id %s, arn %s", *start.TaskId, *start.TaskArn)
	}
	id := *start.TaskId
	P, R, C, F := api.ProspectingTaskStatusPending, api.ProspectingTaskStatusInProgress, api.ProspectingTaskStatusCompleted, api.ProspectingTaskStatusFailed
	steps := []struct {
		advance time.Duration
		want    []api.ProspectingTaskStatus
	}{{0, []api.ProspectingTaskStatus{P, P}}, {time.Second, []api.ProspectingTaskStatus{R, P}}, {500 * time.Millisecond, []api.ProspectingTaskStatus{C, R}}, {500 * time.Millisecond, []api.ProspectingTaskStatus{C, F}}}
	for _, s := range steps {
		f.clock.Advance(s.advance)
		got := f.getProspecting(t, acctA, id)
		if !slices.Equal(statuses(got.Engagements), s.want) {
			t.Fatalf("after %v more: %v, want %v", s.advance, statuses(got.Engagements), s.want)
		}
		if (got.EndTime != nil) != (s.want[1] == F) {
			t.Fatalf("EndTime %v with statuses %v", got.EndTime, s.want)
		}
	}
	got := f.getProspecting(t, acctA, id)
	done, failed := got.Engagements[0], got.Engagements[1]
	if deref(done.EngagementContextId) != "2" || done.ReasonCode != nil || failed.EngagementContextId != nil || deref(failed.ReasonCode) != prospectingNoLead || deref(failed.Message) == "" {
		t.Fatalf("results %+v %+v", done, failed)
	}
	if !got.EndTime.Equal(start.StartTime.Add(2 * time.Second)) {
		t.Fatalf("EndTime %v, started %v", got.EndTime, start.StartTime)
	}

	e := f.getEngagement(t, acctA, lead)
	if len(e.Contexts) != 2 || e.Contexts[1].Type != api.EngagementContextTypeProspectingResult {
		t.Fatalf("contexts %+v", e.Contexts)
	}
	aws := e.Contexts[1].Payload.ProspectingResult.Aws
	if deref(aws.TaskId) != id || deref(aws.TaskName) != "Spring batch" || deref(aws.Customer.AccountName) != "Acme" ||
		deref(aws.Customer.Country) != api.CountryCodeUs || deref(aws.Customer.Geo) != "AMER" || aws.Insights.MarketplaceEngagementScore == nil || !aws.EndTime.Equal(*got.EndTime) {
		t.Fatalf("ProspectingResult %+v customer %+v", aws, aws.Customer)
	}
	if score := deref(e.Contexts[0].Payload.Lead.Insights).LeadReadinessScore; score == nil {
		t.Fatal("the lead was not scored")
	}

	// The same token answers the same; the task is the caller's alone.
	again := f.startProspecting(t, acctA, "Spring batch", "p1", lead, bare, lead)
	if *again.TaskId != id || again.TaskStatus != P {
		t.Fatalf("replay %+v", again)
	}
	_, err := f.svc.GetProspectingFromEngagementTask(f.ctx, acctB, &api.GetProspectingFromEngagementTaskRequest{Catalog: CatalogSandbox, TaskIdentifier: id})
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestProspectingDeterministicAndRefreshed(t *testing.T) {
	f := newFixture(t)
	lead := f.engagement(t, acctA, "lead", api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Globex"))})
	first := f.startProspecting(t, acctA, "one", "p1", lead)
	f.clock.Advance(2 * time.Second)
	f.getProspecting(t, acctA, *first.TaskId)
	before := f.getEngagement(t, acctA, lead).Contexts[1].Payload.ProspectingResult.Aws
	second := f.startProspecting(t, acctA, "two", "p2", lead)
	f.clock.Advance(2 * time.Second)
	if got := f.getProspecting(t, acctA, *second.TaskId); deref(got.Engagements[0].EngagementContextId) != "2" {
		t.Fatalf("a second prospecting added a context: %+v", got.Engagements)
	}
	e := f.getEngagement(t, acctA, lead)
	after := e.Contexts[1].Payload.ProspectingResult.Aws
	if len(e.Contexts) != 2 || deref(after.TaskId) != *second.TaskId || deref(after.Customer.Industry) != deref(before.Customer.Industry) ||
		deref(after.Insights.SolutionCategory) != deref(before.Insights.SolutionCategory) {
		t.Fatalf("before %+v after %+v", before, after)
	}
}

func TestProspectingRefuses(t *testing.T) {
	f := newFixture(t)
	mine := f.engagement(t, acctA, "mine")
	_, err := f.svc.StartProspectingFromEngagementTask(f.ctx, acctB, &api.StartProspectingFromEngagementTaskRequest{Catalog: CatalogSandbox, Identifiers: []string{mine}, TaskName: "x", ClientToken: "t"})
	wantErr(t, err, apierr.KindAccessDenied, "")
	_, err = f.svc.StartProspectingFromEngagementTask(f.ctx, acctA, &api.StartProspectingFromEngagementTaskRequest{Catalog: CatalogSandbox, Identifiers: []string{mine, "eng-00000000000000"}, TaskName: "x", ClientToken: "t"})
	wantErr(t, err, apierr.KindNotFound, "")
	out, err := f.svc.ListProspectingFromEngagementTasks(f.ctx, acctA, &api.ListProspectingFromEngagementTasksRequest{Catalog: CatalogSandbox})
	if err != nil || len(out.TaskSummaries) != 0 {
		t.Fatalf("a refused start left a task: %+v %v", out, err)
	}

	// Partners cannot write AWS's ProspectingResult.
	_, err = f.svc.CreateEngagementContext(f.ctx, acctA, &api.CreateEngagementContextRequest{Catalog: CatalogSandbox, EngagementIdentifier: mine, ClientToken: "c",
		Type: api.EngagementContextTypeProspectingResult, Payload: api.EngagementContextPayload{ProspectingResult: &api.ProspectingResult{Aws: &api.ProspectingResultAws{TaskName: ptr("fake")}}}})
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation); !hasField(e, "type", apierr.CodeActionNotPermitted) {
		t.Fatalf("fields %+v", e.Fields)
	}
}

func TestListProspectingTasks(t *testing.T) {
	f := newFixture(t)
	lead := f.engagement(t, acctA, "lead", api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Initech"))})
	bare := f.engagement(t, acctA, "bare")
	var ids []string
	for i, name := range []string{"c", "a", "b"} {
		engs := []string{lead}
		if i == 1 {
			engs = append(engs, bare) // the one task with a failure
		}
		ids = append(ids, *f.startProspecting(t, acctA, name, "t"+name, engs...).TaskId)
		f.clock.Advance(time.Second)
	}
	f.startProspecting(t, acctB, "other", "tb", f.engagement(t, acctB, "b-eng"))
	f.clock.Advance(5 * time.Second)
	list := func(in api.ListProspectingFromEngagementTasksRequest) []string {
		t.Helper()
		in.Catalog = CatalogSandbox
		var got []string
		for {
			out, err := f.svc.ListProspectingFromEngagementTasks(f.ctx, acctA, &in)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range out.TaskSummaries {
				got = append(got, s.TaskName)
			}
			if out.NextToken == nil {
				return got
			}
			in.NextToken = out.NextToken
		}
	}
	one := int32(1)
	for _, c := range []struct {
		in   api.ListProspectingFromEngagementTasksRequest
		want []string
	}{
		{api.ListProspectingFromEngagementTasksRequest{}, []string{"b", "a", "c"}},
		{api.ListProspectingFromEngagementTasksRequest{MaxResults: &one}, []string{"b", "a", "c"}},
		{api.ListProspectingFromEngagementTasksRequest{MaxResults: &one, Sort: &api.ProspectingFromEngagementTaskSort{SortBy: "TaskName", SortOrder: "ASCENDING"}}, []string{"a", "b", "c"}},
		{api.ListProspectingFromEngagementTasksRequest{Sort: &api.ProspectingFromEngagementTaskSort{SortBy: "FailedEngagementCount", SortOrder: "DESCENDING"}}, []string{"a", "b", "c"}},
		{api.ListProspectingFromEngagementTasksRequest{TaskName: []string{"c", "b"}}, []string{"b", "c"}},
		{api.ListProspectingFromEngagementTasksRequest{TaskIdentifier: []string{ids[1]}}, []string{"a"}},
		{api.ListProspectingFromEngagementTasksRequest{StartAfter: ptr(time.Date(2026, 3, 1, 12, 0, 1, 0, time.UTC)), StartBefore: ptr(time.Date(2026, 3, 1, 12, 0, 2, 0, time.UTC))}, []string{"a"}},
	} {
		if got := list(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.in, got, c.want)
		}
	}
	out, err := f.svc.ListProspectingFromEngagementTasks(f.ctx, acctA, &api.ListProspectingFromEngagementTasksRequest{Catalog: CatalogSandbox, TaskIdentifier: []string{ids[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if s := out.TaskSummaries[0]; s.TotalEngagementCount != 2 || s.CompletedEngagementCount != 1 || s.FailedEngagementCount != 1 || s.EndTime == nil {
		t.Fatalf("summary %+v", s)
	}
}
