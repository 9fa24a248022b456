package revenue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// allocationRecord is one attribution allocation and its versions, each
// made by the completed task that created or updated it.
type allocationRecord struct {
	Id       string              `json:"id"`
	Created  time.Time           `json:"created"`
	Versions []allocationVersion `json:"versions"` // by ascending Revision
}

type allocationVersion struct {
	Revision             int                  `json:"revision"`
	EntityType           api.EntityType       `json:"entityType"`
	EntityIdentifier     string               `json:"entityIdentifier"`
	CustomerAwsAccountId string               `json:"customerAwsAccountId"`
	Percent              string               `json:"percent"`
	From                 string               `json:"from"`
	Until                string               `json:"until"`
	Status               api.AllocationStatus `json:"status"`
	Modified             time.Time            `json:"modified"`
}

// at is the allocation's version as of revision n; ok is false when it
// did not exist yet.
func (a *allocationRecord) at(n int) (allocationVersion, bool) {
	var v allocationVersion
	ok := false
	for _, ver := range a.Versions {
		if ver.Revision > n {
			break
		}
		v, ok = ver, true
	}
	return v, ok
}

// taskRecord is an allocation task. Only the latest task of an
// attribution is kept: GetRevenueAttributionAllocationsTask is keyed by the
// attribution, with no task id, so no other task can be read.
type taskRecord struct {
	Id           string                                        `json:"id"`
	Status       api.RevenueAttributionAllocationTaskStatus    `json:"status"`
	StartedAt    time.Time                                     `json:"startedAt"`
	EndedAt      *time.Time                                    `json:"endedAt,omitempty"`
	Description  *string                                       `json:"description,omitempty"`
	Records      []api.RevenueShareAllocation                  `json:"records"`
	Errors       []api.RevenueAttributionAllocationErrorDetail `json:"errors,omitempty"`
	NewRevision  *string                                       `json:"newRevision,omitempty"`
	ForcedResult *forcedResult                                 `json:"forcedResult,omitempty"`
}

// forcedResult is the AWS side's word on a task (SettleTask): process it
// now, and fail every record with ErrorCode when one is given.
type forcedResult struct {
	ErrorCode api.RevenueAttributionAllocationErrorCode `json:"errorCode"`
	Message   string                                    `json:"message"`
}

// TaskProcessingTime is how long, by the server clock, AWS takes to process
// an allocation task in cosell. AWS documents asynchronous processing and
// no duration; two seconds keep a task visibly IN_PROGRESS for a polling
// client, and tests advance the clock (or settle it from the AWS side).
const TaskProcessingTime = 2 * time.Second

// StartRevenueAttributionAllocationsTask queues a batch of allocation
// changes. Only the request's shape and the attribution's revision (the
// optimistic lock) are checked now; the business rules run when the task
// is processed, and it fails as a whole, listing every record's error, as
// the model encodes the outcome (see settleTask).
func (s *Service) StartRevenueAttributionAllocationsTask(ctx context.Context, account string, in *api.StartRevenueAttributionAllocationsTaskInput) (*api.StartRevenueAttributionAllocationsTaskOutput, error) {
	now := s.now()
	return run(ctx, s, scopeOf(account, in.Catalog), "StartRevenueAttributionAllocationsTask", in.ClientToken, in, func(tx store.Tx) (*api.StartRevenueAttributionAllocationsTaskOutput, error) {
		d, err := s.loadAttribution(ctx, tx, account, in.Catalog, in.RevenueAttributionIdentifier)
		if err != nil {
			return nil, err
		}
		a := d.Value
		if a.Task != nil && a.Task.Status == api.RevenueAttributionAllocationTaskStatusInProgress {
			return nil, conflict(api.ConflictExceptionReasonConcurrentModification,
				"Allocation task %s of %s is still in progress; poll it until it ends.", a.Task.Id, a.Id)
		}
		if in.RevenueAttributionRevision != revision(a.latest()) {
			return nil, revisionMismatch(a.Id, in.RevenueAttributionRevision, a.latest())
		}
		a.Task = &taskRecord{Id: docstore.NewID("raatask-", 13), Status: api.RevenueAttributionAllocationTaskStatusInProgress,
			StartedAt: now, Description: in.Description, Records: in.RevenueShareAllocations}
		if _, err := docstore.Put(ctx, tx, kindAttribution, string(in.Catalog), a, d.Version); err != nil {
			return nil, err
		}
		return &api.StartRevenueAttributionAllocationsTaskOutput{TaskId: a.Task.Id, Status: a.Task.Status, Catalog: a.Catalog,
			RevenueAttributionArn: a.Arn, StartedAt: now, TotalRevenueAttributionAllocationRecords: int32(len(a.Task.Records))}, nil
	})
}

