package server

import (
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/wire"
)

// invitationHandlers serve engagement invitations.
func invitationHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateEngagementInvitation": bind(svc.CreateEngagementInvitation),
		"GetEngagementInvitation":    bind(svc.GetEngagementInvitation),
		"ListEngagementInvitations":  bind(svc.ListEngagementInvitations),
		"AcceptEngagementInvitation": bind(svc.AcceptEngagementInvitation),
		"RejectEngagementInvitation": bind(svc.RejectEngagementInvitation),
	}
}
