package selling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// taskKind names each task type as it appears in task ARNs.
type taskKind string

const (
	engagementFromOpportunity       taskKind = "engagement-from-opportunity-task"
	engagementByAcceptingInvitation taskKind = "engagement-by-accepting-invitation-task"
	opportunityFromEngagement       taskKind = "opportunity-from-engagement-task"
)

// taskRecord is a task as stored. Its JSON member names are those of the
// three task responses and summaries, which are all subsets of it, so
// taskAs converts it to any of them.
type taskRecord struct {
	Kind                   taskKind        `json:"Kind"`
	Owner                  string          `json:"Owner"`
	Catalog                string          `json:"Catalog"`
	TaskId                 string          `json:"TaskId"`
	TaskArn                string          `json:"TaskArn"`
	StartTime              time.Time       `json:"StartTime"`
	TaskStatus             api.TaskStatus  `json:"TaskStatus"`
	Message                *string         `json:"Message,omitempty"`
	ReasonCode             *api.ReasonCode `json:"ReasonCode,omitempty"`
	OpportunityId          *string         `json:"OpportunityId,omitempty"`
	ResourceSnapshotJobId  *string         `json:"ResourceSnapshotJobId,omitempty"`
	EngagementId           *string         `json:"EngagementId,omitempty"`
	EngagementInvitationId *string         `json:"EngagementInvitationId,omitempty"`
	ContextId              *string         `json:"ContextId,omitempty"`
}

func (t *taskRecord) DocID() string         { return t.TaskId }
func (t *taskRecord) DocCreated() time.Time { return t.StartTime }

func (t *taskRecord) DocKeys() map[string][]string {
	k := map[string][]string{"owner": {t.Owner}, "kind": {string(t.Kind)}, "status": {string(t.TaskStatus)}, "task": {t.TaskId}}
	for key, v := range map[string]*string{"opportunity": t.OpportunityId, "engagement": t.EngagementId, "invitation": t.EngagementInvitationId, "context": t.ContextId} {
		if v != nil {
			k[key] = []string{*v}
		}
	}
	return k
}

// taskAs converts a task record into one of the generated response or
// summary types, which share its member names.
func taskAs[T any](t *taskRecord) (*T, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, internal("encode task", err)
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, internal("convert task", err)
	}
	return out, nil
}

// taskFailure is a step of a task that did not go through: the task ends
// FAILED with a ReasonCode and a message saying what to fix, and every
// other step of the task is rolled back.
type taskFailure struct {
	reason  api.ReasonCode
	message string
}

func (f *taskFailure) Error() string { return f.message }

// stepReasons maps the area a step works on and the kind of error it met
// to the model's ReasonCode.
var stepReasons = map[string]map[apierr.Kind]api.ReasonCode{
	"Opportunity": {
		apierr.KindValidation: api.ReasonCodeOpportunityValidationFailed, apierr.KindNotFound: api.ReasonCodeOpportunityValidationFailed,
		apierr.KindConflict: api.ReasonCodeOpportunityConflict, apierr.KindAccessDenied: api.ReasonCodeOpportunityAccessDenied,
	},
	"Engagement": {
		apierr.KindValidation: api.ReasonCodeEngagementValidationFailed, apierr.KindNotFound: api.ReasonCodeEngagementValidationFailed,
		apierr.KindConflict: api.ReasonCodeEngagementConflict, apierr.KindAccessDenied: api.ReasonCodeEngagementAccessDenied,
	},
	"Invitation": {
		apierr.KindValidation: api.ReasonCodeInvitationValidationFailed, apierr.KindNotFound: api.ReasonCodeInvitationValidationFailed,
		apierr.KindConflict: api.ReasonCodeEngagementInvitationConflict, apierr.KindAccessDenied: api.ReasonCodeInvitationAccessDenied,
	},
	"ResourceSnapshot": {
		apierr.KindValidation: api.ReasonCodeResourceSnapshotValidationFailed, apierr.KindNotFound: api.ReasonCodeResourceSnapshotValidationFailed,
		apierr.KindConflict: api.ReasonCodeResourceSnapshotConflict, apierr.KindAccessDenied: api.ReasonCodeResourceSnapshotAccessDenied,
	},
	"ResourceSnapshotJob": {
		apierr.KindValidation: api.ReasonCodeResourceSnapshotJobValidationFailed, apierr.KindNotFound: api.ReasonCodeResourceSnapshotJobValidationFailed,
		apierr.KindConflict: api.ReasonCodeResourceSnapshotJobConflict, apierr.KindAccessDenied: api.ReasonCodeResourceSnapshotJobAccessDenied,
	},
}

