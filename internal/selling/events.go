package selling

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

// Partner Central Selling's EventBridge events (semantics.md §1): the
// detail of each type, built by one function here, and the helpers the
// domain calls where a change happens. Every event is appended in the
// transaction of the change it reports (Service.emit), so a change that is
// rolled back — a FAILED task — reports nothing.

// Detail types, as the developer guide names them.
const (
	eventOpportunityCreated        = "Opportunity Created"
	eventOpportunityUpdated        = "Opportunity Updated"
	eventEngagementCreated         = "Engagement Created"
	eventEngagementUpdated         = "Engagement Updated"
	eventEngagementMemberAdded     = "Engagement Member Added"
	eventInvitationCreated         = "Engagement Invitation Created"
	eventInvitationAccepted        = "Engagement Invitation Accepted"
	eventInvitationRejected        = "Engagement Invitation Rejected"
	eventInvitationExpired         = "Engagement Invitation Expired"
	eventEngagementSnapshotCreated = "Engagement Resource Snapshot Created"
)

// detail.schemaVersion of each family. The real captures show "1" on
// opportunity and snapshot events (2025) and "1.0" on the invitation event
// (2026). No engagement event was ever captured and the documented examples
// omit the field; the engagement events were documented together with the
// invitation events, so they take the invitation events' "1.0".
const (
	schemaOpportunity = "1"
	schemaSnapshot    = "1"
	schemaInvitation  = "1.0"
	schemaEngagement  = "1.0"
)

// Opportunity Created / Updated: the captures carry only the identifier;
// consumers call GetOpportunity (best-practices.html).
type opportunityDetail struct {
	SchemaVersion string `json:"schemaVersion"`
	Catalog       string `json:"catalog"`
	Opportunity   struct {
		Identifier string `json:"identifier"`
	} `json:"opportunity"`
}

func opportunityEventDetail(catalog, id string) opportunityDetail {
	d := opportunityDetail{SchemaVersion: schemaOpportunity, Catalog: catalog}
	d.Opportunity.Identifier = id
	return d
}

// Engagement Created / Updated. The documented example mixes camelCase ids
// with PascalCase attributes; that casing is kept. Times are written as the
// API writes them (millisecond precision) so a consumer can compare them
// with GetEngagement's.
type engagementDetail struct {
	SchemaVersion string           `json:"schemaVersion"`
	Catalog       string           `json:"catalog"`
	Engagement    engagementFields `json:"engagement"`
}

type engagementFields struct {
	EngagementArn  string                      `json:"engagementArn"`
	EngagementId   string                      `json:"engagementId"`
	CreatedAt      *time.Time                  `json:"CreatedAt,omitempty"`
	CreatedBy      string                      `json:"CreatedBy,omitempty"`
	LastModifiedAt *time.Time                  `json:"LastModifiedAt,omitempty"`
	LastModifiedBy string                      `json:"LastModifiedBy,omitempty"`
	ContextTypes   []api.EngagementContextType `json:"ContextTypes"`
}

func engagementCreatedDetail(e *engagementRecord) engagementDetail {
	f := engagementFields{EngagementArn: e.Arn, EngagementId: e.Id, CreatedAt: &e.CreatedAt, CreatedBy: e.CreatedBy, ContextTypes: contextTypes(e)}
	return engagementDetail{SchemaVersion: schemaEngagement, Catalog: e.Catalog, Engagement: f}
}

func engagementUpdatedDetail(e *engagementRecord) engagementDetail {
	f := engagementFields{EngagementArn: e.Arn, EngagementId: e.Id, LastModifiedAt: &e.ModifiedAt, LastModifiedBy: e.ModifiedBy, ContextTypes: contextTypes(e)}
	return engagementDetail{SchemaVersion: schemaEngagement, Catalog: e.Catalog, Engagement: f}
}

// contextTypes lists each type of e's contexts once, in creation order:
// what partners filter Engagement events on. Never null.
func contextTypes(e *engagementRecord) []api.EngagementContextType {
	types := []api.EngagementContextType{}
	for _, c := range e.Contexts {
		if !slices.Contains(types, c.Type) {
			types = append(types, c.Type)
		}
	}
	return types
}

// Engagement Member Added names the engagement and the member who joined.
type memberAddedDetail struct {
	SchemaVersion string `json:"schemaVersion"`
	Catalog       string `json:"catalog"`
	Engagement    struct {
		Id string `json:"id"`
	} `json:"engagement"`
	EngagementMember struct {
		AccountId   string `json:"accountId"`
		CompanyName string `json:"companyName"`
	} `json:"engagementMember"`
}

