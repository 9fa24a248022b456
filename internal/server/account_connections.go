package server

import (
	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/wire"
)

// connectionHandlers serve connection invitations, connections and
// connection preferences.
func connectionHandlers(svc *account.Service) map[string]wire.Handler {
	return map[string]wire.Handler{
		"CreateConnectionInvitation":  bind(svc.CreateConnectionInvitation),
		"GetConnectionInvitation":     bind(svc.GetConnectionInvitation),
		"ListConnectionInvitations":   bind(svc.ListConnectionInvitations),
		"AcceptConnectionInvitation":  bind(svc.AcceptConnectionInvitation),
		"RejectConnectionInvitation":  bind(svc.RejectConnectionInvitation),
		"CancelConnectionInvitation":  bind(svc.CancelConnectionInvitation),
		"GetConnection":               bind(svc.GetConnection),
		"ListConnections":             bind(svc.ListConnections),
		"CancelConnection":            bind(svc.CancelConnection),
		"GetConnectionPreferences":    bind(svc.GetConnectionPreferences),
		"UpdateConnectionPreferences": bind(svc.UpdateConnectionPreferences),
	}
}
