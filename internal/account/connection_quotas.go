package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Connection quotas per account, the same in both catalogs (semantics §5.3).
const (
	maxInvitationsPerDay  = 50
	maxOpenInvitations    = 1000
	maxActiveConnections  = 1000
	invitationQuotaWindow = 24 * time.Hour
)

// checkSendQuotas refuses an invitation past the sender's quotas: 50 sent
// in the last 24 hours (a rolling window, as AWS's daily Selling quotas
// are) and 1,000 PENDING.
func (s *Service) checkSendQuotas(ctx context.Context, r store.Reader, catalog, account string) error {
	latest, _, err := docstore.List[invitationRecord](ctx, r, store.DocumentQuery{
		Kind: kindConnectionInvitation, Catalog: catalog, Descending: true, Limit: maxInvitationsPerDay,
		Match: map[string][]string{"sender": {account}},
	})
	if err != nil {
		return err
	}
	if len(latest) == maxInvitationsPerDay && s.now().Sub(latest[maxInvitationsPerDay-1].CreatedAt) < invitationQuotaWindow {
		return apierr.QuotaExceeded("You have sent %d connection invitations in the last 24 hours, the most allowed.", maxInvitationsPerDay).
			WithReason(string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfConnectionInvitationPerDay))
	}
	open, err := s.countDocs(ctx, r, catalog, kindConnectionInvitation, map[string][]string{"sender": {account}, "status": {string(api.InvitationStatusPending)}}, maxOpenInvitations)
	if err != nil {
		return err
	}
	if open >= maxOpenInvitations {
		return apierr.QuotaExceeded("You have %d open connection invitations, the most allowed.", maxOpenInvitations).
			WithReason(string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfOpenConnectionInvitation))
	}
	return nil
}

// checkConnectionQuota refuses a new connection for an account that
// already has the most active connections allowed.
func (s *Service) checkConnectionQuota(ctx context.Context, r store.Reader, catalog, account string) error {
	n, err := s.countDocs(ctx, r, catalog, kindConnection, map[string][]string{"live": {account}}, maxActiveConnections)
	if err != nil {
		return err
	}
	if n >= maxActiveConnections {
		return apierr.QuotaExceeded("Account %s has %d active connections, the most allowed.", account, maxActiveConnections).
			WithReason(string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfActiveConnection))
	}
	return nil
}

// countDocs counts the documents matching match, stopping at limit.
func (s *Service) countDocs(ctx context.Context, r store.Reader, catalog, kind string, match map[string][]string, limit int) (int, error) {
	rows, err := r.ListDocuments(ctx, store.DocumentQuery{Kind: kind, Catalog: catalog, Match: match, Limit: limit})
	return len(rows), err
}