// GetRevenueAttributionAllocationsTask reads the attribution's latest task.
func (s *Service) GetRevenueAttributionAllocationsTask(ctx context.Context, account string, in *api.GetRevenueAttributionAllocationsTaskInput) (*api.GetRevenueAttributionAllocationsTaskOutput, error) {
	var out *api.GetRevenueAttributionAllocationsTaskOutput
	err := s.read(ctx, account, in.Catalog, in.RevenueAttributionIdentifier, func(a *attributionRecord) error {
		t := a.Task
		if t == nil {
			return notFound("Revenue attribution %s has no allocation task.", a.Id)
		}
		out = &api.GetRevenueAttributionAllocationsTaskOutput{TaskId: t.Id, Status: t.Status, Catalog: a.Catalog,
			RevenueAttributionArn: a.Arn, StartedAt: t.StartedAt, EndedAt: t.EndedAt,
			TotalRevenueAttributionAllocationRecords: int32(len(t.Records)), Description: t.Description,
			RevenueAttributionLatestRevision: t.NewRevision, ErrorDetailList: t.Errors}
		return nil
	})
	return out, err
}

// settleTask processes the attribution's task once its processing time
// has passed, and reports whether the record changed. It is the one place
// a task's outcome is decided.
func (s *Service) settleTask(ctx context.Context, r store.Reader, a *attributionRecord) bool {
	if !s.taskDue(a) {
		return false
	}
	t := a.Task
	due := t.StartedAt.Add(TaskProcessingTime)
	if t.ForcedResult != nil {
		due = s.now()
	}
	t.EndedAt = &due
	errs := s.checkTask(ctx, r, a, due)
	if t.ForcedResult != nil && t.ForcedResult.ErrorCode != "" {
		errs = make([]api.RevenueAttributionAllocationErrorDetail, len(t.Records))
		for i, rec := range t.Records {
			errs[i] = errorDetail(rec, t.ForcedResult.ErrorCode, t.ForcedResult.Message)
		}
	}
	if len(errs) > 0 {
		t.Status, t.Errors = api.RevenueAttributionAllocationTaskStatusFailed, errs
		return true
	}
	applyTask(a, due)
	t.Status, t.NewRevision = api.RevenueAttributionAllocationTaskStatusComplete, ptr(revision(a.latest()))
	return true
}

// taskDue reports whether the attribution's task is to be settled now.
func (s *Service) taskDue(a *attributionRecord) bool {
	t := a.Task
	return t != nil && t.Status == api.RevenueAttributionAllocationTaskStatusInProgress &&
		(t.ForcedResult != nil || !s.now().Before(t.StartedAt.Add(TaskProcessingTime)))
}

// applyTask makes the next revision: the description carries over, every
// record creates an allocation or a new version of one.
func applyTask(a *attributionRecord, at time.Time) {
	n := a.latest() + 1
	a.Revisions = append(a.Revisions, attributionRevision{Description: a.Revisions[n-2].Description, Modified: at})
	for _, rec := range a.Task.Records {
		v := allocationVersion{Revision: n, EntityType: rec.EntityType, EntityIdentifier: rec.EntityIdentifier,
			CustomerAwsAccountId: rec.CustomerAwsAccountId, Percent: rec.RevenueSharePercent, From: rec.EffectiveFrom,
			Until: rec.EffectiveUntil, Status: api.AllocationStatusActive, Modified: at}
		if rec.Status != nil {
			v.Status = *rec.Status
		}
		if rec.Action == api.RevenueAttributionAllocationActionUpdate {
			al := a.allocation(deref(rec.RevenueAttributionAllocationId))
			al.Versions = append(al.Versions, v)
			continue
		}
		a.Allocations = append(a.Allocations, &allocationRecord{Id: docstore.NewID("alloc-", 13), Created: at, Versions: []allocationVersion{v}})
	}
}

