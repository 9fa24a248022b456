package selling

import (
	"context"
	"slices"
	"strconv"
	"strings"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// maxContexts is the model's limit on an engagement's contexts.
const maxContexts = 5

// CreateEngagement creates an engagement with the caller as its only member.
func (s *Service) CreateEngagement(ctx context.Context, account string, in *api.CreateEngagementRequest) (*api.CreateEngagementResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateEngagement", in.ClientToken, in, func(tx store.Tx) (*api.CreateEngagementResponse, error) {
		d, err := s.createEngagement(ctx, tx, account, in.Catalog, deref(in.Title), deref(in.Description), in.Contexts)
		if err != nil {
			return nil, err
		}
		e := d.Value
		return &api.CreateEngagementResponse{Id: &e.Id, Arn: &e.Arn, ModifiedAt: &e.ModifiedAt}, nil
	})
}

// createEngagement is CreateEngagement without the client token, for the
// tasks that create engagements as one of their steps.
func (s *Service) createEngagement(ctx context.Context, tx store.Tx, account, catalog, title, description string, contexts []api.EngagementContextDetails) (docstore.Doc[engagementRecord], error) {
	now := s.now()
	id := docstore.NewID("eng-", 14)
	e := &engagementRecord{
		Id: id, Arn: s.engagementArn(catalog, id), Catalog: catalog, Title: title, Description: description,
		CreatedAt: now, CreatedBy: account, ModifiedAt: now, ModifiedBy: account,
	}
	p, ok := s.party(account)
	if !ok {
		p = Party{AccountID: account} // a signed caller the server has no company details for
	}
	e.addMember(p)
	for _, c := range contexts {
		if c.Payload == nil {
			return docstore.Doc[engagementRecord]{}, apierr.BusinessInvalid("Every context needs a payload.", apierr.FieldError{
				FieldName: "contexts.payload", Code: apierr.CodeRequiredFieldMissing, Message: "Payload is required.",
			})
		}
		if _, err := s.addContext(e, c.Type, *c.Payload, account == awsParty); err != nil {
			return docstore.Doc[engagementRecord]{}, nested("contexts", err)
		}
	}
	return s.saveEngagement(ctx, tx, docstore.Doc[engagementRecord]{Value: e}, account)
}

// addContext appends a context to e and returns its id. Ids count up from
// "1" in creation order (real engagements show "1" for the Lead and "2" for
// the CustomerProject added by conversion); contexts are never removed, so
// the next id is the count plus one.
//
// byAws says AWS writes it (a referral), which may set what only AWS sets.
func (s *Service) addContext(e *engagementRecord, typ api.EngagementContextType, payload api.EngagementContextPayload, byAws bool) (string, error) {
	if len(e.Contexts) >= maxContexts {
		return "", apierr.QuotaExceeded("Engagement %s already has the maximum of %d contexts.", e.Id, maxContexts)
	}
	if typ == api.EngagementContextTypeProspectingResult {
		return "", awsOwnedContext()
	}
	if !payloadFits(typ, payload.Lead != nil, payload.CustomerProject != nil) {
		return "", payloadMismatch(typ)
	}
	if payload.Lead != nil {
		lead := *payload.Lead
		// LeadReadinessScore is AWS's to set (a referral, a prospecting
		// task); a partner's value is dropped, not refused, since the
		// model accepts the member.
		if !byAws {
			lead.Insights = nil
		}
		lead.Interactions = slices.Clone(lead.Interactions)
		for i := range lead.Interactions {
			s.stampInteraction(&lead.Interactions[i])
		}
		payload.Lead = &lead
	}
	id := newContextID(e)
	e.Contexts = append(e.Contexts, api.EngagementContextDetails{Id: &id, Type: typ, Payload: &payload})
	return id, nil
}

// newContextID is the id of the next context of e.
func newContextID(e *engagementRecord) string { return strconv.Itoa(len(e.Contexts) + 1) }

