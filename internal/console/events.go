package console

import (
	"encoding/json"
	"net/http"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/sqsqueue"
	"github.com/cosell/cosell/internal/store"
)

// Live events: the newest events of the outbox, then every new one as it
// commits, through the admin API's own Server-Sent Events stream; and
// where each webhook's delivery and each account's SQS queue stands.

// recentEvents is how many events the page starts with.
const recentEvents = 50

func (c *console) eventRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"events", c.eventsPage)
	// ?account= and ?after= as the admin stream reads them; the page
	// filters by source and detail-type itself.
	mux.HandleFunc("GET "+Prefix+"events/stream", admin.StreamEvents(c.cfg.Events))
}

// shownEvent is one event as the page lists it.
type shownEvent struct {
	Seq        int64
	Account    string
	Time       string
	Source     string
	DetailType string
	Body       json.RawMessage
}

func shownOf(e store.Event) shownEvent {
	var env struct {
		Source string `json:"source"`
	}
	_ = json.Unmarshal(e.Body, &env)
	return shownEvent{Seq: e.Seq, Account: e.Account, Time: formatTime(e.Time), Source: env.Source, DetailType: e.DetailType, Body: e.Body}
}

type eventsData struct {
	Account, Source, DetailType string // the filters
	Events                      []shownEvent
	After                       int64 // the stream starts after this event
	Webhooks                    []hub.WebhookState
	Queues                      []sqsqueue.Status
	DeliveryError               string
}

// eventsPage answers GET /console/events?account=&source=&detailType=:
// the newest events, newest first, and the delivery state.
func (c *console) eventsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := eventsData{Account: q.Get("account"), Source: q.Get("source"), DetailType: q.Get("detailType")}
	last, err := c.cfg.Outbox.LastEventSeq(ctx)
	if err != nil {
		c.failed(w, r, http.StatusInternalServerError, err)
		return
	}
	d.After = last
	// The outbox reads oldest first; look at a window before the newest.
	events, err := c.cfg.Outbox.ListEvents(ctx, store.EventQuery{Account: d.Account, AfterSeq: max(0, last-recentEvents*20), Limit: recentEvents * 20})
	if err != nil {
		c.failed(w, r, http.StatusInternalServerError, err)
		return
	}
	for i := len(events) - 1; i >= 0 && len(d.Events) < recentEvents; i-- {
		e := shownOf(events[i])
		if (d.Source == "" || e.Source == d.Source) && (d.DetailType == "" || e.DetailType == d.DetailType) {
			d.Events = append(d.Events, e)
		}
	}
	if d.Webhooks, err = c.cfg.Events.Webhooks(ctx); err != nil {
		d.DeliveryError = err.Error()
	}
	if c.cfg.Queues != nil {
		for _, a := range c.cfg.Accounts {
			s, err := c.cfg.Queues.Status(ctx, a.AccountID)
			if err != nil {
				d.DeliveryError = err.Error()
				break
			}
			d.Queues = append(d.Queues, s)
		}
	}
	c.render(w, r, http.StatusOK, "events", page{Title: "Events", Nav: "events", Data: &d})
}