func (a *attributionRecord) allocation(id string) *allocationRecord {
	for _, al := range a.Allocations {
		if al.Id == id {
			return al
		}
	}
	return nil
}

func errorDetail(rec api.RevenueShareAllocation, code api.RevenueAttributionAllocationErrorCode, msg string) api.RevenueAttributionAllocationErrorDetail {
	return api.RevenueAttributionAllocationErrorDetail{RevenueAttributionAllocationId: rec.RevenueAttributionAllocationId,
		EntityType: rec.EntityType, EntityId: rec.EntityIdentifier, CustomerAwsAccountId: rec.CustomerAwsAccountId,
		EffectiveFrom: rec.EffectiveFrom, EffectiveUntil: rec.EffectiveUntil, Action: rec.Action, ErrorCode: code, ErrorMessage: msg}
}

// firstEditableMonth is the earliest billing month a task may still
// change at the given time: the current one, and the previous one until
// the 7th of the current month (AWS's Developer Guide), by the server clock.
func firstEditableMonth(at time.Time) time.Time {
	month := firstOfMonth(at)
	if at.Day() <= 7 {
		return month.AddDate(0, -1, 0)
	}
	return month
}

// checkTask applies the business rules to every record and returns every
// error found; none means the task completes. The model makes the outcome
// all-or-nothing (ErrorDetailList only when FAILED, a new revision only
// when COMPLETE); the Developer Guide's per-record RecordResults, which the
// model lacks, are not sent.
func (s *Service) checkTask(ctx context.Context, r store.Reader, a *attributionRecord, at time.Time) []api.RevenueAttributionAllocationErrorDetail {
	var errs []api.RevenueAttributionAllocationErrorDetail
	fail := func(rec api.RevenueShareAllocation, code api.RevenueAttributionAllocationErrorCode, format string, args ...any) {
		errs = append(errs, errorDetail(rec, code, fmt.Sprintf(format, args...)))
	}
	editable := firstEditableMonth(at)
	latest := a.latest()
	// months: the ACTIVE percentage per billing month once the task applies.
	type span struct {
		from, until time.Time
		percent     int
		status      api.AllocationStatus
	}
	spans := map[string]span{} // by allocation id; new ones by record index
	for _, al := range a.Allocations {
		v, _ := al.at(latest)
		from, _ := time.Parse(dateLayout, v.From)
		until, _ := time.Parse(dateLayout, v.Until)
		p, _ := parsePercent(v.Percent)
		spans[al.Id] = span{from, until, p, v.Status}
	}
	updated := map[string]bool{}
	valid := make([]bool, len(a.Task.Records))
	for i, rec := range a.Task.Records {
		from, errFrom := time.Parse(dateLayout, rec.EffectiveFrom)
		until, errUntil := time.Parse(dateLayout, rec.EffectiveUntil)
		percent, okPercent := parsePercent(rec.RevenueSharePercent)
		id := deref(rec.RevenueAttributionAllocationId)
		switch {
		case rec.Action == api.RevenueAttributionAllocationActionCreate && id != "":
			fail(rec, api.RevenueAttributionAllocationErrorCodeInvalidValue, "A CREATE record must not name an allocation id.")
		case rec.Action == api.RevenueAttributionAllocationActionUpdate && id == "":
			fail(rec, api.RevenueAttributionAllocationErrorCodeInvalidValue, "An UPDATE record must name the allocation it changes.")
		case rec.Action == api.RevenueAttributionAllocationActionUpdate && a.allocation(id) == nil:
			fail(rec, api.RevenueAttributionAllocationErrorCodeResourceNotFound, "Allocation %s is not an allocation of %s.", id, a.Id)
		case updated[id]:
			fail(rec, api.RevenueAttributionAllocationErrorCodeInvalidValue, "Allocation %s is updated twice in one task.", id)
		case errFrom != nil || errUntil != nil || !isFirstOfMonth(from) || !isLastOfMonth(until) || until.Before(from):
			fail(rec, api.RevenueAttributionAllocationErrorCodeInvalidValue,
				"EffectiveFrom must be the first day of a month and EffectiveUntil the last day of the same or a later month; got %s to %s.", rec.EffectiveFrom, rec.EffectiveUntil)
		case !okPercent:
			fail(rec, api.RevenueAttributionAllocationErrorCodeInvalidValue, "RevenueSharePercent %s must be more than 0 and at most 100.", rec.RevenueSharePercent)
		case from.Before(editable) || (id != "" && spans[id].from.Before(editable)):
			fail(rec, api.RevenueAttributionAllocationErrorCodeImmutableAllocation,
				"Billing months before %s can no longer change: the previous month is editable until the 7th.", editable.Format("2006-01"))
		case rec.EntityType == api.EntityTypeOpportunity && !s.opportunityExists(ctx, r, a, rec.EntityIdentifier):
			fail(rec, api.RevenueAttributionAllocationErrorCodeResourceNotFound, "Opportunity %s was not found in the %s catalog.", rec.EntityIdentifier, a.Catalog)
		default:
			valid[i] = true
			status := api.AllocationStatusActive
			if rec.Status != nil {
				status = *rec.Status
			}
			key := id
			if key == "" {
				key = fmt.Sprintf("#%d", i)
			}
			updated[id] = id != ""
			spans[key] = span{from, until, percent, status}
		}
	}
	// The cap: at most 100 % ACTIVE per billing month; every valid record
	// touching a month over it fails.
	perMonth := map[time.Time]int{}
	for _, sp := range spans {
		if sp.status != api.AllocationStatusActive {
			continue
		}
		for m := firstOfMonth(sp.from); !m.After(sp.until); m = m.AddDate(0, 1, 0) {
			perMonth[m] += sp.percent
		}
	}
	for i, rec := range a.Task.Records {
		if !valid[i] {
			continue
		}
		from, _ := time.Parse(dateLayout, rec.EffectiveFrom)
		until, _ := time.Parse(dateLayout, rec.EffectiveUntil)
		for m := from; !m.After(until); m = m.AddDate(0, 1, 0) {
			if perMonth[m] > 100*100 {
				fail(rec, api.RevenueAttributionAllocationErrorCodeAllocationCapExceeded,
					"Active allocations of %s would total %s %% in %s; at most 100 %% is allowed.", a.Id, percentText(perMonth[m]), m.Format("2006-01"))
				break
			}
		}
	}
	return errs
}

