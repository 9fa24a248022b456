package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// The models' default page sizes of the engagement listings.
const (
	defaultEngagementPage  = 20
	defaultMemberPage      = 5
	defaultAssociationPage = 100
)

// ListEngagements pages through the engagements the caller is a member of,
// by creation time. Without a Sort the newest come first: the model names no
// default, and newest first is what ListOpportunities does and what the real
// capture asked for.
func (s *Service) ListEngagements(ctx context.Context, account string, in *api.ListEngagementsRequest) (*api.ListEngagementsResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagements", in, func(r *api.ListEngagementsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	q := store.DocumentQuery{
		Kind: kindEngagement, Catalog: in.Catalog,
		Match:      keyFilter(map[string][]string{"member": {account}, "createdBy": in.CreatedBy, "contextType": asStrings(in.ContextTypes)}),
		Exclude:    keyFilter(map[string][]string{"createdBy": in.ExcludeCreatedBy, "contextType": asStrings(in.ExcludeContextTypes)}),
		Descending: in.Sort == nil || in.Sort.SortOrder == api.SortOrderDescending,
	}
	if q.After, err = s.resumeAt(binding, in.NextToken); err != nil {
		return nil, err
	}
	// Identifiers are not indexed: the caller's engagements are scanned and
	// the named ones kept, which pages correctly because the scan keeps
	// the store's order.
	ids := map[string]bool{}
	for _, identifier := range in.EngagementIdentifier {
		if id, err := s.engagementID(in.Catalog, identifier); err == nil {
			ids[id] = true
		}
	}
	limit := limitOr(in.MaxResults, defaultEngagementPage)
	out := &api.ListEngagementsResponse{EngagementSummaryList: []api.EngagementSummary{}}
	var last, next *store.Position
	err = scanDocuments(ctx, s.store, q, limit+1, func(e *engagementRecord) bool {
		if len(in.EngagementIdentifier) > 0 && !ids[e.Id] {
			return true
		}
		if len(out.EngagementSummaryList) == limit {
			next = last
			return false
		}
		out.EngagementSummaryList = append(out.EngagementSummaryList, engagementSummary(e))
		last = ptr(positionOf(e))
		return true
	})
	if err != nil {
		return nil, err
	}
	if out.NextToken, err = s.continueAt(binding, next); err != nil {
		return nil, err
	}
	return out, nil
}

func engagementSummary(e *engagementRecord) api.EngagementSummary {
	var types []api.EngagementContextType
	for _, t := range e.DocKeys()["contextType"] {
		types = append(types, api.EngagementContextType(t))
	}
	return api.EngagementSummary{
		Arn: &e.Arn, Id: &e.Id, Title: &e.Title, CreatedAt: &e.CreatedAt, CreatedBy: &e.CreatedBy,
		MemberCount: ptr(int32(len(e.Members))), ModifiedAt: &e.ModifiedAt, ModifiedBy: &e.ModifiedBy, ContextTypes: types,
	}
}

// ListEngagementMembers pages through an engagement's members, in the order
// they joined, for its members only.
func (s *Service) ListEngagementMembers(ctx context.Context, account string, in *api.ListEngagementMembersRequest) (*api.ListEngagementMembersResponse, error) {
	d, err := s.engagementFor(ctx, s.store, in.Catalog, in.Identifier, account)
	if err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagementMembers", in, func(r *api.ListEngagementMembersRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	// Members are only ever added, so an offset into the list stays valid.
	var from int
	if t := deref(in.NextToken); t != "" {
		if err := s.tokens.Decode(binding, t, &from); err != nil || from < 0 || from > len(d.Value.Members) {
			return nil, pagetoken.Invalid()
		}
	}
	members := d.Value.Members[from:]
	limit := limitOr(in.MaxResults, defaultMemberPage)
	out := &api.ListEngagementMembersResponse{EngagementMemberList: make([]api.EngagementMember, 0, min(limit, len(members)))}
	for _, m := range members[:min(limit, len(members))] {
		out.EngagementMemberList = append(out.EngagementMemberList, api.EngagementMember{AccountId: ptr(m.AccountID), CompanyName: optional(m.CompanyName), WebsiteUrl: optional(m.WebsiteURL)})
	}
	if len(members) > limit {
		tok, err := s.tokens.Encode(binding, from+limit)
		if err != nil {
			return nil, internal("encode token", err)
		}
		out.NextToken = &tok
	}
	return out, nil
}

