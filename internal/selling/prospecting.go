package selling

import (
	"context"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Prospecting tasks: AWS enriches a partner's engagements (leads) with its
// own data and adds a ProspectingResult context to each (semantics-2026
// §1.1–1.2). Unlike the other Selling tasks, which every capture shows
// finishing in the response, these run asynchronously: the task is PENDING
// when started and moves on by the server clock. As with the automatic
// reviewer, nothing runs in the background: a read that finds a task due
// (Get/ListProspectingFromEngagementTasks, GetEngagement) settles it first,
// so a test that advances the clock and reads sees the outcome. AWS
// documents no event for these tasks and cosell emits none of its own; the
// engagement the task enriches changes like any other (Engagement Updated).

// The schedule of a prospecting task, on the server clock. AWS gives no
// durations; these keep a polling client's wait short. The task waits
// prospectingQueued in PENDING, then processes its engagements one after
// another, each taking prospectingPerEngagement.
const (
	prospectingQueued        = time.Second
	prospectingPerEngagement = 500 * time.Millisecond
)

// kindProspectingTask is the document kind of prospecting tasks: their
// shape (a name, a list of engagements) is not the other tasks'.
const kindProspectingTask = "prospecting-task"

// Per-engagement ReasonCodes of a FAILED engagement. The model leaves
// ReasonCode a free string and AWS lists no values; these name the cause.
const (
	prospectingNoLead        = "LEAD_CONTEXT_NOT_FOUND"
	prospectingContextsFull  = "CONTEXT_LIMIT_EXCEEDED"
	prospectingNotAMember    = "ACCESS_DENIED"
	prospectingTaskArnFormat = "arn:aws:partnercentral-selling:%s::catalog/%s/prospecting-from-engagement-task/%s"
)

// prospectingTask is a prospecting task as stored.
type prospectingTask struct {
	Owner     string                            `json:"owner"`
	Catalog   string                            `json:"catalog"`
	TaskId    string                            `json:"taskId"`
	TaskArn   string                            `json:"taskArn"`
	TaskName  string                            `json:"taskName"`
	StartTime time.Time                         `json:"startTime"`
	EndTime   *time.Time                        `json:"endTime,omitempty"`
	Status    api.ProspectingTaskStatus         `json:"status"`
	Results   []api.EngagementProspectingResult `json:"results"` // one per engagement, in the request's order; settled ones are final
}

func (t *prospectingTask) DocID() string         { return t.TaskId }
func (t *prospectingTask) DocCreated() time.Time { return t.StartTime }

func (t *prospectingTask) DocKeys() map[string][]string {
	k := map[string][]string{"owner": {t.Owner}, "task": {t.TaskId}, "name": {t.TaskName}, "status": {string(t.Status)}}
	for _, r := range t.Results {
		k["engagement"] = append(k["engagement"], r.EngagementIdentifier)
	}
	return k
}

// finishesAt is when the i-th engagement of the task is processed.
func (t *prospectingTask) finishesAt(i int) time.Time {
	return t.StartTime.Add(prospectingQueued + time.Duration(i+1)*prospectingPerEngagement)
}

// endsAt is when the whole task is done: its last engagement's turn, or the
// end of the queue for a task without engagements.
func (t *prospectingTask) endsAt() time.Time {
	if len(t.Results) == 0 {
		return t.StartTime.Add(prospectingQueued)
	}
	return t.finishesAt(len(t.Results) - 1)
}

// nextDue is when the task next has something to settle: its first
// unprocessed engagement's turn, or its end.
func (t *prospectingTask) nextDue() time.Time {
	for i, r := range t.Results {
		if !settled(r) {
			return t.finishesAt(i)
		}
	}
	return t.endsAt()
}

func settled(r api.EngagementProspectingResult) bool {
	return r.Status == api.ProspectingTaskStatusCompleted || r.Status == api.ProspectingTaskStatusFailed
}

// resultsAt are the per-engagement results as of now: settled ones as
// stored, the one being processed IN_PROGRESS, the rest PENDING.
func (t *prospectingTask) resultsAt(now time.Time) []api.EngagementProspectingResult {
	out := slices.Clone(t.Results)
	running := !now.Before(t.StartTime.Add(prospectingQueued))
	for i := range out {
		if settled(out[i]) {
			continue
		}
		out[i].Status = api.ProspectingTaskStatusPending
		if running {
			out[i].Status, running = api.ProspectingTaskStatusInProgress, false
		}
	}
	return out
}

// statusAt is the task's status as of now.
func (t *prospectingTask) statusAt(now time.Time) api.ProspectingTaskStatus {
	if t.Status == api.ProspectingTaskStatusCompleted || t.Status == api.ProspectingTaskStatusFailed {
		return t.Status
	}
	if now.Before(t.StartTime.Add(prospectingQueued)) {
		return api.ProspectingTaskStatusPending
	}
	return api.ProspectingTaskStatusInProgress
}

// StartProspectingFromEngagementTask queues AWS's enrichment of the
// caller's engagements. Every identifier must name an engagement of the
// catalog the caller is a member of (else ResourceNotFound or AccessDenied,
// and nothing is queued); a repeated identifier is queued once. The same
// ClientToken returns the same response.
func (s *Service) StartProspectingFromEngagementTask(ctx context.Context, account string, in *api.StartProspectingFromEngagementTaskRequest) (*api.StartProspectingFromEngagementTaskResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "StartProspectingFromEngagementTask", in.ClientToken, in, func(tx store.Tx) (*api.StartProspectingFromEngagementTaskResponse, error) {
		id := docstore.NewID("task-", 14)
		t := &prospectingTask{
			Owner: account, Catalog: in.Catalog, TaskId: id, TaskName: in.TaskName, StartTime: s.now(),
			TaskArn: fmt.Sprintf(prospectingTaskArnFormat, s.region, in.Catalog, id), Status: api.ProspectingTaskStatusPending,
			Results: []api.EngagementProspectingResult{},
		}
		queued := []string{}
		for _, identifier := range in.Identifiers {
			if slices.Contains(queued, identifier) {
				continue
			}
			if _, err := s.engagementFor(ctx, tx, in.Catalog, identifier, account); err != nil {
				return nil, err
			}
			queued = append(queued, identifier)
			t.Results = append(t.Results, api.EngagementProspectingResult{EngagementIdentifier: identifier, Status: api.ProspectingTaskStatusPending})
		}
		if _, err := docstore.Put(ctx, tx, kindProspectingTask, in.Catalog, t, 0); err != nil {
			return nil, err
		}
		return &api.StartProspectingFromEngagementTaskResponse{
			TaskId: &t.TaskId, TaskArn: &t.TaskArn, TaskName: t.TaskName, StartTime: t.StartTime, TaskStatus: t.Status, Identifiers: queued,
		}, nil
	})
}

