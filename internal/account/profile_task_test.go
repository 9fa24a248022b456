package account

import (
	"reflect"
	"regexp"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

var taskConflict = string(api.ConflictExceptionReasonIncompatiblePartnerProfileTaskState)

func profileContent(name string) api.TaskDetails {
	return api.TaskDetails{
		DisplayName: name, Description: "We build data platforms on AWS.",
		WebsiteUrl: "https://www.example.com", LogoUrl: "https://cdn.example.com/logo.png",
		PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts, IndustrySegments: []api.IndustrySegment{"SOFTWARE_INTERNET"},
		TranslationSourceLocale: "en-US",
		LocalizedContents: []api.LocalizedContent{{
			DisplayName: name + " (DE)", Description: "Wir bauen Datenplattformen.", WebsiteUrl: "https://www.example.de", LogoUrl: "https://cdn.example.com/logo-de.png", Locale: "de-DE",
		}},
	}
}

func (f *fixture) startTask(p *partnerRecord, token *string, d api.TaskDetails) (*api.StartProfileUpdateTaskResponse, error) {
	return f.svc.StartProfileUpdateTask(f.ctx, p.Account, &api.StartProfileUpdateTaskRequest{Catalog: p.Catalog, Identifier: p.Id, ClientToken: token, TaskDetails: d})
}

func (f *fixture) latestTask(t *testing.T, p *partnerRecord) *api.GetProfileUpdateTaskResponse {
	t.Helper()
	out, err := f.svc.GetProfileUpdateTask(f.ctx, p.Account, &api.GetProfileUpdateTaskRequest{Catalog: p.Catalog, Identifier: p.Arn})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) cancelTask(p *partnerRecord, taskID string) (*api.CancelProfileUpdateTaskResponse, error) {
	return f.svc.CancelProfileUpdateTask(f.ctx, p.Account, &api.CancelProfileUpdateTaskRequest{Catalog: p.Catalog, Identifier: p.Id, TaskId: taskID})
}

func TestProfileUpdateTaskSucceedsAfterReview(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	content := profileContent("Example Partner")

	started, err := f.startTask(p, nil, content)
	if err != nil {
		t.Fatal(err)
	}
	if !profileTaskIDPattern(started.TaskId) || started.Status != api.ProfileTaskStatusInProgress || started.EndedAt != nil ||
		!started.StartedAt.Equal(f.svc.now()) || started.Id != p.Id || started.Arn != p.Arn || !reflect.DeepEqual(started.TaskDetails, content) {
		t.Fatalf("StartProfileUpdateTask = %+v", started)
	}

	// Under review, the profile keeps its old content.
	f.clock.Advance(profileReviewTime - time.Millisecond)
	if got := f.latestTask(t, p); got.Status != api.ProfileTaskStatusInProgress || got.TaskId != started.TaskId {
		t.Fatalf("before the review ends: %+v", got)
	}
	if stored := f.storedPartner(t, p); stored.Profile.DisplayName != legalNameOf(p.Account) {
		t.Fatalf("profile changed while the task was in progress: %+v", stored.Profile)
	}

	f.clock.Advance(time.Millisecond)
	got := f.latestTask(t, p)
	if got.Status != api.ProfileTaskStatusSucceeded || got.EndedAt == nil || !got.EndedAt.Equal(started.StartedAt.Add(profileReviewTime)) || got.ErrorDetailList != nil {
		t.Fatalf("after the review: %+v", got)
	}
	stored := f.storedPartner(t, p)
	if stored.Profile.DisplayName != "Example Partner" || stored.Profile.WebsiteUrl != content.WebsiteUrl ||
		!reflect.DeepEqual(stored.Profile.LocalizedContents, content.LocalizedContents) || stored.Profile.PrimarySolutionType != content.PrimarySolutionType ||
		stored.Profile.ProfileId == nil || *stored.Profile.ProfileId != *p.Profile.ProfileId {
		t.Fatalf("profile after success: %+v", stored.Profile)
	}

	// The outcome is stored: a later read sees the same, even much later.
	f.clock.Advance(48 * time.Hour)
	if again := f.latestTask(t, p); !reflect.DeepEqual(again, got) {
		t.Fatalf("second read %+v, first %+v", again, got)
	}
}

func TestProfileUpdateTaskOneAtATime(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	first, err := f.startTask(p, nil, profileContent("First"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.startTask(p, nil, profileContent("Second"))
	wantProfileErr(t, err, apierr.KindConflict, taskConflict)

	// Another partner's task is independent.
	other := f.profilePartner(t, acctTwo)
	if _, err := f.startTask(other, nil, profileContent("Other")); err != nil {
		t.Fatalf("other partner: %v", err)
	}

	// Once the first has ended, the next may start — and the first's
	// outcome is applied on the way.
	f.clock.Advance(profileReviewTime)
	second, err := f.startTask(p, nil, profileContent("Second"))
	if err != nil {
		t.Fatal(err)
	}
	if second.TaskId == first.TaskId {
		t.Fatal("the second task reused the first's id")
	}
	if stored := f.storedPartner(t, p); stored.Profile.DisplayName != "First" {
		t.Fatalf("first task's content not applied before the second started: %+v", stored.Profile)
	}
	if got := f.latestTask(t, p); got.TaskId != second.TaskId {
		t.Fatalf("latest task %s, want %s", got.TaskId, second.TaskId)
	}
}

func TestProfileUpdateTaskCancel(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	started, err := f.startTask(p, nil, profileContent("Canceled"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(10 * time.Second)
	canceled, err := f.cancelTask(p, started.TaskId)
	if err != nil {
		t.Fatal(err)
	}
	if canceled.Status != api.ProfileTaskStatusCanceled || canceled.EndedAt == nil || !canceled.EndedAt.Equal(f.svc.now()) || canceled.TaskId != started.TaskId {
		t.Fatalf("CancelProfileUpdateTask = %+v", canceled)
	}
	_, err = f.cancelTask(p, started.TaskId)
	wantProfileErr(t, err, apierr.KindConflict, taskConflict)

	// A canceled task never applies, however long one waits.
	f.clock.Advance(time.Hour)
	if got := f.latestTask(t, p); got.Status != api.ProfileTaskStatusCanceled {
		t.Fatalf("canceled task became %s", got.Status)
	}
	if stored := f.storedPartner(t, p); stored.Profile.DisplayName != legalNameOf(p.Account) {
		t.Fatalf("canceled content applied: %+v", stored.Profile)
	}

	// A cancel after the outcome came is a conflict, and the outcome stands.
	next, err := f.startTask(p, nil, profileContent("Kept"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(profileReviewTime)
	_, err = f.cancelTask(p, next.TaskId)
	wantProfileErr(t, err, apierr.KindConflict, taskConflict)
	if got := f.latestTask(t, p); got.Status != api.ProfileTaskStatusSucceeded {
		t.Fatalf("task after a late cancel: %s", got.Status)
	}
}

func TestProfileUpdateTaskCancelUnknownTask(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	other := f.profilePartner(t, acctTwo)
	theirs, err := f.startTask(other, nil, profileContent("Theirs"))
	if err != nil {
		t.Fatal(err)
	}
	notFound := string(api.ResourceNotFoundExceptionReasonPartnerProfileTaskNotFound)
	_, err = f.cancelTask(p, "pprofiletask-AAAAAAAAAAAAA")
	wantProfileErr(t, err, apierr.KindNotFound, notFound)
	_, err = f.cancelTask(p, theirs.TaskId)
	wantProfileErr(t, err, apierr.KindNotFound, notFound)
	if got := f.latestTask(t, other); got.Status != api.ProfileTaskStatusInProgress {
		t.Fatalf("another account canceled the task: %s", got.Status)
	}
}

func TestProfileUpdateTaskNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.GetProfileUpdateTask(f.ctx, acctOne, &api.GetProfileUpdateTaskRequest{Catalog: CatalogSandbox, Identifier: "partner-AAAAAAAAAAAAA"})
	wantProfileErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonPartnerNotFound))
	_, err = f.svc.StartProfileUpdateTask(f.ctx, acctOne, &api.StartProfileUpdateTaskRequest{Catalog: CatalogSandbox, Identifier: "partner-AAAAAAAAAAAAA", TaskDetails: profileContent("X")})
	wantProfileErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonPartnerNotFound))

	p := f.profilePartner(t, acctOne)
	_, err = f.svc.GetProfileUpdateTask(f.ctx, acctOne, &api.GetProfileUpdateTaskRequest{Catalog: CatalogSandbox, Identifier: p.Id})
	wantProfileErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonPartnerProfileTaskNotFound))
}

