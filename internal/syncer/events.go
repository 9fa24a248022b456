package syncer

import (
	"context"
	"strings"

	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/feed"
)

// HandleEvent acts on one event, at most once per event id: an
// opportunity event fetches the latest record (the event's own order and
// content do not matter), an invitation event refreshes the referrals.
// It returns only once the work and the event's mark are committed.
func (e *Engine) HandleEvent(ctx context.Context, ev feed.Event) error {
	mark := &crmdb.EventMark{ID: ev.ID, Cursor: ev.Cursor}
	seen, err := e.DB.EventSeen(ctx, ev.ID)
	if err != nil || seen {
		return err
	}
	log := e.Log.With("event", ev.ID, "detailType", ev.DetailType, "opportunity", ev.OpportunityID)
	switch {
	case ev.Catalog != e.Catalog:
		// Another catalog's: only the mark (and cursor) moves.
	case ev.OpportunityID != "":
		log.Debug("event: fetching the opportunity")
		_, err := e.pull(ctx, ev.OpportunityID, mark)
		return err
	case strings.HasPrefix(ev.DetailType, "Engagement Invitation"):
		log.Debug("event: refreshing invitations")
		if err := e.syncInvitations(ctx); err != nil {
			return err
		}
	}
	_, err = e.DB.ApplyRemote(ctx, e.Catalog, nil, mark)
	return err
}