// stampInteraction dates an interaction sent without a date with the time
// it was recorded, as real GetEngagement answers show for such leads.
func (s *Service) stampInteraction(i *api.LeadInteraction) {
	if i.InteractionDate == nil {
		i.InteractionDate = ptr(s.now())
	}
}

// payloadFits reports whether the payload's member is the one its context
// type calls for.
func payloadFits(typ api.EngagementContextType, lead, customerProject bool) bool {
	switch typ {
	case api.EngagementContextTypeLead:
		return lead && !customerProject
	case api.EngagementContextTypeCustomerProject:
		return customerProject && !lead
	}
	return false
}

// awsOwnedContext refuses a partner's write of a ProspectingResult
// context. Its payload is all under "Aws": AWS's enrichment, which only a
// prospecting task produces. The model accepts the type in requests, and
// AWS does not say what it does with one; cosell refuses it rather than
// let a partner's data pass for AWS's.
func awsOwnedContext() error {
	return apierr.BusinessInvalid("ProspectingResult contexts are created by AWS.", apierr.FieldError{
		FieldName: "type", Code: apierr.CodeActionNotPermitted,
		Message: "A ProspectingResult context is AWS's enrichment of a lead; start a prospecting task with StartProspectingFromEngagementTask to get one.",
	})
}

func payloadMismatch(typ api.EngagementContextType) error {
	return apierr.BusinessInvalid("The payload does not match the context type.", apierr.FieldError{
		FieldName: "payload", Code: apierr.CodeInvalidValue, Message: "A " + string(typ) + " context needs a " + string(typ) + " payload.",
	})
}

// nested prefixes the field paths of a validation error raised for an
// element of the request's list at path.
func nested(path string, err error) error {
	e, ok := apierr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = slices.Clone(e.Fields)
	for i := range c.Fields {
		c.Fields[i].FieldName = joinPath(path, c.Fields[i].FieldName)
	}
	return &c
}

// engagementID turns an EngagementArnOrIdentifier into an engagement id. An
// ARN must be this catalog's engagement ARN; any other names nothing here.
func (s *Service) engagementID(catalog, identifier string) (string, error) {
	if !strings.HasPrefix(identifier, "arn:") {
		return identifier, nil
	}
	id, ok := strings.CutPrefix(identifier, s.engagementArn(catalog, ""))
	if !ok || id == "" {
		return "", engagementNotFound(identifier)()
	}
	return id, nil
}

// engagementFor reads, by id or ARN, an engagement the caller is a member of.
func (s *Service) engagementFor(ctx context.Context, r store.Reader, catalog, identifier, account string) (docstore.Doc[engagementRecord], error) {
	id, err := s.engagementID(catalog, identifier)
	if err != nil {
		return docstore.Doc[engagementRecord]{}, err
	}
	return memberEngagement(ctx, r, catalog, id, account)
}

// GetEngagement returns an engagement to one of its members.
func (s *Service) GetEngagement(ctx context.Context, account string, in *api.GetEngagementRequest) (*api.GetEngagementResponse, error) {
	// A prospecting task due to enrich this engagement does so first.
	if id, err := s.engagementID(in.Catalog, in.Identifier); err == nil {
		if err := s.settleProspecting(ctx, in.Catalog, map[string][]string{"engagement": {id}}); err != nil {
			return nil, err
		}
	}
	d, err := s.engagementFor(ctx, s.store, in.Catalog, in.Identifier, account)
	if err != nil {
		return nil, err
	}
	e := d.Value
	return &api.GetEngagementResponse{
		Id: &e.Id, Arn: &e.Arn, Title: &e.Title, Description: &e.Description,
		CreatedAt: &e.CreatedAt, CreatedBy: &e.CreatedBy, ModifiedAt: &e.ModifiedAt, ModifiedBy: &e.ModifiedBy,
		MemberCount: ptr(int32(len(e.Members))), Contexts: e.Contexts,
	}, nil
}

