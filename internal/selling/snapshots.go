package selling

import (
	"context"
	"fmt"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// snapshotView names one sequence of revisions: a resource of an engagement
// seen through a template. Revisions count 1, 2, 3... within it.
type snapshotView struct {
	Engagement   string
	ResourceType api.ResourceType
	ResourceId   string
	Template     string
}

func (v snapshotView) key() string {
	return v.Engagement + "/" + string(v.ResourceType) + "/" + v.ResourceId + "/" + v.Template
}

// snapshotRecord is one immutable revision of a resource snapshot.
type snapshotRecord struct {
	Arn       string          `json:"arn"`
	Catalog   string          `json:"catalog"`
	View      snapshotView    `json:"view"`
	Revision  int32           `json:"revision"`
	CreatedAt time.Time       `json:"createdAt"`
	CreatedBy string          `json:"createdBy"`
	Payload   snapshotPayload `json:"payload"`
}

// documentID zero-pads the revision so a view's revisions sort by number.
func (r *snapshotRecord) DocID() string         { return snapshotID(r.View, r.Revision) }
func (r *snapshotRecord) DocCreated() time.Time { return r.CreatedAt }

func snapshotID(v snapshotView, revision int32) string {
	return fmt.Sprintf("%s/%010d", v.key(), revision)
}

// everyMember is the "reader" key of a snapshot all engagement members see.
// It cannot clash with an account id.
const everyMember = "*"

// keys serve ListResourceSnapshots' filters, the latest-revision lookup
// ("view") and visibility ("reader": every member, or only the creator).
func (r *snapshotRecord) DocKeys() map[string][]string {
	reader := everyMember
	if ownerOnly(r.View.Template) {
		reader = r.CreatedBy
	}
	return map[string][]string{
		"engagement":   {r.View.Engagement},
		"view":         {r.View.key()},
		"resourceType": {string(r.View.ResourceType)},
		"resourceId":   {r.View.ResourceId},
		"template":     {r.View.Template},
		"createdBy":    {r.CreatedBy},
		"reader":       {reader},
	}
}

func (s *Service) snapshotArn(catalog string, v snapshotView, revision int32) string {
	// Like the engagement's, a snapshot's ARN carries no account.
	return fmt.Sprintf("arn:aws:partnercentral:%s::catalog/%s/engagement/%s/resource/%s/%s/template/%s/snapshot/%d",
		s.region, catalog, v.Engagement, v.ResourceType, v.ResourceId, v.Template, revision)
}

func snapshotNotFound(v snapshotView) func() error {
	return func() error {
		return apierr.NotFound("No resource snapshot of %s %s with template %s exists in engagement %s.", v.ResourceType, v.ResourceId, v.Template, v.Engagement)
	}
}

// CreateResourceSnapshot takes a new revision of the caller's opportunity
// in an engagement the caller is a member of.
func (s *Service) CreateResourceSnapshot(ctx context.Context, account string, in *api.CreateResourceSnapshotRequest) (*api.CreateResourceSnapshotResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateResourceSnapshot", in.ClientToken, in, func(tx store.Tx) (*api.CreateResourceSnapshotResponse, error) {
		snap, err := s.createSnapshot(ctx, tx, account, in.Catalog, in.EngagementIdentifier, in.ResourceType, in.ResourceIdentifier, in.ResourceSnapshotTemplateIdentifier)
		if err != nil {
			return nil, err
		}
		return &api.CreateResourceSnapshotResponse{Arn: &snap.Arn, Revision: &snap.Revision}, nil
	})
}

// createSnapshot is CreateResourceSnapshot without the client token, for
// tasks. A direct snapshot always takes a new revision, changed or not;
// only jobs skip unchanged state.
func (s *Service) createSnapshot(ctx context.Context, tx store.Tx, account, catalog, engagementID string, resourceType api.ResourceType, resourceID, template string) (*snapshotRecord, error) {
	eng, err := memberEngagement(ctx, tx, catalog, engagementID, account)
	if err != nil {
		return nil, err
	}
	_, rec, err := loadOpportunity(ctx, tx, scopeOf(account, catalog), resourceID)
	if err != nil {
		return nil, err
	}
	payload, err := templatePayload(template, rec)
	if err != nil {
		return nil, err
	}
	v := snapshotView{Engagement: engagementID, ResourceType: resourceType, ResourceId: resourceID, Template: template}
	prev, err := latestSnapshot(ctx, tx, catalog, v)
	if err != nil {
		return nil, err
	}
	return s.writeSnapshot(ctx, tx, eng, account, rec, v, payload, prev)
}