// associationCursor continues a ListEngagementResourceAssociations: after the
// engagement at After (nil: from the first), skipping the first Skip matching
// associations of the next engagement, which the previous page ended inside.
// Associations are only ever appended, so the count stays valid.
type associationCursor struct {
	After *store.Position `json:"a,omitempty"`
	Skip  int             `json:"s,omitempty"`
}

// ListEngagementResourceAssociations lists the resources linked to the
// engagements the caller is a member of: every member sees every linked
// resource, whoever linked it.
func (s *Service) ListEngagementResourceAssociations(ctx context.Context, account string, in *api.ListEngagementResourceAssociationsRequest) (*api.ListEngagementResourceAssociationsResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagementResourceAssociations", in, func(r *api.ListEngagementResourceAssociationsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	var cur associationCursor
	if t := deref(in.NextToken); t != "" {
		if err := s.tokens.Decode(binding, t, &cur); err != nil || cur.Skip < 0 {
			return nil, pagetoken.Invalid()
		}
	}
	var resources []string
	if id := deref(in.ResourceIdentifier); id != "" {
		for _, t := range api.ResourceType("").Values() {
			if in.ResourceType == nil || *in.ResourceType == t {
				resources = append(resources, string(t)+"/"+id)
			}
		}
	}
	var createdBy []string
	if in.CreatedBy != nil {
		createdBy = []string{*in.CreatedBy}
	}
	q := store.DocumentQuery{
		Kind: kindEngagement, Catalog: in.Catalog, After: cur.After,
		Match: keyFilter(map[string][]string{"member": {account}, "resource": resources, "resourceCreatedBy": createdBy}),
	}
	wanted := func(e *engagementRecord, r resourceAssociation) bool {
		return (in.EngagementIdentifier == nil || *in.EngagementIdentifier == e.Id) &&
			(in.ResourceType == nil || *in.ResourceType == r.ResourceType) &&
			(in.ResourceIdentifier == nil || *in.ResourceIdentifier == r.ResourceId) &&
			(in.CreatedBy == nil || *in.CreatedBy == r.CreatedBy)
	}
	limit := limitOr(in.MaxResults, defaultAssociationPage)
	out := &api.ListEngagementResourceAssociationsResponse{EngagementResourceAssociationSummaries: []api.EngagementResourceAssociationSummary{}}
	var next *associationCursor
	before, skip := cur.After, cur.Skip
	err = scanDocuments(ctx, s.store, q, limit+1, func(e *engagementRecord) bool {
		matched := 0
		for _, r := range e.Resources {
			if !wanted(e, r) {
				continue
			}
			if matched++; matched <= skip {
				continue
			}
			if len(out.EngagementResourceAssociationSummaries) == limit {
				next = &associationCursor{After: before, Skip: matched - 1}
				return false
			}
			out.EngagementResourceAssociationSummaries = append(out.EngagementResourceAssociationSummaries, api.EngagementResourceAssociationSummary{
				Catalog: e.Catalog, EngagementId: ptr(e.Id), ResourceType: ptr(r.ResourceType), ResourceId: ptr(r.ResourceId), CreatedBy: ptr(r.CreatedBy),
			})
		}
		skip, before = 0, ptr(positionOf(e))
		return true
	})
	if err != nil {
		return nil, err
	}
	if next != nil {
		tok, err := s.tokens.Encode(binding, next)
		if err != nil {
			return nil, internal("encode token", err)
		}
		out.NextToken = &tok
	}
	return out, nil
}
