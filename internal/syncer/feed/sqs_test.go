package feed_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/syncer/feed"
)

// TestSQSDeliversAndDeletesOnlyAcknowledged follows cosell's SQS queue
// with a client configured the way the CLI's is (environment only): every
// event reaches the callback, a refused one stays on the queue and comes
// back after the visibility timeout, acknowledged ones are deleted.
func TestSQSDeliversAndDeletesOnlyAcknowledged(t *testing.T) {
	srv := servertest.Start(t, server.Config{DataDir: t.TempDir()})
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_SQS": srv.URL(), "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none} {
		t.Setenv(k, v)
	}
	queueURL := srv.URL() + "/111111111111/cosell-partnercentral-events"
	src, err := feed.NewSQS(context.Background(), queueURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}

	api := srv.SellingClient("test", "test")
	want := map[string]bool{} // opportunity ids whose creation is yet to be acknowledged
	for _, company := range []string{"Queue One", "Queue Two", "Queue Three"} {
		out, err := api.CreateOpportunity(context.Background(), &selling.CreateOpportunityRequest{Catalog: "Sandbox",
			Customer: &selling.Customer{Account: &selling.Account{CompanyName: company}}})
		if err != nil {
			t.Fatal(err)
		}
		want[out.Id] = true
	}

	acked := make(chan feed.Event, 10)
	refused := "" // the event id refused once
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- src.Run(ctx, "", func(_ context.Context, e feed.Event) error {
			if refused == "" {
				refused = e.ID
				return errors.New("not now")
			}
			acked <- e
			return nil
		})
	}()
	receive := func() feed.Event {
		t.Helper()
		select {
		case e := <-acked:
			if e.DetailType != "Opportunity Created" || e.Catalog != "Sandbox" || !want[e.OpportunityID] {
				t.Fatalf("unexpected event %+v", e)
			}
			delete(want, e.OpportunityID)
			return e
		case <-time.After(time.Minute):
			t.Fatalf("no event; still waiting for %v", want)
			return feed.Event{}
		}
	}
	receive()
	receive()

	// Only the refused message is left, in flight; after its visibility
	// timeout (moved on by the server clock) it is delivered again.
	queue := sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL()), Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	waitCounts(t, queue, queueURL, "0", "1")
	srv.Admin("POST", "/_cosell/clock", `{"advance":"31s"}`)
	if e := receive(); e.ID != refused {
		t.Fatalf("redelivered %s, want the refused %s", e.ID, refused)
	}
	waitCounts(t, queue, queueURL, "0", "0")
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// waitCounts waits until the queue's visible and in-flight counts are
// these: deletes follow acknowledgements without a signal of their own.
func waitCounts(t *testing.T, c *sqs.Client, queueURL, visible, inFlight string) {
	t.Helper()
	var attrs map[string]string
	for range 200 {
		out, err := c.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL),
			AttributeNames: []types.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
		if err != nil {
			t.Fatal(err)
		}
		attrs = out.Attributes
		if attrs["ApproximateNumberOfMessages"] == visible && attrs["ApproximateNumberOfMessagesNotVisible"] == inFlight {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("queue counts %v, want %s visible and %s in flight", attrs, visible, inFlight)
}
