package account

import (
	"context"
	"crypto/rand"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Qualifications association (semantics-2026 §2.1): a subsidiary partner
// shares its qualifications with a primary (acquiring) partner it has an
// ACTIVE SUBSIDIARY connection with. Associating and disassociating are
// tasks: IN_PROGRESS when started, SUCCEEDED once qualificationsTaskTakes
// has passed on the server clock. As with profile update tasks, nothing
// runs in the background: the task (and the association it makes or
// ends) is settled by the next read that finds it due, of either account.
// AWS documents no events for these tasks, and cosell emits none.

const (
	kindQualificationsTask = "qualifications-task"

	// qualificationsTaskTakes is how long a task stays IN_PROGRESS. AWS
	// gives no figure; this keeps a polling client's wait short.
	qualificationsTaskTakes = 5 * time.Second
	// maxAssociatedPartners is the most partners associated under one
	// primary: the model's AssociatedPartnerList maximum.
	maxAssociatedPartners = 6
)

// qualificationsTask is an association or disassociation task as stored.
// Associate says which; Primary is the primary partner it associates with
// or leaves.
type qualificationsTask struct {
	Id         string     `json:"id"`
	Catalog    string     `json:"catalog"`
	Associate  bool       `json:"associate"`
	PartnerId  string     `json:"partnerId"` // the subsidiary's partner
	Subsidiary party      `json:"subsidiary"`
	Primary    party      `json:"primary"`
	StartedAt  time.Time  `json:"startedAt"`
	EndedAt    *time.Time `json:"endedAt,omitempty"`
}

func (t *qualificationsTask) DocID() string         { return t.Id }
func (t *qualificationsTask) DocCreated() time.Time { return t.StartedAt }

// DocKeys: tasks are found by their subsidiary and kind (Get*Task returns
// the latest), by their primary (its group) and, while running, as
// "running" (due to be settled).
func (t *qualificationsTask) DocKeys() map[string][]string {
	k := map[string][]string{"partner": {t.PartnerId + "/" + t.kind()}, "account": {t.Subsidiary.Account}, "primary": {t.Primary.Account}}
	if t.EndedAt == nil {
		k["running"] = []string{"yes"}
	}
	return k
}

func (t *qualificationsTask) kind() string {
	if t.Associate {
		return "associate"
	}
	return "disassociate"
}

// due is whether the task's outcome has come by now.
func (t *qualificationsTask) due(now time.Time) bool {
	return t.EndedAt == nil && !now.Before(t.StartedAt.Add(qualificationsTaskTakes))
}

// newTaskID is prefix and 13 characters of lowercase base32 ([a-z2-7]),
// the form AWS's documentation gives for these task ids.
func newTaskID(prefix string) string {
	const base32 = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = base32[int(b[i])%len(base32)]
	}
	return prefix + string(b)
}

// associationPartner is p as the qualification operations show partners.
func associationPartner(p party) api.QualificationsAssociationPartner {
	return api.QualificationsAssociationPartner{ProfileId: omitEmpty(p.ProfileId), AccountId: &p.Account}
}

func qualificationsInvalid(code api.BusinessValidationCode, msg string) error {
	return apierr.BusinessInvalid(msg, apierr.FieldError{Message: msg, Code: string(code)})
}

// settleQualifications ends, in the catalog, every running task of account
// (as subsidiary or as primary) whose time has come.
func (s *Service) settleQualifications(ctx context.Context, catalog, account string) error {
	now := s.now()
	for _, key := range []string{"account", "primary"} {
		running, _, err := docstore.List[qualificationsTask](ctx, s.store, store.DocumentQuery{
			Kind: kindQualificationsTask, Catalog: catalog, Match: map[string][]string{key: {account}, "running": {"yes"}},
		})
		if err != nil {
			return err
		}
		for _, t := range running {
			if !t.due(now) {
				continue
			}
			err := s.store.Update(ctx, func(tx store.Tx) error {
				d, err := docstore.Get[qualificationsTask](ctx, tx, kindQualificationsTask, catalog, t.Id, func() error { return nil })
				if err != nil || d.Value == nil || !d.Value.due(now) {
					return err
				}
				end := d.Value.StartedAt.Add(qualificationsTaskTakes)
				d.Value.EndedAt = &end
				_, err = docstore.Put(ctx, tx, kindQualificationsTask, catalog, d.Value, d.Version)
				return err
			})
			// A conflict means a concurrent read settled it first.
			if err != nil && !apierr.Is(err, apierr.KindConflict) {
				return err
			}
		}
	}
	return nil
}

