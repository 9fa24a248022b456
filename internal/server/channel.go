package server

import (
	"context"

	channelapi "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/channel"
	"github.com/cosell/cosell/internal/wire"
)

// registerChannel is the one place the Channel domain joins the server.
func registerChannel(api *wire.API, d *deps) error {
	names := make(map[string]string, len(d.accounts))
	for _, a := range d.accounts {
		names[a.AccountID] = a.CompanyName
	}
	svc := channel.New(channel.Config{Store: d.store, Clock: d.cfg.Clock, Region: d.cfg.Region, TokenKey: d.tokenKey, Accounts: names})
	d.aws.channel = svc
	return addHandlers(api, map[string]wire.Handler{
		"CreateProgramManagementAccount": bind(svc.CreateProgramManagementAccount),
		"UpdateProgramManagementAccount": bind(svc.UpdateProgramManagementAccount),
		"DeleteProgramManagementAccount": bind(svc.DeleteProgramManagementAccount),
		"ListProgramManagementAccounts":  bind(svc.ListProgramManagementAccounts),
		"CreateRelationship":             bind(svc.CreateRelationship),
		"GetRelationship":                bind(svc.GetRelationship),
		"UpdateRelationship":             bind(svc.UpdateRelationship),
		"DeleteRelationship":             bind(svc.DeleteRelationship),
		"ListRelationships":              bind(svc.ListRelationships),
		"CreateChannelHandshake":         bind(svc.CreateChannelHandshake),
		"AcceptChannelHandshake":         bind(svc.AcceptChannelHandshake),
		"RejectChannelHandshake":         bind(svc.RejectChannelHandshake),
		"CancelChannelHandshake":         bind(svc.CancelChannelHandshake),
		"ListChannelHandshakes":          bind(svc.ListChannelHandshakes),
		"TagResource":                    bind(svc.TagResource),
		"UntagResource":                  bind(svc.UntagResource),
		"ListTagsForResource":            bind(svc.ListTagsForResource),
	})
}

// channelSide adapts the Channel domain to the admin API's channel routes.
type channelSide struct{ svc *channel.Service }

// channelRoutes is the admin API's view of the Channel domain, or nil
// when the server does not serve it.
func (a awsSide) channelRoutes() admin.ChannelSide {
	if a.channel == nil {
		return nil
	}
	return channelSide{a.channel}
}

func (c channelSide) Handshake(ctx context.Context, catalog, id string) (any, error) {
	return c.svc.Handshake(ctx, catalog, id)
}

func (c channelSide) AnswerHandshake(ctx context.Context, catalog, id string, accept bool) (any, error) {
	status := channelapi.HandshakeStatusRejected
	if accept {
		status = channelapi.HandshakeStatusAccepted
	}
	return c.svc.AnswerAsReceiver(ctx, catalog, id, status)
}

func (c channelSide) ExpireHandshake(ctx context.Context, catalog, id string) (any, error) {
	return c.svc.ExpireHandshake(ctx, catalog, id)
}
