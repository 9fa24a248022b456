package server

import (
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/wire"
)

// engagementHandlers serve engagements, their members, contexts and
// resource associations.
func engagementHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateEngagement":                   bind(svc.CreateEngagement),
		"GetEngagement":                      bind(svc.GetEngagement),
		"ListEngagements":                    bind(svc.ListEngagements),
		"ListEngagementMembers":              bind(svc.ListEngagementMembers),
		"ListEngagementResourceAssociations": bind(svc.ListEngagementResourceAssociations),
		"CreateEngagementContext":            bind(svc.CreateEngagementContext),
		"UpdateEngagementContext":            bind(svc.UpdateEngagementContext),
	}
}
