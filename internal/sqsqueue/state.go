package sqsqueue

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/internal/store"
)

// The queue's messages are the account's events in the outbox; nothing is
// copied. What the queue adds is kept in one server setting per queue: a
// cursor below which every message is deleted, and a record of each
// message after it that was received or deleted. The setting is rewritten
// in the transaction of every receive, delete or visibility change, so
// in-flight messages and deletions survive a restart.

// state is a queue's persisted bookkeeping.
type state struct {
	// Cursor is the Seq up to which every event of the account is deleted.
	Cursor int64 `json:"cursor"`
	// Messages records the received or deleted messages after Cursor;
	// a message without a record has never been received.
	Messages map[int64]*record `json:"messages,omitempty"`
}

// record is one message's receive history.
type record struct {
	Receives       int   `json:"receives"`
	FirstReceiveMs int64 `json:"firstReceiveMs"`
	VisibleAtMs    int64 `json:"visibleAtMs"` // hidden until then: in flight
	Deleted        bool  `json:"deleted,omitempty"`
}

// serverScope is where server-wide settings live, as the event
// destinations' cursors do.
var serverScope = store.Scope{}

func settingName(account string) string { return "sqs-queue:" + account + "/" + QueueName }

// loadState reads a queue's state; a queue nobody has received from yet
// starts at the beginning of the outbox.
func loadState(ctx context.Context, r store.Reader, account string) (*state, error) {
	st := &state{}
	if _, err := store.ReadJSONSetting(ctx, r, serverScope, settingName(account), st); err != nil {
		return nil, fmt.Errorf("sqs: queue state of %s: %w", account, err)
	}
	if st.Messages == nil {
		st.Messages = map[int64]*record{}
	}
	return st, nil
}

func (st *state) save(ctx context.Context, tx store.Tx, account string) error {
	return store.WriteJSONSetting(ctx, tx, serverScope, settingName(account), st)
}

// compact moves the cursor over the deleted messages at the head of the
// queue and forgets their records, so the state stays as small as the
// set of messages received but not yet all deleted.
func (st *state) compact(ctx context.Context, r store.Reader, account string) error {
	after := st.Cursor
	for {
		page, err := r.ListEvents(ctx, store.EventQuery{Account: account, AfterSeq: after, Limit: pageSize})
		if err != nil {
			return err
		}
		for _, e := range page {
			if rec := st.Messages[e.Seq]; rec == nil || !rec.Deleted {
				st.advance(e.Seq - 1)
				return nil
			}
			after = e.Seq
		}
		if len(page) < pageSize {
			// Every event left is deleted. Records past the last event
			// (the outbox was reset under them) name nothing; drop them too.
			for seq := range st.Messages {
				after = max(after, seq)
			}
			st.advance(after)
			return nil
		}
	}
}

func (st *state) advance(cursor int64) {
	if cursor <= st.Cursor {
		return
	}
	st.Cursor = cursor
	for seq := range st.Messages {
		if seq <= cursor {
			delete(st.Messages, seq)
		}
	}
}
