package server

import (
	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/wire"
)

// profileHandlers serve the partner profile's visibility, its update
// tasks, and the association of qualifications with a primary partner.
func profileHandlers(svc *account.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"GetProfileVisibility":                  bind(svc.GetProfileVisibility),
		"PutProfileVisibility":                  bind(svc.PutProfileVisibility),
		"StartProfileUpdateTask":                bind(svc.StartProfileUpdateTask),
		"GetProfileUpdateTask":                  bind(svc.GetProfileUpdateTask),
		"CancelProfileUpdateTask":               bind(svc.CancelProfileUpdateTask),
		"StartQualificationsAssociationTask":    bind(svc.StartQualificationsAssociationTask),
		"GetQualificationsAssociationTask":      bind(svc.GetQualificationsAssociationTask),
		"GetQualificationsAssociationDetails":   bind(svc.GetQualificationsAssociationDetails),
		"StartQualificationsDisassociationTask": bind(svc.StartQualificationsDisassociationTask),
		"GetQualificationsDisassociationTask":   bind(svc.GetQualificationsDisassociationTask),
	}
}