// opportunityExists checks an OPPORTUNITY entity against the caller's
// opportunities (Selling API) in the attribution's catalog.
func (s *Service) opportunityExists(ctx context.Context, r store.Reader, a *attributionRecord, id string) bool {
	_, err := r.GetOpportunity(ctx, store.Scope{Account: a.Account, Catalog: string(a.Catalog)}, id)
	return err == nil
}

func percentText(hundredths int) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100), "0"), ".")
}

// GetRevenueAttributionAllocation reads one allocation, at the
// attribution's latest revision or the one asked for.
func (s *Service) GetRevenueAttributionAllocation(ctx context.Context, account string, in *api.GetRevenueAttributionAllocationInput) (*api.GetRevenueAttributionAllocationOutput, error) {
	var out *api.GetRevenueAttributionAllocationOutput
	err := s.read(ctx, account, in.Catalog, in.RevenueAttributionIdentifier, func(a *attributionRecord) error {
		n, err := a.at(in.RevenueAttributionRevision)
		if err != nil {
			return err
		}
		al := a.allocation(in.RevenueAttributionAllocationId)
		var v allocationVersion
		ok := false
		if al != nil {
			v, ok = al.at(n)
		}
		if !ok {
			return notFound("Allocation %s was not found in %s at revision %d.", in.RevenueAttributionAllocationId, a.Id, n)
		}
		out = &api.GetRevenueAttributionAllocationOutput{RevenueAttributionAllocationId: al.Id, RevenueAttributionIdentifier: a.Id,
			EntityType: v.EntityType, EntityIdentifier: v.EntityIdentifier, CustomerAwsAccountId: v.CustomerAwsAccountId,
			RevenueSharePercent: v.Percent, EffectiveFrom: v.From, EffectiveUntil: v.Until, Status: v.Status,
			CreatedDate: al.Created, LastModifiedDate: v.Modified, RevenueAttributionRevision: revision(n),
			RevenueAttributionLatestRevision: revision(a.latest())}
		return nil
	})
	return out, err
}

