package store

import (
	"context"
	"time"
)

// Event is one event for one account, as written to the outbox in the same
// transaction as the change it reports: a committed change always has its
// events, a rolled-back one never does. Seq orders events in commit order.
type Event struct {
	Seq        int64 // assigned by AppendEvent; strictly increasing server-wide
	Account    string
	ID         string
	Time       time.Time
	DetailType string
	Body       []byte // the whole EventBridge event (envelope and detail) as JSON
}

// EventQuery selects events after a sequence number, oldest first.
type EventQuery struct {
	Account  string // "" for every account
	AfterSeq int64
	Limit    int // <= 0: no limit
}

// EventReader reads the outbox.
type EventReader interface {
	ListEvents(ctx context.Context, q EventQuery) ([]Event, error)
	// LastEventSeq is the Seq of the newest event, 0 when there is none.
	LastEventSeq(ctx context.Context) (int64, error)
}

// EventWriter appends to the outbox inside a transaction.
type EventWriter interface {
	// AppendEvent stores e and sets e.Seq.
	AppendEvent(ctx context.Context, e *Event) error
}
