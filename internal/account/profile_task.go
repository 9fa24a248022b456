package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// profileReviewTime is how long AWS takes to review a profile update task
// in cosell. AWS reviews content automatically and by hand and documents
// no duration (§8 item 12); a minute of server clock keeps a task visibly
// IN_PROGRESS for a polling client while tests simply advance the clock.
const profileReviewTime = 60 * time.Second

// profileTaskRecord is a profile update task as stored. Only the latest
// task of a partner can be IN_PROGRESS (StartProfileUpdateTask refuses a
// second), so settling the latest is enough to keep every task current.
type profileTaskRecord struct {
	Id        string                `json:"id"`
	Catalog   string                `json:"catalog"`
	PartnerId string                `json:"partnerId"`
	Details   api.TaskDetails       `json:"details"`
	StartedAt time.Time             `json:"startedAt"`
	Status    api.ProfileTaskStatus `json:"status"`
	EndedAt   *time.Time            `json:"endedAt,omitempty"`
	Errors    []api.ErrorDetail     `json:"errors,omitempty"`
}

func (t *profileTaskRecord) DocID() string         { return t.Id }
func (t *profileTaskRecord) DocCreated() time.Time { return t.StartedAt }
func (t *profileTaskRecord) DocKeys() map[string][]string {
	return map[string][]string{"partner": {t.PartnerId}}
}

func profileTaskNotFound(what string) func() error {
	return func() error {
		return apierr.NotFound("No profile update task %s.", what).WithReason(string(api.ResourceNotFoundExceptionReasonPartnerProfileTaskNotFound))
	}
}

// decideProfileTask is the one place a task's outcome is decided: an
// IN_PROGRESS task ends once its review time has passed by the server
// clock, FAILED with the problems reviewProfileContent finds, SUCCEEDED
// when it finds none. It reports whether t changed. (The simulated AWS
// side is meant to drive outcomes through this function.)
func decideProfileTask(t *profileTaskRecord, now time.Time) bool {
	if t.Status != api.ProfileTaskStatusInProgress || now.Sub(t.StartedAt) < profileReviewTime {
		return false
	}
	ended := t.StartedAt.Add(profileReviewTime)
	t.EndedAt = &ended
	t.Errors = reviewProfileContent(t.Details)
	t.Status = api.ProfileTaskStatusSucceeded
	if len(t.Errors) > 0 {
		t.Status = api.ProfileTaskStatusFailed
	}
	return true
}

// latestProfileTask is the partner's most recently started task; found is
// false when it has none.
func latestProfileTask(ctx context.Context, r store.Reader, p *partnerRecord) (d docstore.Doc[profileTaskRecord], found bool, err error) {
	rows, _, err := docstore.List[profileTaskRecord](ctx, r, store.DocumentQuery{
		Kind: kindProfileTask, Catalog: p.Catalog, Match: map[string][]string{"partner": {p.Id}}, Descending: true, Limit: 1,
	})
	if err != nil || len(rows) == 0 {
		return d, false, err
	}
	d, err = docstore.Get[profileTaskRecord](ctx, r, kindProfileTask, p.Catalog, rows[0].Id, profileTaskNotFound(rows[0].Id))
	return d, err == nil, err
}

// settleProfileTask stores the outcome of task the first time it is
// decided, and a SUCCEEDED task's content on the partner's profile in the
// same transaction, so the profile changes exactly when the task is seen
// to complete. partner is updated in place with its new version.
func settleProfileTask(ctx context.Context, tx store.Tx, now time.Time, partner *docstore.Doc[partnerRecord], task *docstore.Doc[profileTaskRecord]) error {
	if !decideProfileTask(task.Value, now) {
		return nil
	}
	v, err := docstore.Put(ctx, tx, kindProfileTask, task.Value.Catalog, task.Value, task.Version)
	if err != nil {
		return err
	}
	task.Version = v
	if task.Value.Status != api.ProfileTaskStatusSucceeded {
		return nil
	}
	applyProfileContent(&partner.Value.Profile, task.Value.Details)
	*partner, err = savePartner(ctx, tx, *partner)
	return err
}

// settledProfile is the caller's partner named by identifier, with its
// latest profile update task (found is false when it has none), after
// storing that task's outcome if it has come and is not stored yet. Any
// read of the profile goes through it, so the profile changes the moment a
// completed task is first observed. Reads stay reads unless this one is
// the first to see an outcome.
func (s *Service) settledProfile(ctx context.Context, account, catalog, identifier string) (p docstore.Doc[partnerRecord], task docstore.Doc[profileTaskRecord], found bool, err error) {
	if p, err = s.identifiedPartner(ctx, s.store, account, catalog, identifier); err != nil {
		return p, task, false, err
	}
	if task, found, err = latestProfileTask(ctx, s.store, p.Value); err != nil || !found {
		return p, task, found, err
	}
	if probe := *task.Value; !decideProfileTask(&probe, s.now()) {
		return p, task, true, nil
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if p, err = s.identifiedPartner(ctx, tx, account, catalog, identifier); err != nil {
			return err
		}
		if task, err = docstore.Get[profileTaskRecord](ctx, tx, kindProfileTask, catalog, task.Value.Id, profileTaskNotFound(task.Value.Id)); err != nil {
			return err
		}
		return settleProfileTask(ctx, tx, s.now(), &p, &task)
	})
	return p, task, err == nil, err
}

// applyProfileContent replaces the profile's content with a task's; the
// public ProfileId stays, and so does Headquarters when the task leaves it
// out (the model: "if omitted, the existing value is kept").
func applyProfileContent(p *api.PartnerProfile, d api.TaskDetails) {
	hq := d.Headquarters
	if hq == nil {
		hq = p.Headquarters
	}
	*p = api.PartnerProfile{
		DisplayName: d.DisplayName, Description: d.Description, WebsiteUrl: d.WebsiteUrl, LogoUrl: d.LogoUrl,
		PrimarySolutionType: d.PrimarySolutionType, IndustrySegments: d.IndustrySegments,
		TranslationSourceLocale: d.TranslationSourceLocale, LocalizedContents: d.LocalizedContents,
		Headquarters: hq, ProfileId: p.ProfileId,
	}
}

// profileTaskView is a task as every profile task operation answers it;
// the Start and Cancel responses have the same members and convert to it.
func profileTaskView(p *partnerRecord, t *profileTaskRecord) *api.GetProfileUpdateTaskResponse {
	return &api.GetProfileUpdateTaskResponse{
		Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, TaskId: t.Id, TaskDetails: t.Details,
		StartedAt: t.StartedAt, Status: t.Status, EndedAt: t.EndedAt, ErrorDetailList: t.Errors,
	}
}