// writeSnapshot stores the revision after prev (nil: the first) and links
// the resource to the engagement the way any snapshot does.
func (s *Service) writeSnapshot(ctx context.Context, tx store.Tx, eng docstore.Doc[engagementRecord], account string, rec *record, v snapshotView, payload *snapshotPayload, prev *snapshotRecord) (*snapshotRecord, error) {
	snap := &snapshotRecord{Catalog: eng.Value.Catalog, View: v, Revision: 1, CreatedAt: s.now(), CreatedBy: account, Payload: *payload}
	if prev != nil {
		// Strictly later than the previous revision even if the clock was
		// set back, so creation order stays revision order.
		snap.Revision, snap.CreatedAt = prev.Revision+1, s.nextModified(prev.CreatedAt)
	}
	snap.Arn = s.snapshotArn(snap.Catalog, v, snap.Revision)
	// Linking first: when the engagement refuses it, nothing is written.
	if err := s.linkSnapshot(ctx, tx, eng, account, rec); err != nil {
		return nil, err
	}
	if _, err := docstore.Put(ctx, tx, kindSnapshot, snap.Catalog, snap, 0); err != nil {
		return nil, err
	}
	if err := s.snapshotCreated(ctx, tx, eng.Value, snap); err != nil {
		return nil, err
	}
	return snap, nil
}

// linkSnapshot associates the snapshotted opportunity with the engagement
// and, per AWS's lead-conversion guide ("CreateResourceSnapshot
// automatically adds a CustomerProject context"), gives an engagement that
// has a Lead context but no CustomerProject one a CustomerProject context
// drawn from the opportunity. The engagement is written only if it changed.
func (s *Service) linkSnapshot(ctx context.Context, tx store.Tx, eng docstore.Doc[engagementRecord], account string, rec *record) error {
	e := eng.Value
	before := len(e.Resources)
	e.associate(resourceAssociation{ResourceType: api.ResourceTypeOpportunity, ResourceId: rec.Opportunity.Id, CreatedBy: account})
	changed := len(e.Resources) != before
	if changed {
		// AWS reports an opportunity's joining an engagement as an update
		// of it: the guide lists Opportunity Updated for an acceptance by
		// task, which writes no field of the new opportunity after creating it.
		if err := s.opportunityUpdated(ctx, tx, scopeOf(account, e.Catalog), rec.Opportunity.Id); err != nil {
			return err
		}
	}
	if hasContext(e, api.EngagementContextTypeLead) && !hasContext(e, api.EngagementContextTypeCustomerProject) {
		if _, err := s.addContext(e, api.EngagementContextTypeCustomerProject, api.EngagementContextPayload{CustomerProject: customerProjectOf(rec)}, false); err != nil {
			return err
		}
		changed = true
	}
	if !changed {
		return nil
	}
	_, err := s.saveEngagement(ctx, tx, eng, account)
	return err
}

func hasContext(e *engagementRecord, typ api.EngagementContextType) bool {
	for _, c := range e.Contexts {
		if c.Type == typ {
			return true
		}
	}
	return false
}

// customerProjectOf is the CustomerProject context an opportunity implies:
// its customer, title, business problem and target close date.
func customerProjectOf(rec *record) *api.CustomerProjectsContext {
	o := &rec.Opportunity
	cp := &api.CustomerProjectsContext{Project: &api.EngagementCustomerProjectDetails{}}
	if p := o.Project; p != nil {
		cp.Project.Title, cp.Project.BusinessProblem = deref(p.Title), deref(p.CustomerBusinessProblem)
	}
	if lc := o.LifeCycle; lc != nil {
		cp.Project.TargetCompletionDate = deref(lc.TargetCloseDate)
	}
	if c := o.Customer; c != nil && c.Account != nil {
		a := c.Account
		cp.Customer = &api.EngagementCustomer{Industry: deref(a.Industry), CompanyName: a.CompanyName, WebsiteUrl: deref(a.WebsiteUrl)}
		if a.Address != nil {
			cp.Customer.CountryCode = deref(a.Address.CountryCode)
		}
	}
	return cp
}

// latestSnapshot is a view's newest revision, nil when it has none.
func latestSnapshot(ctx context.Context, r store.Reader, catalog string, v snapshotView) (*snapshotRecord, error) {
	page, _, err := docstore.List[snapshotRecord](ctx, r, store.DocumentQuery{
		Kind: kindSnapshot, Catalog: catalog, Match: map[string][]string{"view": {v.key()}}, Descending: true, Limit: 1,
	})
	if err != nil || len(page) == 0 {
		return nil, err
	}
	return page[0], nil
}