// GetProspectingFromEngagementTask returns one of the caller's prospecting
// tasks with each engagement's progress. Another account's task is
// ResourceNotFound, as if it did not exist.
func (s *Service) GetProspectingFromEngagementTask(ctx context.Context, account string, in *api.GetProspectingFromEngagementTaskRequest) (*api.GetProspectingFromEngagementTaskResponse, error) {
	if err := s.settleProspecting(ctx, in.Catalog, map[string][]string{"owner": {account}}); err != nil {
		return nil, err
	}
	notFound := func() error { return apierr.NotFound("Prospecting task %s does not exist.", in.TaskIdentifier) }
	d, err := docstore.Get[prospectingTask](ctx, s.store, kindProspectingTask, in.Catalog, in.TaskIdentifier, notFound)
	if err != nil {
		return nil, internal("get prospecting task", err)
	}
	t := d.Value
	if t.Owner != account {
		return nil, notFound()
	}
	return &api.GetProspectingFromEngagementTaskResponse{
		TaskId: t.TaskId, TaskArn: t.TaskArn, TaskName: t.TaskName, StartTime: t.StartTime, EndTime: t.EndTime, Engagements: t.resultsAt(s.now()),
	}, nil
}

// settleProspecting processes, for the unfinished prospecting tasks of the
// catalog that match, every engagement whose turn has come.
func (s *Service) settleProspecting(ctx context.Context, catalog string, match map[string][]string) error {
	match["status"] = []string{string(api.ProspectingTaskStatusPending), string(api.ProspectingTaskStatusInProgress)}
	due, _, err := docstore.List[prospectingTask](ctx, s.store, store.DocumentQuery{Kind: kindProspectingTask, Catalog: catalog, Match: match})
	if err != nil {
		return internal("list prospecting tasks", err)
	}
	now := s.now()
	for _, t := range due {
		if now.Before(t.nextDue()) {
			continue
		}
		err := s.store.Update(ctx, func(tx store.Tx) error {
			// Read again in the transaction: a concurrent read may have
			// settled it since the listing.
			d, err := docstore.Get[prospectingTask](ctx, tx, kindProspectingTask, catalog, t.TaskId, func() error { return nil })
			if err != nil || d.Value == nil || d.Value.EndTime != nil || now.Before(d.Value.nextDue()) {
				return err
			}
			if err := s.runProspecting(ctx, tx, d.Value, now); err != nil {
				return err
			}
			_, err = docstore.Put(ctx, tx, kindProspectingTask, catalog, d.Value, d.Version)
			return err
		})
		// A conflict means a concurrent read settled it first.
		if err != nil && !apierr.Is(err, apierr.KindConflict) {
			return internal("settle prospecting task", err)
		}
	}
	return nil
}