// latestQualificationsTask is the subsidiary partner's latest task of one
// kind, or nil.
func latestQualificationsTask(ctx context.Context, r store.Reader, catalog, partnerID string, associate bool) (*qualificationsTask, error) {
	k := (&qualificationsTask{Associate: associate}).kind()
	rows, _, err := docstore.List[qualificationsTask](ctx, r, store.DocumentQuery{
		Kind: kindQualificationsTask, Catalog: catalog, Match: map[string][]string{"partner": {partnerID + "/" + k}}, Descending: true, Limit: 1,
	})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0], nil
}

// association is where a partner stands: the primary it is associated
// with (its own party when it is the primary) and the partners associated
// under that primary. An association exists from the SUCCEEDED association
// task until a later disassociation task SUCCEEDS; a running task changes
// nothing yet.
type association struct {
	primary      *party
	subsidiary   bool // the partner is associated under primary
	subsidiaries []party
	updatedAt    time.Time
}

// currentPrimary is the primary the subsidiary partner is associated with
// now, and since when; nil when it is not associated.
func currentPrimary(ctx context.Context, r store.Reader, catalog, partnerID string) (*party, time.Time, error) {
	assoc, err := latestQualificationsTask(ctx, r, catalog, partnerID, true)
	if err != nil || assoc == nil || assoc.EndedAt == nil {
		return nil, time.Time{}, err
	}
	dis, err := latestQualificationsTask(ctx, r, catalog, partnerID, false)
	if err != nil {
		return nil, time.Time{}, err
	}
	if dis != nil && dis.EndedAt != nil && dis.StartedAt.After(assoc.StartedAt) {
		return nil, time.Time{}, nil
	}
	return &assoc.Primary, *assoc.EndedAt, nil
}