// ListRevenueAttributionAllocations lists the allocations committed at the
// attribution's latest revision or the one asked for. After* bounds are
// inclusive and Before* exclusive, as the model documents; the order is
// EffectiveFrom, ASCENDING by default.
func (s *Service) ListRevenueAttributionAllocations(ctx context.Context, account string, in *api.ListRevenueAttributionAllocationsInput) (*api.ListRevenueAttributionAllocationsOutput, error) {
	var rows []api.RevenueAttributionAllocationSummary
	err := s.read(ctx, account, in.Catalog, in.RevenueAttributionIdentifier, func(a *attributionRecord) error {
		n, err := a.at(in.RevenueAttributionRevision)
		if err != nil {
			return err
		}
		v := a.view(n)
		for i, al := range v.allocations {
			if !matchAllocation(in, al) {
				continue
			}
			rows = append(rows, api.RevenueAttributionAllocationSummary{RevenueAttributionAllocationId: v.ids[i], RevenueAttributionIdentifier: a.Id,
				EntityType: al.EntityType, EntityIdentifier: al.EntityIdentifier, CustomerAwsAccountId: al.CustomerAwsAccountId,
				RevenueSharePercent: al.Percent, EffectiveFrom: al.From, EffectiveUntil: al.Until, Status: al.Status})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	desc := in.SortOrder != nil && *in.SortOrder == api.SortOrderDescending
	slices.SortStableFunc(rows, func(x, y api.RevenueAttributionAllocationSummary) int {
		c := strings.Compare(x.EffectiveFrom, y.EffectiveFrom)
		if c == 0 {
			c = strings.Compare(x.RevenueAttributionAllocationId, y.RevenueAttributionAllocationId)
		}
		if desc {
			return -c
		}
		return c
	})
	page, next, err := pageOf(s, bindingOf("ListRevenueAttributionAllocations", account, in), rows, in.NextToken, in.MaxResults, listDefaultSize)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []api.RevenueAttributionAllocationSummary{}
	}
	return &api.ListRevenueAttributionAllocationsOutput{RevenueAttributionAllocationSummaries: page, NextToken: next}, nil
}

func matchAllocation(in *api.ListRevenueAttributionAllocationsInput, v allocationVersion) bool {
	return (len(in.EntityTypeFilters) == 0 || slices.Contains(in.EntityTypeFilters, v.EntityType)) &&
		(len(in.EntityIdentifierFilters) == 0 || slices.Contains(in.EntityIdentifierFilters, v.EntityIdentifier)) &&
		(len(in.CustomerAwsAccountIdFilters) == 0 || slices.Contains(in.CustomerAwsAccountIdFilters, v.CustomerAwsAccountId)) &&
		(in.StatusFilter == nil || *in.StatusFilter == v.Status) &&
		dateIn(v.From, in.AfterEffectiveFrom, in.BeforeEffectiveFrom) && dateIn(v.Until, in.AfterEffectiveUntil, in.BeforeEffectiveUntil)
}

// dateIn applies an inclusive after and an exclusive before bound to a
// YYYY-MM-DD date (such dates order as text).
func dateIn(d string, after, before *string) bool {
	return (after == nil || d >= *after) && (before == nil || d < *before)
}