func TestProfileUpdateTaskFailsOnRefusedContent(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	content := profileContent("Refused")
	content.WebsiteUrl = "https://localhost"
	content.LocalizedContents[0].LogoUrl = "https://10.0.0.7/logo.png"
	content.LocalizedContents = append(content.LocalizedContents, content.LocalizedContents[0])
	if _, err := f.startTask(p, nil, content); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(profileReviewTime)
	got := f.latestTask(t, p)
	want := []api.ErrorDetail{
		{Locale: "en-US", Reason: api.ProfileValidationErrorReasonInvalidWebsiteUrl},
		{Locale: "de-DE", Reason: api.ProfileValidationErrorReasonInvalidLogoUrl},
		{Locale: "de-DE", Reason: api.ProfileValidationErrorReasonInvalidContent},
	}
	if got.Status != api.ProfileTaskStatusFailed || got.EndedAt == nil || len(got.ErrorDetailList) != len(want) {
		t.Fatalf("GetProfileUpdateTask = %+v", got)
	}
	for i, e := range got.ErrorDetailList {
		if e.Locale != want[i].Locale || e.Reason != want[i].Reason || e.Message == "" {
			t.Errorf("ErrorDetailList[%d] = %+v, want %+v", i, e, want[i])
		}
	}
	if stored := f.storedPartner(t, p); stored.Profile.DisplayName != legalNameOf(p.Account) {
		t.Fatalf("failed content applied: %+v", stored.Profile)
	}
	// A failed task does not block the next.
	if _, err := f.startTask(p, nil, profileContent("Fixed")); err != nil {
		t.Fatalf("start after a failure: %v", err)
	}
}