// groupOf lists the partners currently associated under the primary
// account, and when the group last changed.
func groupOf(ctx context.Context, r store.Reader, catalog, primaryAccount string) ([]party, time.Time, error) {
	tasks, _, err := docstore.List[qualificationsTask](ctx, r, store.DocumentQuery{
		Kind: kindQualificationsTask, Catalog: catalog, Match: map[string][]string{"primary": {primaryAccount}},
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	var members []party
	var updated time.Time
	seen := map[string]bool{}
	for _, t := range tasks {
		if seen[t.PartnerId] {
			continue
		}
		seen[t.PartnerId] = true
		p, since, err := currentPrimary(ctx, r, catalog, t.PartnerId)
		if err != nil {
			return nil, time.Time{}, err
		}
		if p != nil && p.Account == primaryAccount {
			members = append(members, t.Subsidiary)
			if since.After(updated) {
				updated = since
			}
		}
	}
	return members, updated, nil
}

// associationOf is where partner p stands.
func associationOf(ctx context.Context, r store.Reader, p *partnerRecord) (association, error) {
	primary, since, err := currentPrimary(ctx, r, p.Catalog, p.Id)
	if err != nil {
		return association{}, err
	}
	a := association{primary: primary, subsidiary: primary != nil, updatedAt: since}
	owner := p.Account
	if primary != nil {
		owner = primary.Account
	}
	members, updated, err := groupOf(ctx, r, p.Catalog, owner)
	if err != nil {
		return association{}, err
	}
	if primary == nil && len(members) > 0 {
		me := partyOf(p)
		a.primary = &me
	}
	a.subsidiaries, a.updatedAt = members, updated
	return a, nil
}

// StartQualificationsAssociationTask asks for the caller's qualifications
// to be associated with a primary partner. The checks, in order, and the
// codes they raise (the model names the codes, not when each applies;
// these follow their names): the primary named by neither or by two
// different ids, or the caller itself → INCOMPATIBLE_PRIMARY_PARTNER; an
// unknown primary → ResourceNotFound PARTNER_NOT_FOUND; a task of the
// caller still running → Conflict INCOMPATIBLE_QUALIFICATIONS_ASSOCIATION_TASK_STATE;
// the caller already associated, or itself a primary with partners under
// it → QUALIFICATIONS_ASSOCIATION_EXISTS; a primary that is itself
// associated under another → INCOMPATIBLE_PRIMARY_PARTNER; no live
// connection between the two → MISSING_ACTIVE_SUBSIDIARY_CONNECTION; a
// connection without an ACTIVE SUBSIDIARY type → INCOMPATIBLE_SUBSIDIARY_CONNECTION;
// a primary with the most partners under it → QUALIFICATIONS_ASSOCIATION_LIMIT_EXCEEDED.
func (s *Service) StartQualificationsAssociationTask(ctx context.Context, account string, in *api.StartQualificationsAssociationTaskRequest) (*api.StartQualificationsAssociationTaskResponse, error) {
	if err := s.settleQualifications(ctx, in.Catalog, account); err != nil {
		return nil, err
	}
	return once(ctx, s, scopeOf(account, in.Catalog), "StartQualificationsAssociationTask", in.ClientToken, in, func(tx store.Tx) (*api.StartQualificationsAssociationTaskResponse, error) {
		me, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		primary, err := namedPartner(ctx, tx, in.Catalog, in.PrimaryPartner)
		if err != nil {
			return nil, err
		}
		if primary.Account == account {
			return nil, qualificationsInvalid(api.BusinessValidationCodeIncompatiblePrimaryPartner, "You cannot name yourself as the primary partner.")
		}
		if err := noRunningTask(ctx, tx, me.Value); err != nil {
			return nil, err
		}
		mine, err := associationOf(ctx, tx, me.Value)
		if err != nil {
			return nil, err
		}
		if mine.primary != nil {
			return nil, qualificationsInvalid(api.BusinessValidationCodeQualificationsAssociationExists,
				"Your qualifications are already associated with primary partner "+mine.primary.Account+"; disassociate them first.")
		}
		if err := s.checkPrimary(ctx, tx, in.Catalog, account, primary); err != nil {
			return nil, err
		}
		t := &qualificationsTask{
			Id: newTaskID("pqatask-"), Catalog: in.Catalog, Associate: true, PartnerId: me.Value.Id,
			Subsidiary: partyOf(me.Value), Primary: partyOf(primary), StartedAt: s.now(),
		}
		if _, err := docstore.Put(ctx, tx, kindQualificationsTask, in.Catalog, t, 0); err != nil {
			return nil, err
		}
		v := associationTaskView(me.Value, t)
		return &api.StartQualificationsAssociationTaskResponse{Catalog: v.Catalog, Arn: v.Arn, Id: v.Id, TaskId: v.TaskId, Status: v.Status, PrimaryPartner: v.PrimaryPartner, StartedAt: v.StartedAt}, nil
	})
}

// checkPrimary checks that primary can take account's qualifications.
func (s *Service) checkPrimary(ctx context.Context, r store.Reader, catalog, account string, primary *partnerRecord) error {
	theirs, err := associationOf(ctx, r, primary)
	if err != nil {
		return err
	}
	if theirs.subsidiary {
		return qualificationsInvalid(api.BusinessValidationCodeIncompatiblePrimaryPartner,
			"Partner "+primary.Account+" is itself associated under primary partner "+theirs.primary.Account+", so it cannot be a primary.")
	}
	conn, found, err := liveConnection(ctx, r, catalog, account, primary.Account)
	if err != nil {
		return err
	}
	if !found {
		return qualificationsInvalid(api.BusinessValidationCodeMissingActiveSubsidiaryConnection,
			"You need an active SUBSIDIARY connection with partner "+primary.Account+" to associate your qualifications with it.")
	}
	if !conn.Value.active(api.ConnectionTypeSubsidiary) {
		return qualificationsInvalid(api.BusinessValidationCodeIncompatibleSubsidiaryConnection,
			"Your connection with partner "+primary.Account+" has no active SUBSIDIARY connection type.")
	}
	if len(theirs.subsidiaries) >= maxAssociatedPartners {
		return qualificationsInvalid(api.BusinessValidationCodeQualificationsAssociationLimitExceeded,
			"Primary partner "+primary.Account+" already has the most associated partners allowed.")
	}
	return nil
}

// namedPartner is the partner a QualificationsAssociationPartner names by
// profile id, account id or both (which must then agree).
func namedPartner(ctx context.Context, r store.Reader, catalog string, p api.QualificationsAssociationPartner) (*partnerRecord, error) {
	var found *partnerRecord
	for key, value := range map[string]*string{"profile": p.ProfileId, "account": p.AccountId} {
		if value == nil {
			continue
		}
		d, err := findPartner(ctx, r, catalog, key, *value)
		if err != nil {
			return nil, err
		}
		if found != nil && found.Id != d.Value.Id {
			return nil, qualificationsInvalid(api.BusinessValidationCodeIncompatiblePrimaryPartner, "ProfileId and AccountId name different partners.")
		}
		found = d.Value
	}
	if found == nil {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "ProfileId", Code: "REQUIRED_FIELD_MISSING", Message: "Give at least one of ProfileId and AccountId."})
	}
	return found, nil
}

