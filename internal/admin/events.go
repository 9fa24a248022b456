package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/events/webhook"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/surface"
)

// Events is the event machinery as the admin API drives it: the outbox to
// read and follow, webhooks to configure, and chaos knobs to turn. The
// server hands it the events hub.
type Events interface {
	ListEvents(ctx context.Context, q store.EventQuery) ([]store.Event, error)
	// Changed returns a channel closed when events may have been appended.
	Changed() <-chan struct{}
	// Closing is closed when the server stops; streams end then.
	Closing() <-chan struct{}

	// PutWebhook creates or replaces a webhook; a new one starts after the
	// newest event when fromLatest, else at the account's first.
	PutWebhook(ctx context.Context, c webhook.Config, fromLatest bool) error
	DeleteWebhook(ctx context.Context, id string) error
	Webhooks(ctx context.Context) ([]hub.WebhookState, error)

	SetChaos(ctx context.Context, k chaos.Knobs) error
	Chaos() chaos.Knobs
}

// Limits of GET /_cosell/events.
const (
	defaultEventLimit = 100
	maxEventLimit     = 1000
)

// streamPoll is how often a stream looks at the outbox without a
// notification: commits in this server notify at once, so polling only
// catches writes made by another process on the same data directory.
const streamPoll = time.Second

// streamHeartbeat keeps idle streams alive through proxies that close
// silent connections.
const streamHeartbeat = 15 * time.Second

// loggedEvent is one event as the log and the stream show it.
type loggedEvent struct {
	Seq     int64           `json:"seq"`
	Account string          `json:"account"`
	Event   json.RawMessage `json:"event"`
}

// eventPage is the answer of GET /_cosell/events; After is where the next
// page starts.
type eventPage struct {
	Events []loggedEvent `json:"events"`
	After  int64         `json:"after"`
}

// eventQuery reads ?account=&after=&limit=.
func eventQuery(r *http.Request) (store.EventQuery, error) {
	q := store.EventQuery{Account: r.URL.Query().Get("account"), Limit: defaultEventLimit}
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return q, fmt.Errorf("after %q: want a sequence number >= 0", v)
		}
		q.AfterSeq = n
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxEventLimit {
			return q, fmt.Errorf("limit %q: want 1 to %d", v, maxEventLimit)
		}
		q.Limit = n
	}
	return q, nil
}

// listEvents answers GET /_cosell/events: one page of the outbox in
// commit order.
func listEvents(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := eventQuery(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		events, err := ev.ListEvents(r.Context(), q)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "read the events: "+err.Error())
			return
		}
		page := eventPage{Events: make([]loggedEvent, len(events)), After: q.AfterSeq}
		for i, e := range events {
			page.Events[i] = loggedEvent{Seq: e.Seq, Account: e.Account, Event: e.Body}
			page.After = e.Seq
		}
		writeJSON(w, http.StatusOK, page)
	}
}

// StreamEvents answers GET /_cosell/events/stream (and the console's live
// view) with Server-Sent Events: every event after the cursor, then new
// ones as they commit.
// Each message's id is the event's Seq, so a client that reconnects with
// Last-Event-ID (as EventSource does) resumes after the last one it got;
// the header wins over ?after=, which names where the first connection
// started.
func StreamEvents(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := eventQuery(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if v := r.Header.Get("Last-Event-ID"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				writeError(w, http.StatusBadRequest, "Last-Event-ID "+strconv.Quote(v)+": want a sequence number")
				return
			}
			q.AfterSeq = n
		}
		q.Limit = maxEventLimit
		flusher, ok := w.(http.Flusher)
		if !ok {
			writeError(w, http.StatusInternalServerError, "this connection cannot stream")
			return
		}
		// The stream outlives the server's read and write timeouts; its
		// deadlines move on with each write instead.
		if err := surface.KeepStreaming(w); err != nil {
			writeError(w, http.StatusInternalServerError, "this connection cannot stream: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		// A comment first, so the client sees the stream open at once.
		if _, err := fmt.Fprint(w, ": cosell events\n\n"); err != nil {
			return
		}
		flusher.Flush()

		poll, beat := time.NewTicker(streamPoll), time.NewTicker(streamHeartbeat)
		defer poll.Stop()
		defer beat.Stop()
		for {
			if surface.KeepStreaming(w) != nil {
				return
			}
			changed := ev.Changed() // before reading, so no commit slips between
			events, err := ev.ListEvents(r.Context(), q)
			if err != nil {
				return // the client reconnects with its Last-Event-ID
			}
			for _, e := range events {
				if err := writeSSE(w, e); err != nil {
					return
				}
				q.AfterSeq = e.Seq
			}
			if len(events) == q.Limit {
				continue // more are waiting
			}
			flusher.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-ev.Closing():
				return
			case <-changed:
			case <-poll.C:
			case <-beat.C:
				if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
					return
				}
			}
		}
	}
}

