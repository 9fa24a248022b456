// Package eventbridge forwards events to an EventBridge endpoint with the
// AWS SDK's PutEvents, one event per call: a call is the unit of
// acknowledgement, so one event per call keeps commit order and retries
// exact.
package eventbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/cosell/cosell/internal/store"
)

// Options say where events go. Credentials and, when set, the region come
// from the standard AWS environment (AWS_ACCESS_KEY_ID, AWS_REGION,
// profiles, ...).
type Options struct {
	Endpoint string // the EventBridge endpoint URL, e.g. a local emulator's
	Region   string // used when the environment names no region
	Bus      string // event bus name; "" is the default bus
}

// Sink puts events on an event bus.
type Sink struct {
	client *eventbridge.Client
	bus    string
}

// New loads the AWS configuration from the environment and returns a Sink.
func New(ctx context.Context, opts Options) (*Sink, error) {
	if opts.Endpoint == "" {
		return nil, errors.New("eventbridge: no endpoint")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("eventbridge: AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = opts.Region
	}
	client := eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) {
		o.BaseEndpoint = aws.String(opts.Endpoint)
		// The dispatcher retries with its own backoff until the event is
		// taken; the SDK's retries would only stack delays on top.
		o.RetryMaxAttempts = 1
	})
	return &Sink{client: client, bus: opts.Bus}, nil
}

// envelope is the part of the stored event PutEvents needs.
type envelope struct {
	Source     string          `json:"source"`
	DetailType string          `json:"detail-type"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// Deliver puts e on the bus; the event is acknowledged when the call
// succeeds and its entry was not refused.
func (s *Sink) Deliver(ctx context.Context, e store.Event) error {
	var env envelope
	if err := json.Unmarshal(e.Body, &env); err != nil {
		return fmt.Errorf("eventbridge: stored event %s: %w", e.ID, err)
	}
	entry := types.PutEventsRequestEntry{
		Source:     aws.String(env.Source),
		DetailType: aws.String(env.DetailType),
		Detail:     aws.String(string(env.Detail)),
		Resources:  env.Resources,
		Time:       aws.Time(e.Time.UTC().Truncate(time.Second)),
	}
	if s.bus != "" {
		entry.EventBusName = aws.String(s.bus)
	}
	out, err := s.client.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{entry}})
	if err != nil {
		return err
	}
	if out.FailedEntryCount > 0 {
		for _, r := range out.Entries {
			if r.ErrorCode != nil {
				return fmt.Errorf("eventbridge refused event %s: %s: %s", e.ID, aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage))
			}
		}
		return fmt.Errorf("eventbridge refused event %s", e.ID)
	}
	return nil
}