// noRunningTask refuses a new task while one of p's is still running.
func noRunningTask(ctx context.Context, r store.Reader, p *partnerRecord) error {
	for _, associate := range []bool{true, false} {
		t, err := latestQualificationsTask(ctx, r, p.Catalog, p.Id, associate)
		if err != nil {
			return err
		}
		if t != nil && t.EndedAt == nil {
			return apierr.Conflict("Qualifications task %s is still in progress.", t.Id).
				WithReason(string(api.ConflictExceptionReasonIncompatibleQualificationsAssociationTaskState))
		}
	}
	return nil
}

// StartQualificationsDisassociationTask asks for the caller's
// qualifications to leave its primary partner. A caller that is not
// associated gets QUALIFICATIONS_ASSOCIATION_NOT_FOUND; the primary itself
// cannot leave (INCOMPATIBLE_PRIMARY_PARTNER), nor can a caller name a
// partner other than its primary (INCOMPATIBLE_PRIMARY_PARTNER).
func (s *Service) StartQualificationsDisassociationTask(ctx context.Context, account string, in *api.StartQualificationsDisassociationTaskRequest) (*api.StartQualificationsDisassociationTaskResponse, error) {
	if err := s.settleQualifications(ctx, in.Catalog, account); err != nil {
		return nil, err
	}
	return once(ctx, s, scopeOf(account, in.Catalog), "StartQualificationsDisassociationTask", in.ClientToken, in, func(tx store.Tx) (*api.StartQualificationsDisassociationTaskResponse, error) {
		me, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		named, err := namedPartner(ctx, tx, in.Catalog, in.AssociatedPartner)
		if err != nil {
			return nil, err
		}
		if err := noRunningTask(ctx, tx, me.Value); err != nil {
			return nil, err
		}
		mine, err := associationOf(ctx, tx, me.Value)
		if err != nil {
			return nil, err
		}
		switch {
		case mine.primary == nil:
			return nil, qualificationsInvalid(api.BusinessValidationCodeQualificationsAssociationNotFound, "Your qualifications are not associated with a primary partner.")
		case !mine.subsidiary:
			return nil, qualificationsInvalid(api.BusinessValidationCodeIncompatiblePrimaryPartner, "You are the primary partner; only associated partners can disassociate.")
		case named.Account != mine.primary.Account:
			return nil, qualificationsInvalid(api.BusinessValidationCodeIncompatiblePrimaryPartner,
				"Your qualifications are associated with primary partner "+mine.primary.Account+", not "+named.Account+".")
		}
		t := &qualificationsTask{
			Id: newTaskID("pqdtask-"), Catalog: in.Catalog, PartnerId: me.Value.Id,
			Subsidiary: partyOf(me.Value), Primary: *mine.primary, StartedAt: s.now(),
		}
		if _, err := docstore.Put(ctx, tx, kindQualificationsTask, in.Catalog, t, 0); err != nil {
			return nil, err
		}
		v := disassociationTaskView(me.Value, t)
		return &api.StartQualificationsDisassociationTaskResponse{Catalog: v.Catalog, Arn: v.Arn, Id: v.Id, TaskId: v.TaskId, Status: v.Status, AssociatedPartner: v.AssociatedPartner, StartedAt: v.StartedAt}, nil
	})
}

// GetQualificationsAssociationTask returns the caller's latest association
// task; without one, ResourceNotFound QUALIFICATIONS_ASSOCIATION_TASK_NOT_FOUND.
func (s *Service) GetQualificationsAssociationTask(ctx context.Context, account string, in *api.GetQualificationsAssociationTaskRequest) (*api.GetQualificationsAssociationTaskResponse, error) {
	me, t, err := s.latestTaskOf(ctx, account, in.Catalog, in.Identifier, true)
	if err != nil {
		return nil, err
	}
	return associationTaskView(me, t), nil
}

