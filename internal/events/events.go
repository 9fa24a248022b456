// Package events builds the EventBridge events Partner Central emits, in the
// envelope of the real captures (semantics.md §1.3), and appends them to the
// store's outbox inside the transaction of the change they report.
package events

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/store"
)

// Sources of Partner Central's events.
const (
	SourceSelling  = "aws.partnercentral-selling"
	SourceAccount  = "aws.partnercentral-account"
	SourceChannel  = "aws.partnercentral-channel"
	SourceBenefits = "aws.partnercentral-benefits"
)

// Envelope is an EventBridge event as delivered: the real captures show
// version "0" and time at second precision.
type Envelope struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     any      `json:"detail"`
}

// Emitter appends events for one source and region.
type Emitter struct {
	Source string
	Region string
}

// Emit appends one event for account to the outbox in tx. resources are the
// ARNs the event is about ([] when none, as the captures show).
func (m Emitter) Emit(ctx context.Context, tx store.Tx, now time.Time, account, detailType string, resources []string, detail any) error {
	if resources == nil {
		resources = []string{}
	}
	env := Envelope{
		Version: "0", ID: uuid.NewString(), DetailType: detailType, Source: m.Source, Account: account,
		Time: now.UTC().Format(time.RFC3339), Region: m.Region, Resources: resources, Detail: detail,
	}
	body, err := json.Marshal(env)
	if err != nil {
		return err
	}
	return tx.AppendEvent(ctx, &store.Event{Account: account, ID: env.ID, Time: now, DetailType: detailType, Body: body})
}
