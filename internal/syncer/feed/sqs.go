package feed

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// SQSAPI is the part of the SQS client SQS uses.
type SQSAPI interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, optFns ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// SQS follows an SQS queue that an EventBridge rule feeds with Partner
// Central's events, as on AWS (or cosell's own queue of them). A message
// is deleted only after its event's work is committed, so anything not
// done comes back after the queue's visibility timeout; the queue keeps
// the place, and the engine drops what it has already seen by event id.
type SQS struct {
	Client   SQSAPI
	QueueURL string
	Log      *slog.Logger
}

// NewSQS follows queueURL with a client from the AWS SDK's standard
// configuration: credentials from the usual chain, the endpoint from
// AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL (cosell's URL, to use its
// queue). With no region configured, the queue URL's is used.
func NewSQS(ctx context.Context, queueURL string, log *slog.Logger) (*SQS, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("feed: AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = regionOf(queueURL)
	}
	return &SQS{Client: sqs.NewFromConfig(cfg), QueueURL: queueURL, Log: log}, nil
}

// regionOf reads the region of an AWS queue URL
// (https://sqs.<region>.amazonaws.com/...); us-east-1 for any other.
func regionOf(queueURL string) string {
	u, err := url.Parse(queueURL)
	if err == nil {
		if labels := strings.Split(u.Hostname(), "."); len(labels) >= 4 && labels[0] == "sqs" {
			return labels[1]
		}
	}
	return "us-east-1"
}

// Long polls of the longest wait SQS allows, ten messages at a time.
const (
	sqsWaitSeconds = 20
	sqsBatch       = 10
	// sqsDeleteTimeout bounds a delete made as the connector stops.
	sqsDeleteTimeout = 10 * time.Second
)

// Run implements Source; the queue keeps its own place, so after is ignored.
func (s *SQS) Run(ctx context.Context, _ string, deliver Deliver) error {
	for ctx.Err() == nil {
		out, err := s.Client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(s.QueueURL), MaxNumberOfMessages: sqsBatch, WaitTimeSeconds: sqsWaitSeconds,
		})
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Warn("SQS receive failed; retrying", "queue", s.QueueURL, "err", err)
				sleepCtx(ctx, reconnectDelay)
			}
			continue
		}
		for _, m := range out.Messages {
			s.handle(ctx, deliver, aws.ToString(m.Body), m.ReceiptHandle)
		}
	}
	return nil
}

// handle delivers one message and deletes it once delivered. A message
// that is not an event is deleted too: it would only come back.
func (s *SQS) handle(ctx context.Context, deliver Deliver, body string, receipt *string) {
	e, err := Parse([]byte(body))
	if err != nil {
		s.Log.Warn("SQS message is not an EventBridge event; deleting it", "queue", s.QueueURL, "err", err)
	} else if err := deliver(ctx, e); err != nil {
		s.Log.Warn("event not delivered; the queue will redeliver it", "event", e.ID, "err", err)
		return
	}
	// The event's work is committed, so the delete outlives a stop; a
	// failed one only costs a redelivery, which the engine recognises by
	// event id.
	del, cancel := context.WithTimeout(context.WithoutCancel(ctx), sqsDeleteTimeout)
	defer cancel()
	if _, err := s.Client.DeleteMessage(del, &sqs.DeleteMessageInput{QueueUrl: aws.String(s.QueueURL), ReceiptHandle: receipt}); err != nil {
		s.Log.Warn("SQS delete failed; the event will come again", "queue", s.QueueURL, "err", err)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