// GetQualificationsDisassociationTask returns the caller's latest
// disassociation task; without one, ResourceNotFound
// QUALIFICATIONS_DISASSOCIATION_TASK_NOT_FOUND.
func (s *Service) GetQualificationsDisassociationTask(ctx context.Context, account string, in *api.GetQualificationsDisassociationTaskRequest) (*api.GetQualificationsDisassociationTaskResponse, error) {
	me, t, err := s.latestTaskOf(ctx, account, in.Catalog, in.Identifier, false)
	if err != nil {
		return nil, err
	}
	return disassociationTaskView(me, t), nil
}

func (s *Service) latestTaskOf(ctx context.Context, account, catalog, identifier string, associate bool) (*partnerRecord, *qualificationsTask, error) {
	if err := s.settleQualifications(ctx, catalog, account); err != nil {
		return nil, nil, err
	}
	me, err := s.identifiedPartner(ctx, s.store, account, catalog, identifier)
	if err != nil {
		return nil, nil, err
	}
	t, err := latestQualificationsTask(ctx, s.store, catalog, me.Value.Id, associate)
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		reason := api.ResourceNotFoundExceptionReasonQualificationsDisassociationTaskNotFound
		if associate {
			reason = api.ResourceNotFoundExceptionReasonQualificationsAssociationTaskNotFound
		}
		return nil, nil, apierr.NotFound("Partner %s has no qualifications %s task.", me.Value.Id, (&qualificationsTask{Associate: associate}).kind()).WithReason(string(reason))
	}
	return me.Value, t, nil
}

// GetQualificationsAssociationDetails is where the caller stands: both
// sides see ASSOCIATED, the primary too once partners are associated under
// it (AWS does not say; "the full list of partners associated under the
// primary partner" is as much the primary's business). NOT_ASSOCIATED
// leaves PrimaryPartner, AssociatedPartners and UpdatedAt out.
func (s *Service) GetQualificationsAssociationDetails(ctx context.Context, account string, in *api.GetQualificationsAssociationDetailsRequest) (*api.GetQualificationsAssociationDetailsResponse, error) {
	if err := s.settleQualifications(ctx, in.Catalog, account); err != nil {
		return nil, err
	}
	me, err := s.identifiedPartner(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	a, err := associationOf(ctx, s.store, me.Value)
	if err != nil {
		return nil, err
	}
	out := &api.GetQualificationsAssociationDetailsResponse{Catalog: in.Catalog, Arn: me.Value.Arn, Id: me.Value.Id, Status: api.QualificationsAssociationStatusNotAssociated}
	if a.primary == nil {
		return out, nil
	}
	primary := associationPartner(*a.primary)
	out.Status, out.PrimaryPartner, out.UpdatedAt = api.QualificationsAssociationStatusAssociated, &primary, &a.updatedAt
	out.AssociatedPartners = []api.QualificationsAssociationPartner{}
	for _, p := range a.subsidiaries {
		out.AssociatedPartners = append(out.AssociatedPartners, associationPartner(p))
	}
	return out, nil
}

func associationTaskView(p *partnerRecord, t *qualificationsTask) *api.GetQualificationsAssociationTaskResponse {
	out := &api.GetQualificationsAssociationTaskResponse{
		Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, TaskId: t.Id, Status: api.QualificationsAssociationTaskStatusInProgress,
		PrimaryPartner: associationPartner(t.Primary), StartedAt: t.StartedAt, EndedAt: t.EndedAt,
	}
	if t.EndedAt != nil {
		out.Status = api.QualificationsAssociationTaskStatusSucceeded
	}
	return out
}

func disassociationTaskView(p *partnerRecord, t *qualificationsTask) *api.GetQualificationsDisassociationTaskResponse {
	out := &api.GetQualificationsDisassociationTaskResponse{
		Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, TaskId: t.Id, Status: api.QualificationsDisassociationTaskStatusInProgress,
		AssociatedPartner: associationPartner(t.Primary), StartedAt: t.StartedAt, EndedAt: t.EndedAt,
	}
	if t.EndedAt != nil {
		out.Status = api.QualificationsDisassociationTaskStatusSucceeded
	}
	return out
}
