package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// GetConnectionInvitation returns an invitation the caller sent or received.
func (s *Service) GetConnectionInvitation(ctx context.Context, account string, in *api.GetConnectionInvitationRequest) (*api.GetConnectionInvitationResponse, error) {
	if err := s.expireBeforeRead(ctx, in.Catalog); err != nil {
		return nil, err
	}
	d, err := visibleInvitation(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	return d.Value.view(account), nil
}

// ListConnectionInvitations lists the invitations the caller sent or
// received, oldest first, filtered by role, type, status and the other
// participant (its account or profile id).
func (s *Service) ListConnectionInvitations(ctx context.Context, account string, in *api.ListConnectionInvitationsRequest) (*api.ListConnectionInvitationsResponse, error) {
	if err := s.expireBeforeRead(ctx, in.Catalog); err != nil {
		return nil, err
	}
	bind, err := pagetoken.Binding(account, in.Catalog, "ListConnectionInvitations", in, func(r *api.ListConnectionInvitationsRequest) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	role := "participant"
	if in.ParticipantType != nil {
		role = map[api.ParticipantType]string{api.ParticipantTypeSender: "sender", api.ParticipantTypeReceiver: "receiver"}[*in.ParticipantType]
	}
	match := map[string][]string{role: {account}}
	if in.ConnectionType != nil {
		match["type"] = []string{string(*in.ConnectionType)}
	}
	if in.Status != nil {
		match["status"] = []string{string(*in.Status)}
	}
	if peers := peerFilter(account, in.OtherParticipantIdentifiers); peers != nil {
		match["peer"] = peers
	}
	rows, next, err := listPage[invitationRecord](ctx, s, s.store, page{
		Query:   store.DocumentQuery{Kind: kindConnectionInvitation, Catalog: in.Catalog, Match: match},
		Binding: bind, Token: in.NextToken, Size: pageSize(in.MaxResults),
	})
	if err != nil {
		return nil, err
	}
	out := &api.ListConnectionInvitationsResponse{ConnectionInvitationSummaries: make([]api.ConnectionInvitationSummary, len(rows)), NextToken: next}
	for i, inv := range rows {
		out.ConnectionInvitationSummaries[i] = inv.summary(account)
	}
	return out, nil
}