// runProspecting processes every engagement of t whose turn came by now, in
// order, and closes the task once all are processed: COMPLETED, or FAILED
// when not one engagement could be enriched (the model's "unrecoverable
// error"; AWS does not say more).
func (s *Service) runProspecting(ctx context.Context, tx store.Tx, t *prospectingTask, now time.Time) error {
	t.Status = api.ProspectingTaskStatusInProgress
	for i := range t.Results {
		r := &t.Results[i]
		if settled(*r) {
			continue
		}
		if now.Before(t.finishesAt(i)) {
			return nil
		}
		if err := s.prospect(ctx, tx, t, r, t.finishesAt(i)); err != nil {
			return err
		}
	}
	end := t.endsAt()
	t.EndTime, t.Status = &end, api.ProspectingTaskStatusFailed
	if len(t.Results) == 0 || slices.ContainsFunc(t.Results, func(r api.EngagementProspectingResult) bool { return r.Status == api.ProspectingTaskStatusCompleted }) {
		t.Status = api.ProspectingTaskStatusCompleted
	}
	return nil
}

// prospect enriches one engagement at its processing time at: its Lead
// context gets AWS's LeadReadinessScore, and a ProspectingResult context
// is added — or, for an engagement prospected before, refreshed in place.
// An engagement without a Lead (nothing to enrich) or with no room for
// another context fails alone, with a ReasonCode and a message saying what
// to do.
func (s *Service) prospect(ctx context.Context, tx store.Tx, t *prospectingTask, r *api.EngagementProspectingResult, at time.Time) error {
	fail := func(reason, message string) error {
		r.Status, r.ReasonCode, r.Message = api.ProspectingTaskStatusFailed, &reason, &message
		return nil
	}
	d, err := loadEngagement(ctx, tx, t.Catalog, r.EngagementIdentifier)
	if err != nil {
		return err
	}
	e := d.Value
	if !e.isMember(t.Owner) {
		return fail(prospectingNotAMember, fmt.Sprintf("Account %s is no longer a member of engagement %s.", t.Owner, e.Id))
	}
	lead := slices.IndexFunc(e.Contexts, func(c api.EngagementContextDetails) bool { return c.Type == api.EngagementContextTypeLead })
	if lead < 0 || e.Contexts[lead].Payload == nil || e.Contexts[lead].Payload.Lead == nil {
		return fail(prospectingNoLead, fmt.Sprintf("Engagement %s has no Lead context to enrich. Add one with CreateEngagementContext and start a new task.", e.Id))
	}
	leadCtx := e.Contexts[lead].Payload.Lead
	end := t.endsAt()
	payload := api.EngagementContextPayload{ProspectingResult: &api.ProspectingResult{Aws: &api.ProspectingResultAws{
		Customer: prospectedCustomer(leadCtx), Insights: prospectingInsights(leadCtx),
		StartTime: &at, EndTime: &end, TaskId: &t.TaskId, TaskArn: &t.TaskArn, TaskName: &t.TaskName,
	}}}
	id := ""
	if i := slices.IndexFunc(e.Contexts, func(c api.EngagementContextDetails) bool { return c.Type == api.EngagementContextTypeProspectingResult }); i >= 0 {
		id = deref(e.Contexts[i].Id)
		e.Contexts[i].Payload = &payload
	} else {
		if len(e.Contexts) >= maxContexts {
			return fail(prospectingContextsFull, fmt.Sprintf("Engagement %s already has the maximum of %d contexts, so AWS cannot add its ProspectingResult.", e.Id, maxContexts))
		}
		id = newContextID(e)
		e.Contexts = append(e.Contexts, api.EngagementContextDetails{Id: &id, Type: api.EngagementContextTypeProspectingResult, Payload: &payload})
	}
	leadCtx.Insights = &api.LeadInsights{LeadReadinessScore: ptr(leadReadiness(leadCtx))}
	if _, err := s.saveEngagement(ctx, tx, d, awsParty); err != nil {
		return err
	}
	r.Status, r.EngagementContextId = api.ProspectingTaskStatusCompleted, &id
	return nil
}

// defaultProspectingPage is ListProspectingFromEngagementTasks' page size
// when MaxResults is left out: "service-defined", so the Selling listings'
// usual 20.
const defaultProspectingPage = 20