func TestProfileUpdateTaskClientToken(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	token := "retry-token-1"
	first, err := f.startTask(p, &token, profileContent("Once"))
	if err != nil {
		t.Fatal(err)
	}
	// A retry is answered with the first task, not refused as a second one.
	again, err := f.startTask(p, &token, profileContent("Once"))
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Fatalf("retry = %+v, %v; want %+v", again, err, first)
	}
	_, err = f.startTask(p, &token, profileContent("Different"))
	wantProfileErr(t, err, apierr.KindConflict, "")
}

func TestProfileUpdateTaskDailyQuota(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	for i := range profileTasksPerDay {
		started, err := f.startTask(p, nil, profileContent("Task"))
		if err != nil {
			t.Fatalf("task %d: %v", i+1, err)
		}
		// Canceled tasks count too.
		if _, err := f.cancelTask(p, started.TaskId); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
	}
	_, err := f.startTask(p, nil, profileContent("One too many"))
	wantProfileErr(t, err, apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_PROFILE_UPDATE_PER_DAY")

	f.clock.Advance(quotaWindow - profileTasksPerDay*time.Hour)
	if _, err := f.startTask(p, nil, profileContent("Next day")); err != nil {
		t.Fatalf("after the oldest task left the window: %v", err)
	}
}

var profileTaskIDPattern = regexp.MustCompile(`^pprofiletask-[A-Za-z0-9]{13}$`).MatchString

// Headquarters, once set, stays when a later task leaves it out.
func TestProfileUpdateTaskKeepsHeadquarters(t *testing.T) {
	f := newFixture(t)
	p := f.profilePartner(t, acctOne)
	withHQ := profileContent("Example Partner")
	withHQ.Headquarters = &api.Headquarters{CountryCode: "BR", SubdivisionCode: "SP"}
	for _, d := range []api.TaskDetails{withHQ, profileContent("Renamed Partner")} {
		if _, err := f.startTask(p, nil, d); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(profileReviewTime)
		if got := f.latestTask(t, p); got.Status != api.ProfileTaskStatusSucceeded {
			t.Fatalf("task %+v", got)
		}
	}
	stored := f.storedPartner(t, p)
	if stored.Profile.DisplayName != "Renamed Partner" || !reflect.DeepEqual(stored.Profile.Headquarters, withHQ.Headquarters) {
		t.Fatalf("profile %+v, headquarters %+v", stored.Profile, stored.Profile.Headquarters)
	}
}