// CreateEngagementContext adds a context to an engagement the caller is a
// member of.
func (s *Service) CreateEngagementContext(ctx context.Context, account string, in *api.CreateEngagementContextRequest) (*api.CreateEngagementContextResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateEngagementContext", in.ClientToken, in, func(tx store.Tx) (*api.CreateEngagementContextResponse, error) {
		d, err := s.engagementFor(ctx, tx, in.Catalog, in.EngagementIdentifier, account)
		if err != nil {
			return nil, err
		}
		id, err := s.addContext(d.Value, in.Type, in.Payload, false)
		if err != nil {
			return nil, err
		}
		if d, err = s.saveEngagement(ctx, tx, d, account); err != nil {
			return nil, err
		}
		e := d.Value
		return &api.CreateEngagementContextResponse{EngagementId: &e.Id, EngagementArn: &e.Arn, EngagementLastModifiedAt: &e.ModifiedAt, ContextId: &id}, nil
	})
}

// UpdateEngagementContext changes one context's payload, guarded by the
// engagement's last modification time.
func (s *Service) UpdateEngagementContext(ctx context.Context, account string, in *api.UpdateEngagementContextRequest) (*api.UpdateEngagementContextResponse, error) {
	var out *api.UpdateEngagementContextResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.engagementFor(ctx, tx, in.Catalog, in.EngagementIdentifier, account)
		if err != nil {
			return err
		}
		e := d.Value
		i := slices.IndexFunc(e.Contexts, func(c api.EngagementContextDetails) bool { return deref(c.Id) == in.ContextIdentifier })
		if i < 0 {
			return apierr.NotFound("Context %s does not exist in engagement %s.", in.ContextIdentifier, e.Id)
		}
		c := &e.Contexts[i]
		if c.Type == api.EngagementContextTypeProspectingResult || in.Type == api.EngagementContextTypeProspectingResult {
			return awsOwnedContext()
		}
		if c.Type != in.Type {
			return apierr.BusinessInvalid("The type does not match the context's type.", apierr.FieldError{
				FieldName: "type", Code: apierr.CodeInvalidValue, Message: "Context " + in.ContextIdentifier + " is a " + string(c.Type) + " context.",
			})
		}
		if !payloadFits(in.Type, in.Payload.Lead != nil, in.Payload.CustomerProject != nil) {
			return payloadMismatch(in.Type)
		}
		if !in.EngagementLastModifiedAt.Equal(e.ModifiedAt) {
			return apierr.Conflict("Engagement %s was modified since the EngagementLastModifiedAt in the request. Fetch the latest version with GetEngagement and retry.", e.Id)
		}
		s.updateContext(c, in.Payload)
		if d, err = s.saveEngagement(ctx, tx, d, account); err != nil {
			return err
		}
		out = &api.UpdateEngagementContextResponse{EngagementId: e.Id, EngagementArn: e.Arn, EngagementLastModifiedAt: d.Value.ModifiedAt, ContextId: in.ContextIdentifier}
		return nil
	})
	return out, err
}

// updateContext applies an update payload of the context's own type. A
// CustomerProject is replaced whole. A Lead takes the new customer, the
// qualification status when one is given (an omitted one leaves the status
// as it was rather than resetting it to the model's default) and the
// interaction, which joins the lead's history: the update carries one
// interaction while the lead keeps a list of them.
func (s *Service) updateContext(c *api.EngagementContextDetails, u api.UpdateEngagementContextPayload) {
	if c.Payload == nil {
		c.Payload = &api.EngagementContextPayload{}
	}
	if u.CustomerProject != nil {
		c.Payload.CustomerProject = u.CustomerProject
		return
	}
	lead := deref(c.Payload.Lead)
	lead.Customer = u.Lead.Customer
	if u.Lead.QualificationStatus != nil {
		lead.QualificationStatus = u.Lead.QualificationStatus
	}
	if u.Lead.Interaction != nil {
		i := *u.Lead.Interaction
		s.stampInteraction(&i)
		lead.Interactions = append(lead.Interactions, i)
	}
	c.Payload.Lead = &lead
}
