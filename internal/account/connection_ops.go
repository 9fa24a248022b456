package account

import (
	"context"
	"slices"
	"strings"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// GetConnection returns a connection the caller takes part in, live or
// terminated.
func (s *Service) GetConnection(ctx context.Context, account string, in *api.GetConnectionRequest) (*api.GetConnectionResponse, error) {
	d, err := visibleConnection(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	return (*api.GetConnectionResponse)(d.Value.view(account)), nil
}

// CancelConnection ends one ACTIVE type of a connection; either participant
// may. With its last active type gone the connection is terminated: it is
// kept for history, and connecting again takes a new invitation and makes
// a new connection.
func (s *Service) CancelConnection(ctx context.Context, account string, in *api.CancelConnectionRequest) (*api.CancelConnectionResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CancelConnection", in.ClientToken, in, func(tx store.Tx) (*api.CancelConnectionResponse, error) {
		d, err := visibleConnection(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		c := d.Value
		if !c.active(in.ConnectionType) {
			return nil, apierr.Conflict("Connection %s has no ACTIVE %s type to cancel.", c.Id, in.ConnectionType).
				WithReason(string(api.ConflictExceptionReasonIncompatibleConnectionState))
		}
		now := s.now()
		st := c.Types[in.ConnectionType]
		st.Status, st.CanceledAt, st.CanceledBy, st.CancelReason = api.ConnectionTypeStatusCanceled, &now, account, in.Reason
		c.UpdatedAt = now
		if err := saveConnection(ctx, tx, d); err != nil {
			return nil, err
		}
		if err := s.emitConnectionCancelled(ctx, tx, c, in.ConnectionType, account); err != nil {
			return nil, err
		}
		return (*api.CancelConnectionResponse)(c.view(account)), nil
	})
}

// ListConnections lists the caller's connections, oldest first, terminated
// ones included: the model's ConnectionType filter takes "TYPE:CANCELED",
// so canceled connections must be listable even though the operation's
// documentation speaks of active ones.
func (s *Service) ListConnections(ctx context.Context, account string, in *api.ListConnectionsRequest) (*api.ListConnectionsResponse, error) {
	match := map[string][]string{"participant": {account}}
	if in.ConnectionType != nil {
		filter, err := connectionTypeFilter(*in.ConnectionType)
		if err != nil {
			return nil, err
		}
		match["type"] = []string{filter}
	}
	if peers := peerFilter(account, in.OtherParticipantIdentifiers); peers != nil {
		match["peer"] = peers
	}
	bind, err := pagetoken.Binding(account, in.Catalog, "ListConnections", in, func(r *api.ListConnectionsRequest) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	rows, next, err := listPage[connectionRecord](ctx, s, s.store, page{
		Query:   store.DocumentQuery{Kind: kindConnection, Catalog: in.Catalog, Match: match},
		Binding: bind, Token: in.NextToken, Size: pageSize(in.MaxResults),
	})
	if err != nil {
		return nil, err
	}
	out := &api.ListConnectionsResponse{ConnectionSummaries: make([]api.ConnectionSummary, len(rows)), NextToken: next}
	for i, c := range rows {
		out.ConnectionSummaries[i] = c.summary(account)
	}
	return out, nil
}

// connectionTypeFilter checks a ListConnections ConnectionType filter,
// "TYPE" or "TYPE:STATUS" (the model's pattern allows more), and returns
// it as a "type" key value.
func connectionTypeFilter(f string) (string, error) {
	t, status, hasStatus := strings.Cut(f, ":")
	ok := slices.Contains(api.ConnectionType("").Values(), api.ConnectionType(t))
	if hasStatus {
		ok = ok && slices.Contains(api.ConnectionTypeStatus("").Values(), api.ConnectionTypeStatus(status))
	}
	if !ok {
		return "", apierr.RequestInvalid(apierr.FieldError{
			FieldName: "connectionType", Code: apierr.CodeInvalidValue,
			Message: "ConnectionType must be a connection type, optionally followed by \":\" and a status (ACTIVE or CANCELED).",
		})
	}
	return f, nil
}