// writeSSE writes one event; a body with newlines (the store's bodies
// have none) would be split over several data lines, as SSE requires.
func writeSSE(w http.ResponseWriter, e store.Event) error {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %d\n", e.Seq)
	for _, line := range strings.Split(string(e.Body), "\n") {
		b.WriteString("data: ")
		b.WriteString(strings.TrimSuffix(line, "\r"))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	_, err := w.Write([]byte(b.String()))
	return err
}

// webhookBody is the body of PUT /_cosell/webhooks/{id}.
type webhookBody struct {
	Account string          `json:"account"`
	URL     string          `json:"url"`
	Secret  string          `json:"secret"`
	Pattern json.RawMessage `json:"pattern"`
	StartAt string          `json:"startAt"` // a new webhook's first event: "first" (default) or "latest"
}

// putWebhook answers PUT /_cosell/webhooks/{id}: create or replace.
func putWebhook(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b webhookBody
		if err := readJSON(w, r, &b); err != nil {
			writeError(w, http.StatusBadRequest, "body: "+err.Error())
			return
		}
		if b.StartAt != "" && b.StartAt != "first" && b.StartAt != "latest" {
			writeError(w, http.StatusBadRequest, `startAt: want "first" or "latest"`)
			return
		}
		c := webhook.Config{ID: r.PathValue("id"), Account: b.Account, URL: b.URL, Secret: b.Secret, Pattern: b.Pattern}
		if err := ev.PutWebhook(r.Context(), c, b.StartAt == "latest"); err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, webhook.ErrInvalid) {
				status = http.StatusBadRequest
			}
			writeError(w, status, err.Error())
			return
		}
		c.Secret = ""
		writeJSON(w, http.StatusOK, c)
	}
}

// webhookList is the answer of GET /_cosell/webhooks.
type webhookList struct {
	Webhooks []hub.WebhookState `json:"webhooks"`
}

func listWebhooks(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hooks, err := ev.Webhooks(r.Context())
		if err != nil {
			writeError(w, http.StatusInternalServerError, "read the webhooks: "+err.Error())
			return
		}
		if hooks == nil {
			hooks = []hub.WebhookState{}
		}
		writeJSON(w, http.StatusOK, webhookList{Webhooks: hooks})
	}
}

func deleteWebhook(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := ev.DeleteWebhook(r.Context(), r.PathValue("id"))
		switch {
		case errors.Is(err, webhook.ErrNotFound):
			writeError(w, http.StatusNotFound, err.Error())
		case err != nil:
			writeError(w, http.StatusInternalServerError, err.Error())
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

func getChaos(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, ev.Chaos()) }
}

// putChaos answers PUT /_cosell/events/chaos: the body replaces every
// knob, so {} turns chaos off.
func putChaos(ev Events) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var k chaos.Knobs
		if err := readJSON(w, r, &k); err != nil {
			writeError(w, http.StatusBadRequest, "body: "+err.Error())
			return
		}
		if err := ev.SetChaos(r.Context(), k); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, ev.Chaos())
	}
}