func memberAddedEventDetail(e *engagementRecord, m Party) memberAddedDetail {
	d := memberAddedDetail{SchemaVersion: schemaEngagement, Catalog: e.Catalog}
	d.Engagement.Id = e.Id
	d.EngagementMember.AccountId, d.EngagementMember.CompanyName = m.AccountID, m.CompanyName
	return d
}

// Engagement Invitation events, in the member order of the real capture.
// Only Created carries the sender's company and the expiration date; the
// documented Accepted, Rejected and Expired examples have neither.
type invitationDetail struct {
	Catalog              string           `json:"catalog"`
	SchemaVersion        string           `json:"schemaVersion"`
	EngagementInvitation invitationFields `json:"engagementInvitation"`
}

type invitationFields struct {
	Arn               string                              `json:"arn"`
	Id                string                              `json:"id"`
	EngagementId      string                              `json:"engagementId"`
	SenderAccountId   string                              `json:"senderAccountId"`
	ReceiverAccountId string                              `json:"receiverAccountId"`
	SenderCompanyName *string                             `json:"senderCompanyName,omitempty"`
	ExpirationDate    *time.Time                          `json:"expirationDate,omitempty"`
	ParticipantType   api.ParticipantType                 `json:"participantType"`
	PayloadType       api.EngagementInvitationPayloadType `json:"payloadType"`
}

func invitationCreatedDetail(inv *invitationRecord, side api.ParticipantType) invitationDetail {
	d := invitationAnsweredDetail(inv, side)
	d.EngagementInvitation.SenderCompanyName, d.EngagementInvitation.ExpirationDate = &inv.SenderCompanyName, &inv.ExpirationDate
	return d
}

func invitationAnsweredDetail(inv *invitationRecord, side api.ParticipantType) invitationDetail {
	return invitationDetail{Catalog: inv.Catalog, SchemaVersion: schemaInvitation, EngagementInvitation: invitationFields{
		Arn: inv.Arn, Id: inv.Id, EngagementId: inv.EngagementId,
		SenderAccountId: inv.SenderAwsAccountId, ReceiverAccountId: inv.Receiver.AwsAccountId,
		ParticipantType: side, PayloadType: inv.PayloadType,
	}}
}

// Engagement Resource Snapshot Created, as captured: without the
// documented targetMemberAccounts and resourceSnapshotTemplateName.
type snapshotDetail struct {
	SchemaVersion    string `json:"schemaVersion"`
	Catalog          string `json:"catalog"`
	ResourceSnapshot struct {
		Arn          string           `json:"arn"`
		EngagementId string           `json:"engagementId"`
		ResourceId   string           `json:"resourceId"`
		ResourceType api.ResourceType `json:"resourceType"`
		CreatedBy    string           `json:"createdBy"`
	} `json:"resourceSnapshot"`
}

func snapshotCreatedDetail(snap *snapshotRecord) snapshotDetail {
	d := snapshotDetail{SchemaVersion: schemaSnapshot, Catalog: snap.Catalog}
	r := &d.ResourceSnapshot
	r.Arn, r.EngagementId, r.ResourceId, r.ResourceType, r.CreatedBy = snap.Arn, snap.View.Engagement, snap.View.ResourceId, snap.View.ResourceType, snap.CreatedBy
	return d
}

// emitToPartners appends the same event for each account once. AWS takes
// part in engagements as "aws", but it is no account with an event bus, so
// it receives nothing.
func (s *Service) emitToPartners(ctx context.Context, tx store.Tx, accounts []string, detailType string, resources []string, detail any) error {
	var done []string
	for _, a := range accounts {
		if a == awsParty || a == "" || slices.Contains(done, a) {
			continue
		}
		done = append(done, a)
		if err := s.emit(ctx, tx, a, detailType, resources, detail); err != nil {
			return err
		}
	}
	return nil
}

// opportunityCreated tells the owner of a new opportunity.
func (s *Service) opportunityCreated(ctx context.Context, tx store.Tx, scope store.Scope, id string) error {
	return s.emit(ctx, tx, scope.Account, eventOpportunityCreated, nil, opportunityEventDetail(scope.Catalog, id))
}

