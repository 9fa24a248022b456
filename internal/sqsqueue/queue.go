package sqsqueue

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store"
)

// QueueName is the one queue every account has: its Partner Central
// events, as an EventBridge rule targeting an SQS queue would deliver them.
const QueueName = "cosell-partnercentral-events"

// pageSize is how many events a scan of the outbox reads at a time.
const pageSize = 100

// Message is one received message: an outbox event and its receive count.
type Message struct {
	Event          store.Event
	Receives       int
	FirstReceiveMs int64
	ReceiptHandle  string
}

// Errors of the queue operations, for the protocol layer to model.
var (
	errInvalidHandle = errors.New("receipt handle is not valid")
	errStaleHandle   = errors.New("receipt handle has expired")
	errNotInFlight   = errors.New("message is not in flight")
)

// Queues are the accounts' event queues over one store. Visibility is
// measured on the server clock, so moving it (admin API) expires it.
type Queues struct {
	Store store.Store
	Clock clock.Clock

	// mu makes each read-modify-write of a state atomic in this process,
	// whatever isolation the store's transactions give.
	mu sync.Mutex
}

// update runs fn on account's state in one transaction and saves it.
func (q *Queues) update(ctx context.Context, account string, fn func(tx store.Tx, st *state, nowMs int64) error) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.Store.Update(ctx, func(tx store.Tx) error {
		st, err := loadState(ctx, tx, account)
		if err != nil {
			return err
		}
		if err := fn(tx, st, q.Clock.Now().UnixMilli()); err != nil {
			return err
		}
		return st.save(ctx, tx, account)
	})
}

// Receive takes up to limit visible messages, oldest first, and hides them
// for visibility.
func (q *Queues) Receive(ctx context.Context, account string, limit int, visibility time.Duration) ([]Message, error) {
	var out []Message
	err := q.update(ctx, account, func(tx store.Tx, st *state, nowMs int64) error {
		out = out[:0] // the store may run fn again
		after := st.Cursor
		for len(out) < limit {
			page, err := tx.ListEvents(ctx, store.EventQuery{Account: account, AfterSeq: after, Limit: pageSize})
			if err != nil {
				return err
			}
			for _, e := range page {
				after = e.Seq
				rec := st.Messages[e.Seq]
				if rec != nil && (rec.Deleted || rec.VisibleAtMs > nowMs) {
					continue
				}
				if rec == nil {
					rec = &record{FirstReceiveMs: nowMs}
					st.Messages[e.Seq] = rec
				}
				rec.Receives++
				rec.VisibleAtMs = nowMs + visibility.Milliseconds()
				out = append(out, Message{Event: e, Receives: rec.Receives, FirstReceiveMs: rec.FirstReceiveMs,
					ReceiptHandle: handle{Account: account, Seq: e.Seq, Receive: rec.Receives}.String()})
				if len(out) == limit {
					break
				}
			}
			if len(page) < pageSize {
				break
			}
		}
		return nil
	})
	return out, err
}

// Delete removes the message receiptHandle names. Deleting a message
// already deleted succeeds, as SQS's does; so does a handle from an
// earlier receive of the message.
func (q *Queues) Delete(ctx context.Context, account, receiptHandle string) error {
	h, err := parseHandle(receiptHandle, account)
	if err != nil {
		return err
	}
	return q.update(ctx, account, func(tx store.Tx, st *state, _ int64) error {
		if h.Seq <= st.Cursor {
			return nil
		}
		rec := st.Messages[h.Seq]
		if rec == nil || rec.Receives < h.Receive {
			return errInvalidHandle
		}
		rec.Deleted = true
		return st.compact(ctx, tx, account)
	})
}

// ChangeVisibility hides an in-flight message for timeout from now (0
// makes it visible at once). Only the latest receive's handle may.
func (q *Queues) ChangeVisibility(ctx context.Context, account, receiptHandle string, timeout time.Duration) error {
	h, err := parseHandle(receiptHandle, account)
	if err != nil {
		return err
	}
	return q.update(ctx, account, func(_ store.Tx, st *state, nowMs int64) error {
		rec := st.Messages[h.Seq]
		switch {
		case h.Seq <= st.Cursor || rec == nil || rec.Deleted || rec.Receives < h.Receive:
			return errInvalidHandle
		case rec.Receives > h.Receive:
			return errStaleHandle
		case rec.VisibleAtMs <= nowMs:
			return errNotInFlight
		}
		rec.VisibleAtMs = nowMs + timeout.Milliseconds()
		return nil
	})
}

// Counts are a queue's visible and in-flight messages.
func (q *Queues) Counts(ctx context.Context, account string) (visible, inFlight int, err error) {
	st, err := loadState(ctx, q.Store, account)
	if err != nil {
		return 0, 0, err
	}
	nowMs := q.Clock.Now().UnixMilli()
	for after := st.Cursor; ; {
		page, err := q.Store.ListEvents(ctx, store.EventQuery{Account: account, AfterSeq: after, Limit: pageSize})
		if err != nil {
			return 0, 0, err
		}
		for _, e := range page {
			after = e.Seq
			switch rec := st.Messages[e.Seq]; {
			case rec == nil || rec.VisibleAtMs <= nowMs && !rec.Deleted:
				visible++
			case !rec.Deleted:
				inFlight++
			}
		}
		if len(page) < pageSize {
			return visible, inFlight, nil
		}
	}
}

// Status is where an account's queue stands, as a console shows it beside
// the webhooks' delivery state.
type Status struct {
	Account string
	// Cursor is the Seq up to which every event of the account is deleted.
	Cursor int64
	// InFlight counts messages received and hidden, not yet deleted.
	InFlight int
	// Redelivered counts messages not yet deleted that were received more
	// than once: their consumer let the visibility timeout run out.
	Redelivered int
	// MaxReceives is the highest receive count among those messages.
	MaxReceives int
}

// Status reads account's queue from its saved state alone, without
// scanning the outbox (Counts does), so it stays cheap at any backlog.
func (q *Queues) Status(ctx context.Context, account string) (Status, error) {
	st, err := loadState(ctx, q.Store, account)
	if err != nil {
		return Status{}, err
	}
	s := Status{Account: account, Cursor: st.Cursor}
	nowMs := q.Clock.Now().UnixMilli()
	for _, rec := range st.Messages {
		if rec.Deleted {
			continue
		}
		if rec.VisibleAtMs > nowMs {
			s.InFlight++
		}
		if rec.Receives > 1 {
			s.Redelivered++
		}
		s.MaxReceives = max(s.MaxReceives, rec.Receives)
	}
	return s, nil
}
