// Package feed brings Partner Central's events to the sync connector.
// A Source delivers each event, at least once, to a function that returns
// only after the event's work is committed; sources differ in transport:
// cosell's Server-Sent Events stream (Stream, resumable by cursor), a
// webhook receiver (Webhook), and an SQS queue (SQS): on AWS the events
// reach the connector through an EventBridge rule that feeds one, and
// cosell serves each account such a queue too.
package feed

import (
	"context"
	"encoding/json"
	"fmt"
)

// Event is what the connector needs from an EventBridge event.
type Event struct {
	ID            string // the envelope id: the deduplication key
	DetailType    string // "Opportunity Updated", "Engagement Invitation Created", ...
	Catalog       string
	OpportunityID string // detail.opportunity.identifier, when the event is about one
	InvitationID  string // detail.engagementInvitation.id, when the event is about one
	Cursor        string // where the source resumes after this event; "" when it keeps its own place
}

// Deliver hands one event over; an error means "not done, deliver again".
type Deliver func(ctx context.Context, e Event) error

// Source runs until ctx ends, delivering events that come after the
// cursor (sources that keep their own place ignore it).
type Source interface {
	Run(ctx context.Context, after string, deliver Deliver) error
}

// envelope is the part of an EventBridge event the connector reads.
type envelope struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Detail     struct {
		Catalog     string `json:"catalog"`
		Opportunity struct {
			Identifier string `json:"identifier"`
		} `json:"opportunity"`
		EngagementInvitation struct {
			ID string `json:"id"`
		} `json:"engagementInvitation"`
	} `json:"detail"`
}

// Parse reads an EventBridge event's JSON.
func Parse(body []byte) (Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, fmt.Errorf("feed: event: %w", err)
	}
	if env.ID == "" {
		return Event{}, fmt.Errorf("feed: event without an id")
	}
	return Event{
		ID: env.ID, DetailType: env.DetailType, Catalog: env.Detail.Catalog,
		OpportunityID: env.Detail.Opportunity.Identifier, InvitationID: env.Detail.EngagementInvitation.ID,
	}, nil
}