// opportunityUpdated tells the owner its opportunity changed: every write
// (mutateTx) and, per the guide, every change of its AWS Opportunity
// Summary, which AWS-side code reports through here.
func (s *Service) opportunityUpdated(ctx context.Context, tx store.Tx, scope store.Scope, id string) error {
	return s.emit(ctx, tx, scope.Account, eventOpportunityUpdated, nil, opportunityEventDetail(scope.Catalog, id))
}

// engagementChanged reports a write of engagement after; before is what
// was stored, nil for a new engagement. Every partner member (after the
// change) hears of it: a new engagement is Engagement Created; each party
// that joined — the creator of a new engagement included, as a submission's
// events list Engagement Member Added and an acceptance gives it to the
// joining receiver — is an Engagement Member Added; and a change of the
// members or contexts of an existing engagement is Engagement Updated. A
// write that only links a resource reports nothing here: the snapshot that
// links it has its own event.
func (s *Service) engagementChanged(ctx context.Context, tx store.Tx, before, after *engagementRecord) error {
	partners := make([]string, 0, len(after.Members))
	for _, m := range after.Members {
		partners = append(partners, m.AccountID)
	}
	resources := []string{after.Arn}
	if before == nil {
		if err := s.emitToPartners(ctx, tx, partners, eventEngagementCreated, resources, engagementCreatedDetail(after)); err != nil {
			return err
		}
	}
	joined := false
	for _, m := range after.Members {
		if before != nil && before.isMember(m.AccountID) {
			continue
		}
		joined = true
		if err := s.emitToPartners(ctx, tx, partners, eventEngagementMemberAdded, resources, memberAddedEventDetail(after, m)); err != nil {
			return err
		}
	}
	if before == nil {
		return nil
	}
	same, err := sameContexts(before, after)
	if err != nil || (same && !joined) {
		return err
	}
	return s.emitToPartners(ctx, tx, partners, eventEngagementUpdated, resources, engagementUpdatedDetail(after))
}

// sameContexts compares contexts as stored, since before was decoded from
// the store and after is the caller's edited copy.
func sameContexts(a, b *engagementRecord) (bool, error) {
	x, err := json.Marshal(a.Contexts)
	if err != nil {
		return false, internal("encode contexts", err)
	}
	y, err := json.Marshal(b.Contexts)
	if err != nil {
		return false, internal("encode contexts", err)
	}
	return bytes.Equal(x, y), nil
}

// invitationEvent tells both parties of an invitation what happened to it,
// each with its side as participantType (upper case, as captured).
func (s *Service) invitationEvent(ctx context.Context, tx store.Tx, detailType string, inv *invitationRecord) error {
	sides := []struct {
		account string
		side    api.ParticipantType
	}{{inv.SenderAwsAccountId, api.ParticipantTypeSender}, {inv.Receiver.AwsAccountId, api.ParticipantTypeReceiver}}
	for _, p := range sides {
		if p.account == awsParty {
			continue
		}
		detail := invitationAnsweredDetail(inv, p.side)
		if detailType == eventInvitationCreated {
			detail = invitationCreatedDetail(inv, p.side)
		}
		if err := s.emit(ctx, tx, p.account, detailType, []string{inv.Arn}, detail); err != nil {
			return err
		}
	}
	return nil
}

// invitationCreated reports a new invitation to its sender and receiver.
func (s *Service) invitationCreated(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	return s.invitationEvent(ctx, tx, eventInvitationCreated, inv)
}

// invitationSettled reports an invitation that left PENDING, by the status
// it now has.
func (s *Service) invitationSettled(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	types := map[api.InvitationStatus]string{
		api.InvitationStatusAccepted: eventInvitationAccepted,
		api.InvitationStatusRejected: eventInvitationRejected,
		api.InvitationStatusExpired:  eventInvitationExpired,
	}
	detailType, ok := types[inv.Status]
	if !ok {
		return nil
	}
	return s.invitationEvent(ctx, tx, detailType, inv)
}

// snapshotCreated reports a new revision to its creator and, unless its
// template is for the creator's eyes only, to the engagement's other
// partner members, who can read it.
func (s *Service) snapshotCreated(ctx context.Context, tx store.Tx, eng *engagementRecord, snap *snapshotRecord) error {
	readers := []string{snap.CreatedBy}
	if !ownerOnly(snap.View.Template) {
		for _, m := range eng.Members {
			readers = append(readers, m.AccountID)
		}
	}
	return s.emitToPartners(ctx, tx, readers, eventEngagementSnapshotCreated, []string{eng.Arn}, snapshotCreatedDetail(snap))
}