// ListProspectingFromEngagementTasks pages through the caller's own
// prospecting tasks, newest first unless Sort says otherwise. StartAfter
// is inclusive and StartBefore exclusive, as in ListOpportunities. The
// caller's tasks are few, so they are sorted in memory; a NextToken holds
// the sort key and id of the last task of its page, so a task that does
// not change is never skipped or repeated.
func (s *Service) ListProspectingFromEngagementTasks(ctx context.Context, account string, in *api.ListProspectingFromEngagementTasksRequest) (*api.ListProspectingFromEngagementTasksResponse, error) {
	if err := s.settleProspecting(ctx, in.Catalog, map[string][]string{"owner": {account}}); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListProspectingFromEngagementTasks", in, func(r *api.ListProspectingFromEngagementTasksRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	after, err := s.resumeAt(binding, in.NextToken)
	if err != nil {
		return nil, err
	}
	tasks, _, err := docstore.List[prospectingTask](ctx, s.store, store.DocumentQuery{
		Kind: kindProspectingTask, Catalog: in.Catalog,
		Match: keyFilter(map[string][]string{"owner": {account}, "task": in.TaskIdentifier, "name": in.TaskName}),
	})
	if err != nil {
		return nil, internal("list prospecting tasks", err)
	}
	sort := deref(in.Sort)
	if in.Sort == nil {
		sort = api.ProspectingFromEngagementTaskSort{SortBy: api.ProspectingFromEngagementTaskSortNameStartTime, SortOrder: api.SortOrderDescending}
	}
	type entry struct {
		pos  store.Position
		task *prospectingTask
	}
	var entries []entry
	for _, t := range tasks {
		if in.StartAfter != nil && t.StartTime.Before(*in.StartAfter) || in.StartBefore != nil && !t.StartTime.Before(*in.StartBefore) {
			continue
		}
		entries = append(entries, entry{store.Position{Key: prospectingSortKey(t, sort.SortBy), ID: t.TaskId}, t})
	}
	// before orders positions by key, then id, in the sort's direction.
	before := func(a, b store.Position) bool {
		if a == b {
			return false
		}
		if a.Key != b.Key {
			return (a.Key < b.Key) == (sort.SortOrder == api.SortOrderAscending)
		}
		return (a.ID < b.ID) == (sort.SortOrder == api.SortOrderAscending)
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if before(a.pos, b.pos) {
			return -1
		}
		return 1
	})
	limit := limitOr(in.MaxResults, defaultProspectingPage)
	out := &api.ListProspectingFromEngagementTasksResponse{TaskSummaries: []api.ProspectingTaskSummary{}}
	var last, next *store.Position
	for _, e := range entries {
		if after != nil && !before(*after, e.pos) {
			continue
		}
		if len(out.TaskSummaries) == limit {
			next = last
			break
		}
		out.TaskSummaries = append(out.TaskSummaries, prospectingSummary(e.task))
		last = &e.pos
	}
	if out.NextToken, err = s.continueAt(binding, next); err != nil {
		return nil, err
	}
	return out, nil
}

// prospectingSortKey is where t stands in a listing sorted by by: keys
// that compare as strings in the sort's order. Ties go by start time.
func prospectingSortKey(t *prospectingTask, by api.ProspectingFromEngagementTaskSortName) string {
	started := store.FormatMillis(t.StartTime)
	switch by {
	case api.ProspectingFromEngagementTaskSortNameTaskName:
		return t.TaskName + "\x00" + started
	case api.ProspectingFromEngagementTaskSortNameFailedEngagementCount:
		return fmt.Sprintf("%04d\x00%s", t.count(api.ProspectingTaskStatusFailed), started)
	}
	return started
}

// count is the number of t's engagements in status.
func (t *prospectingTask) count(status api.ProspectingTaskStatus) int32 {
	var n int32
	for _, r := range t.Results {
		if r.Status == status {
			n++
		}
	}
	return n
}

// prospectingSummary is t as ListProspectingFromEngagementTasks shows it.
// CompletedEngagementCount counts the engagements enriched so far.
func prospectingSummary(t *prospectingTask) api.ProspectingTaskSummary {
	return api.ProspectingTaskSummary{
		TaskId: t.TaskId, TaskArn: t.TaskArn, TaskName: t.TaskName, StartTime: t.StartTime, EndTime: t.EndTime,
		TotalEngagementCount: int32(len(t.Results)), CompletedEngagementCount: t.count(api.ProspectingTaskStatusCompleted),
		FailedEngagementCount: t.count(api.ProspectingTaskStatusFailed),
	}
}
