package server

import (
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/wire"
)

// taskHandlers serve the three engagement tasks, AWS's prospecting of
// engagements, and their listings.
func taskHandlers(svc *selling.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"StartEngagementFromOpportunityTask":       bind(svc.StartEngagementFromOpportunityTask),
		"StartEngagementByAcceptingInvitationTask": bind(svc.StartEngagementByAcceptingInvitationTask),
		"StartOpportunityFromEngagementTask":       bind(svc.StartOpportunityFromEngagementTask),
		"ListEngagementFromOpportunityTasks":       bind(svc.ListEngagementFromOpportunityTasks),
		"ListEngagementByAcceptingInvitationTasks": bind(svc.ListEngagementByAcceptingInvitationTasks),
		"ListOpportunityFromEngagementTasks":       bind(svc.ListOpportunityFromEngagementTasks),
		"StartProspectingFromEngagementTask":       bind(svc.StartProspectingFromEngagementTask),
		"GetProspectingFromEngagementTask":         bind(svc.GetProspectingFromEngagementTask),
		"ListProspectingFromEngagementTasks":       bind(svc.ListProspectingFromEngagementTasks),
	}
}