// step turns a domain error of one task step into a task failure. Errors
// that are not the request's fault (a broken store) stay errors.
func step(area, what string, err error) error {
	e, ok := apierr.As(err)
	if !ok {
		return err
	}
	reason, ok := stepReasons[area][e.Kind]
	switch {
	case e.Kind == apierr.KindServiceQuotaExceeded:
		reason = api.ReasonCodeServiceQuotaExceeded
	case e.Kind == apierr.KindThrottling:
		reason = api.ReasonCodeRequestThrottled
	case !ok:
		reason = api.ReasonCodeInternalError
	}
	msg := what + " failed: " + e.Message
	for _, f := range e.Fields {
		msg += fmt.Sprintf(" [%s: %s]", f.FieldName, f.Message)
	}
	return &taskFailure{reason: reason, message: msg}
}

// runTask runs a task's steps in one transaction, remembered under the
// client token. If a step fails, that transaction is rolled back — the task
// leaves nothing half done — and the FAILED task is recorded in a second
// one, so a retry with the same token returns it. inputs sets the ids the
// request named (the opportunity, invitation or engagement), which a FAILED
// task reports too. Tasks finish synchronously, as every real capture shows
// (COMPLETE in the response).
func (s *Service) runTask(ctx context.Context, account, catalog string, kind taskKind, token string, request any,
	inputs func(t *taskRecord), steps func(tx store.Tx, t *taskRecord) error) (*taskRecord, error) {
	scope := scopeOf(account, catalog)
	operation := "task:" + string(kind)
	record := func(tx store.Tx, t *taskRecord) (*taskRecord, error) {
		if _, err := docstore.Put(ctx, tx, kindTask, catalog, t, 0); err != nil {
			return nil, err
		}
		return t, nil
	}
	out, err := idempotency.Run(ctx, s.store, s.now(), scope, operation, token, request, func(tx store.Tx) (*taskRecord, error) {
		t := s.newTask(account, catalog, kind)
		inputs(t)
		if err := steps(tx, t); err != nil {
			return nil, err
		}
		t.TaskStatus = api.TaskStatusComplete
		return record(tx, t)
	})
	var failure *taskFailure
	if !errors.As(err, &failure) {
		return out, err
	}
	return idempotency.Run(ctx, s.store, s.now(), scope, operation, token, request, func(tx store.Tx) (*taskRecord, error) {
		t := s.newTask(account, catalog, kind)
		inputs(t)
		t.TaskStatus, t.ReasonCode, t.Message = api.TaskStatusFailed, &failure.reason, &failure.message
		return record(tx, t)
	})
}

func (s *Service) newTask(account, catalog string, kind taskKind) *taskRecord {
	id := docstore.NewID("task-", 13)
	return &taskRecord{
		Kind: kind, Owner: account, Catalog: catalog, TaskId: id, StartTime: s.now(), TaskStatus: api.TaskStatusInProgress,
		// Task ARNs carry no account, like engagements'.
		TaskArn: fmt.Sprintf("arn:aws:partnercentral:%s::catalog/%s/%s/%s", s.region, catalog, kind, id),
	}
}

// listTasks lists the caller's tasks of one kind with the filters every
// List...Tasks operation shares, newest first unless asked otherwise.
func (s *Service) listTasks(ctx context.Context, account, catalog string, kind taskKind, match map[string][]string,
	sort *api.ListTasksSortBase, maxResults *int32, nextToken *string, binding string) ([]*taskRecord, *string, error) {
	match["owner"], match["kind"] = []string{account}, []string{string(kind)}
	for k, v := range match {
		if len(v) == 0 {
			delete(match, k)
		}
	}
	q := store.DocumentQuery{Kind: kindTask, Catalog: catalog, Match: match, Descending: true, Limit: pageSize(maxResults) + 1}
	if sort != nil {
		q.Descending = sort.SortOrder == api.SortOrderDescending
	}
	if t := deref(nextToken); t != "" {
		var pos store.Position
		if err := s.tokens.Decode(binding, t, &pos); err != nil {
			return nil, nil, pagetoken.Invalid()
		}
		q.After = &pos
	}
	tasks, _, err := docstore.List[taskRecord](ctx, s.store, q)
	if err != nil {
		return nil, nil, err
	}
	limit := q.Limit - 1
	if len(tasks) <= limit {
		return tasks, nil, nil
	}
	tasks = tasks[:limit]
	last := tasks[limit-1]
	tok, err := s.tokens.Encode(binding, store.Position{Key: store.FormatMillis(last.StartTime), ID: last.TaskId})
	if err != nil {
		return nil, nil, internal("encode token", err)
	}
	return tasks, &tok, nil
}

// summaries converts listed tasks to a List...Tasks summary type.
func summaries[T any](tasks []*taskRecord) ([]T, error) {
	out := make([]T, 0, len(tasks))
	for _, t := range tasks {
		v, err := taskAs[T](t)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}
