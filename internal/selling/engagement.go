package selling

import (
	"context"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// awsParty is how AWS appears where an account id is expected: real
// production captures show the literal "aws" as engagement creator, invitation
// sender and event target.
const awsParty = "aws"

// Party is a participant of engagements: a partner account or AWS.
type Party struct {
	AccountID   string
	CompanyName string
	WebsiteURL  string
}

// awsAsParty is AWS as an engagement member (real ExistingMembers entry).
var awsAsParty = Party{AccountID: awsParty, CompanyName: "AWS", WebsiteURL: "www.aws.com"}

// party returns the participant for an account id: AWS, a configured
// partner, or an unknown account (which cannot be invited).
func (s *Service) party(account string) (Party, bool) {
	if account == awsParty {
		return awsAsParty, true
	}
	p, ok := s.parties[account]
	return p, ok
}

// engagementRecord is an engagement as stored: the shared collaboration
// space of AWS and partners around one customer opportunity or lead.
type engagementRecord struct {
	Id          string                         `json:"id"`
	Arn         string                         `json:"arn"`
	Catalog     string                         `json:"catalog"`
	Title       string                         `json:"title"`
	Description string                         `json:"description"`
	CreatedAt   time.Time                      `json:"createdAt"`
	CreatedBy   string                         `json:"createdBy"`
	ModifiedAt  time.Time                      `json:"modifiedAt"`
	ModifiedBy  string                         `json:"modifiedBy"`
	Contexts    []api.EngagementContextDetails `json:"contexts"`
	Members     []Party                        `json:"members"`
	Resources   []resourceAssociation          `json:"resources"`
}

// resourceAssociation links a member's resource (its opportunity) to the
// engagement.
type resourceAssociation struct {
	ResourceType api.ResourceType `json:"resourceType"`
	ResourceId   string           `json:"resourceId"`
	CreatedBy    string           `json:"createdBy"`
}

func (e *engagementRecord) DocID() string         { return e.Id }
func (e *engagementRecord) DocCreated() time.Time { return e.CreatedAt }

// keys: "member" gives each member its listing; the rest serve ListEngagements
// filters and ListEngagementResourceAssociations.
func (e *engagementRecord) DocKeys() map[string][]string {
	k := map[string][]string{"createdBy": {e.CreatedBy}}
	for _, m := range e.Members {
		k["member"] = append(k["member"], m.AccountID)
	}
	for _, c := range e.Contexts {
		if !slices.Contains(k["contextType"], string(c.Type)) {
			k["contextType"] = append(k["contextType"], string(c.Type))
		}
	}
	for _, r := range e.Resources {
		k["resource"] = append(k["resource"], string(r.ResourceType)+"/"+r.ResourceId)
		k["resourceCreatedBy"] = append(k["resourceCreatedBy"], r.CreatedBy)
	}
	return k
}

func (e *engagementRecord) isMember(account string) bool {
	return slices.ContainsFunc(e.Members, func(p Party) bool { return p.AccountID == account })
}

// addMember makes p a member unless it already is one.
func (e *engagementRecord) addMember(p Party) {
	if !e.isMember(p.AccountID) {
		e.Members = append(e.Members, p)
	}
}

// associate links a resource unless it is linked already.
func (e *engagementRecord) associate(r resourceAssociation) {
	if !slices.ContainsFunc(e.Resources, func(x resourceAssociation) bool {
		return x.ResourceType == r.ResourceType && x.ResourceId == r.ResourceId
	}) {
		e.Resources = append(e.Resources, r)
	}
}

func (s *Service) engagementArn(catalog, id string) string {
	// Engagement ARNs carry no account: the engagement belongs to all members.
	return fmt.Sprintf("arn:aws:partnercentral:%s::catalog/%s/engagement/%s", s.region, catalog, id)
}

func engagementNotFound(id string) func() error {
	return func() error { return apierr.NotFound("Engagement %s does not exist.", id) }
}

// loadEngagement reads an engagement of the catalog, whoever its members are.
func loadEngagement(ctx context.Context, r store.Reader, catalog, id string) (docstore.Doc[engagementRecord], error) {
	return docstore.Get[engagementRecord](ctx, r, kindEngagement, catalog, id, engagementNotFound(id))
}

// memberEngagement reads an engagement the caller is a member of. To others
// it is AccessDenied, as AWS answers non-members.
func memberEngagement(ctx context.Context, r store.Reader, catalog, id, account string) (docstore.Doc[engagementRecord], error) {
	d, err := loadEngagement(ctx, r, catalog, id)
	if err != nil {
		return d, err
	}
	if !d.Value.isMember(account) {
		return d, apierr.AccessDenied("Account %s is not a member of engagement %s.", account, id)
	}
	return d, nil
}

// saveEngagement stamps a modification by account, writes the engagement
// and reports the change to its members. Reading the stored state first
// makes this the one place engagement events come from, whatever the
// caller changed.
func (s *Service) saveEngagement(ctx context.Context, tx store.Tx, d docstore.Doc[engagementRecord], account string) (docstore.Doc[engagementRecord], error) {
	e := d.Value
	var before *engagementRecord
	if d.Version != 0 {
		stored, err := loadEngagement(ctx, tx, e.Catalog, e.Id)
		if err != nil {
			return d, err
		}
		before = stored.Value
		e.ModifiedAt, e.ModifiedBy = s.nextModified(e.ModifiedAt), account
	}
	v, err := docstore.Put(ctx, tx, kindEngagement, e.Catalog, e, d.Version)
	if err != nil {
		return docstore.Doc[engagementRecord]{Value: e}, err
	}
	return docstore.Doc[engagementRecord]{Value: e, Version: v}, s.engagementChanged(ctx, tx, before, e)
}
