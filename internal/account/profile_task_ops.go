package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// profileTasksPerDay is the quota on StartProfileUpdateTask (§5.3).
const profileTasksPerDay = 10

// StartProfileUpdateTask asks for the caller's profile content to be
// replaced by in.TaskDetails. The task starts IN_PROGRESS and the profile
// changes only when it SUCCEEDS (decideProfileTask). One task at a time:
// while one is IN_PROGRESS, starting another is a Conflict until it ends
// or is canceled.
func (s *Service) StartProfileUpdateTask(ctx context.Context, account string, in *api.StartProfileUpdateTaskRequest) (*api.StartProfileUpdateTaskResponse, error) {
	return once(ctx, s, scopeOf(account, in.Catalog), "StartProfileUpdateTask", in.ClientToken, in, func(tx store.Tx) (*api.StartProfileUpdateTaskResponse, error) {
		now := s.now()
		p, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		if _, err := profileID(p.Value); err != nil {
			return nil, err
		}
		latest, found, err := latestProfileTask(ctx, tx, p.Value)
		if err != nil {
			return nil, err
		}
		if found {
			if err := settleProfileTask(ctx, tx, now, &p, &latest); err != nil {
				return nil, err
			}
			if latest.Value.Status == api.ProfileTaskStatusInProgress {
				return nil, apierr.Conflict("Profile update task %s is still in progress; cancel it before starting another.", latest.Value.Id).
					WithReason(string(api.ConflictExceptionReasonIncompatiblePartnerProfileTaskState))
			}
		}
		if err := s.checkProfileTaskQuota(ctx, tx, p.Value); err != nil {
			return nil, err
		}
		t := &profileTaskRecord{
			Id: docstore.NewID("pprofiletask-", 13), Catalog: in.Catalog, PartnerId: p.Value.Id,
			Details: in.TaskDetails, StartedAt: now, Status: api.ProfileTaskStatusInProgress,
		}
		if _, err := docstore.Put(ctx, tx, kindProfileTask, in.Catalog, t, 0); err != nil {
			return nil, err
		}
		return (*api.StartProfileUpdateTaskResponse)(profileTaskView(p.Value, t)), nil
	})
}

// checkProfileTaskQuota refuses a task when the partner has started the
// day's quota of them, whatever became of them.
func (s *Service) checkProfileTaskQuota(ctx context.Context, r store.Reader, p *partnerRecord) error {
	recent, _, err := docstore.List[profileTaskRecord](ctx, r, store.DocumentQuery{
		Kind: kindProfileTask, Catalog: p.Catalog, Match: map[string][]string{"partner": {p.Id}}, Descending: true, Limit: profileTasksPerDay,
	})
	if err != nil {
		return err
	}
	if len(recent) == profileTasksPerDay && s.now().Sub(recent[len(recent)-1].StartedAt) < quotaWindow {
		return dailyQuotaExceeded("profile update tasks", profileTasksPerDay, api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfProfileUpdatePerDay)
	}
	return nil
}

// GetProfileUpdateTask returns the caller's latest profile update task
// (the request names the partner, not a task), settled first if its
// outcome has come.
func (s *Service) GetProfileUpdateTask(ctx context.Context, account string, in *api.GetProfileUpdateTaskRequest) (*api.GetProfileUpdateTaskResponse, error) {
	p, latest, found, err := s.settledProfile(ctx, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, profileTaskNotFound("for partner " + p.Value.Id)()
	}
	return profileTaskView(p.Value, latest.Value), nil
}

// CancelProfileUpdateTask stops an IN_PROGRESS task; its content is never
// applied. A task that has ended (including one whose outcome came before
// the cancel arrived) is a Conflict.
func (s *Service) CancelProfileUpdateTask(ctx context.Context, account string, in *api.CancelProfileUpdateTaskRequest) (*api.CancelProfileUpdateTaskResponse, error) {
	return once(ctx, s, scopeOf(account, in.Catalog), "CancelProfileUpdateTask", in.ClientToken, in, func(tx store.Tx) (*api.CancelProfileUpdateTaskResponse, error) {
		now := s.now()
		p, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		t, err := docstore.Get[profileTaskRecord](ctx, tx, kindProfileTask, in.Catalog, in.TaskId, profileTaskNotFound(in.TaskId))
		if err != nil {
			return nil, err
		}
		if t.Value.PartnerId != p.Value.Id {
			return nil, profileTaskNotFound(in.TaskId)()
		}
		if err := settleProfileTask(ctx, tx, now, &p, &t); err != nil {
			return nil, err
		}
		if t.Value.Status != api.ProfileTaskStatusInProgress {
			return nil, apierr.Conflict("Profile update task %s is %s; only a task in progress can be canceled.", t.Value.Id, t.Value.Status).
				WithReason(string(api.ConflictExceptionReasonIncompatiblePartnerProfileTaskState))
		}
		t.Value.Status = api.ProfileTaskStatusCanceled
		t.Value.EndedAt = &now
		if _, err := docstore.Put(ctx, tx, kindProfileTask, in.Catalog, t.Value, t.Version); err != nil {
			return nil, err
		}
		return (*api.CancelProfileUpdateTaskResponse)(profileTaskView(p.Value, t.Value)), nil
	})
}
