package channel

import (
	"context"
	"slices"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// ListChannelHandshakes lists the handshakes of one type the caller sent
// (as owner or sender) or received, filtered and sorted by UpdatedAt.
func (s *Service) ListChannelHandshakes(ctx context.Context, account string, in *api.ListChannelHandshakesRequest) (*api.ListChannelHandshakesResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	filter, order, err := typeOptions(in)
	if err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListChannelHandshakes", in, func(r *api.ListChannelHandshakesRequest) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	if err := s.expireBeforeRead(ctx, in.Catalog); err != nil {
		return nil, err
	}
	side := "sendingSide"
	if in.ParticipantType == api.ParticipantTypeReceiver {
		side = "receiver"
	}
	all, _, err := docstore.List[handshakeRecord](ctx, s.store, store.DocumentQuery{Kind: kindHandshake, Catalog: in.Catalog,
		Match: map[string][]string{side: {account}, "type": {string(in.HandshakeType)}}})
	if err != nil {
		return nil, err
	}
	resources := make([]string, len(in.AssociatedResourceIdentifiers))
	for i, r := range in.AssociatedResourceIdentifiers {
		resources[i] = idOf(r)
	}
	all = slices.DeleteFunc(all, func(h *handshakeRecord) bool {
		return !admits(in.Statuses, h.Status) || !admits(resources, h.AssociatedResourceId) || !filter(h)
	})
	page, next, err := pageOf(s, all, pageRequest{binding: binding, token: in.NextToken, size: in.MaxResults, order: order},
		func(h *handshakeRecord) sortKey { return sortKey{h.UpdatedAt, h.Id} })
	if err != nil {
		return nil, err
	}
	out := &api.ListChannelHandshakesResponse{Items: make([]api.ChannelHandshakeSummary, len(page)), NextToken: next}
	for i, h := range page {
		out.Items[i] = h.summary()
	}
	return out, nil
}

// typeOptions reads the type-specific filter and sort of a listing. Each
// is a union keyed by handshake type; one for another type than the
// listing's is a bad value (it could only ever match nothing).
func typeOptions(in *api.ListChannelHandshakesRequest) (func(*handshakeRecord) bool, *api.SortOrder, error) {
	filter := func(*handshakeRecord) bool { return true }
	if f := in.HandshakeTypeFilters; f != nil {
		var member string
		switch {
		case f.ProgramManagementAccountTypeFilters != nil:
			member, filter = "programManagementAccountTypeFilters", func(h *handshakeRecord) bool {
				return admits(f.ProgramManagementAccountTypeFilters.Programs, h.Program)
			}
		case f.StartServicePeriodTypeFilters != nil:
			member, filter = "startServicePeriodTypeFilters", periodFilter(f.StartServicePeriodTypeFilters.ServicePeriodTypes)
		case f.RevokeServicePeriodTypeFilters != nil:
			member, filter = "revokeServicePeriodTypeFilters", periodFilter(f.RevokeServicePeriodTypeFilters.ServicePeriodTypes)
		}
		if err := matchesType(in.HandshakeType, "handshakeTypeFilters", member); err != nil {
			return nil, nil, err
		}
	}
	var order *api.SortOrder
	if so := in.HandshakeTypeSort; so != nil {
		var member string
		switch {
		case so.ProgramManagementAccountTypeSort != nil:
			member, order = "programManagementAccountTypeSort", &so.ProgramManagementAccountTypeSort.SortOrder
		case so.StartServicePeriodTypeSort != nil:
			member, order = "startServicePeriodTypeSort", &so.StartServicePeriodTypeSort.SortOrder
		case so.RevokeServicePeriodTypeSort != nil:
			member, order = "revokeServicePeriodTypeSort", &so.RevokeServicePeriodTypeSort.SortOrder
		}
		if err := matchesType(in.HandshakeType, "handshakeTypeSort", member); err != nil {
			return nil, nil, err
		}
	}
	return filter, order, nil
}

func periodFilter(types []api.ServicePeriodType) func(*handshakeRecord) bool {
	return func(h *handshakeRecord) bool { return h.Period != nil && admits(types, h.Period.Type) }
}

// typePrefixes name each handshake type's members of the type unions.
var typePrefixes = map[api.HandshakeType]string{
	api.HandshakeTypeProgramManagementAccount: "programManagementAccount",
	api.HandshakeTypeStartServicePeriod:       "startServicePeriod",
	api.HandshakeTypeRevokeServicePeriod:      "revokeServicePeriod",
}

func matchesType(t api.HandshakeType, union, member string) error {
	if member == "" || len(member) >= len(typePrefixes[t]) && member[:len(typePrefixes[t])] == typePrefixes[t] {
		return nil
	}
	return invalidField(union+"."+member, "The listing is of "+string(t)+" handshakes; "+member+" applies to another type.")
}
