package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The SQS queue of each account's events, driven by the real
// aws-sdk-go-v2 SQS client.

func sqsClient(s *Server, key, secret string) *sqs.Client {
	return sqs.New(sqs.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.URL()),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, "")})
}

// sqsQueue is account 111111111111's queue URL, as GetQueueUrl gives it.
func sqsQueue(t *testing.T, s *Server, c *sqs.Client) *string {
	t.Helper()
	out, err := c.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("cosell-partnercentral-events")})
	if err != nil {
		t.Fatal(err)
	}
	if want := s.URL() + "/" + evAccount + "/cosell-partnercentral-events"; *out.QueueUrl != want {
		t.Fatalf("queue URL %s, want %s", *out.QueueUrl, want)
	}
	return out.QueueUrl
}

// sqsReceive long-polls once, hiding what it gets for visibility seconds.
func sqsReceive(t *testing.T, c *sqs.Client, queue *string, visibility, wait int32) []types.Message {
	t.Helper()
	out, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: queue, MaxNumberOfMessages: 10,
		VisibilityTimeout: visibility, WaitTimeSeconds: wait, MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// sqsDrain receives and deletes everything visible now.
func sqsDrain(t *testing.T, c *sqs.Client, queue *string) {
	t.Helper()
	for {
		got := sqsReceive(t, c, queue, 30, 0)
		if len(got) == 0 {
			return
		}
		for _, m := range got {
			if _, err := c.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// sqsCreated waits for the "Opportunity Created" message of id, failing
// on any other message.
func sqsCreated(t *testing.T, c *sqs.Client, queue *string, id string) types.Message {
	t.Helper()
	for range 5 {
		for _, m := range sqsReceive(t, c, queue, 30, 20) {
			var e struct {
				DetailType string `json:"detail-type"`
				Source     string `json:"source"`
				Account    string `json:"account"`
				Detail     struct {
					Opportunity struct{ Identifier string } `json:"opportunity"`
				} `json:"detail"`
			}
			if err := json.Unmarshal([]byte(*m.Body), &e); err != nil {
				t.Fatalf("body %s: %v", *m.Body, err)
			}
			if e.DetailType != "Opportunity Created" || e.Source != "aws.partnercentral-selling" || e.Account != evAccount || e.Detail.Opportunity.Identifier != id {
				t.Fatalf("unexpected message %s", *m.Body)
			}
			return m
		}
	}
	t.Fatalf("no message for %s", id)
	return types.Message{}
}

func TestSQSDeliversEventsWithVisibilityAndDeletion(t *testing.T) {
	s := startServer(t, Config{DataDir: t.TempDir(), AdminToken: "tok"})
	c := sqsClient(s, "test", "test")
	queue := sqsQueue(t, s, c)
	id := evCreate(t, s, "sqs-1")
	m := sqsCreated(t, c, queue, id)
	if m.Attributes["ApproximateReceiveCount"] != "1" || m.Attributes["SentTimestamp"] == "" || *m.MessageId == "" {
		t.Fatalf("first receive: %v %v", m.Attributes, m.MessageId)
	}

	// Hidden for its visibility timeout, then back with a second count.
	if got := sqsReceive(t, c, queue, 30, 0); len(got) != 0 {
		t.Fatalf("an in-flight message was received again: %v", got)
	}
	attrs := sqsAttributes(t, c, queue)
	if attrs["ApproximateNumberOfMessages"] != "0" || attrs["ApproximateNumberOfMessagesNotVisible"] != "1" {
		t.Fatalf("attributes while in flight: %v", attrs)
	}
	evAdmin(t, s, http.MethodPost, "/_cosell/clock", `{"advance":"31s"}`, nil)
	again := sqsCreated(t, c, queue, id)
	if *again.MessageId != *m.MessageId || again.Attributes["ApproximateReceiveCount"] != "2" || *again.ReceiptHandle == *m.ReceiptHandle {
		t.Fatalf("redelivery: %v %v, first was %v", again.MessageId, again.Attributes, m.MessageId)
	}

	// Only the latest receive may change the visibility; 0 shows it at once.
	_, err := c.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{QueueUrl: queue, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0})
	var invalid *types.ReceiptHandleIsInvalid
	if !errors.As(err, &invalid) {
		t.Fatalf("visibility change with a stale handle: %v", err)
	}
	if _, err := c.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{QueueUrl: queue, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	third := sqsCreated(t, c, queue, id)
	if third.Attributes["ApproximateReceiveCount"] != "3" {
		t.Fatalf("third receive: %v", third.Attributes)
	}

	if _, err := c.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: third.ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	evAdmin(t, s, http.MethodPost, "/_cosell/clock", `{"advance":"1h"}`, nil)
	if got := sqsReceive(t, c, queue, 30, 0); len(got) != 0 {
		t.Fatalf("a deleted message came back: %v", got)
	}
	if attrs := sqsAttributes(t, c, queue); attrs["ApproximateNumberOfMessages"] != "0" || attrs["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Fatalf("attributes after delete: %v", attrs)
	}
	_, err = c.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{QueueUrl: queue, ReceiptHandle: third.ReceiptHandle, VisibilityTimeout: 5})
	if !errors.As(err, &invalid) {
		t.Fatalf("visibility change of a deleted message: %v", err)
	}
	// Deleting twice succeeds, as on SQS.
	if _, err := c.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: third.ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
}

func sqsAttributes(t *testing.T, c *sqs.Client, queue *string) map[string]string {
	t.Helper()
	out, err := c.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: queue, AttributeNames: []types.QueueAttributeName{"All"}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attributes["QueueArn"] != "arn:aws:sqs:us-east-1:"+evAccount+":cosell-partnercentral-events" {
		t.Fatalf("attributes: %v", out.Attributes)
	}
	return out.Attributes
}

func TestSQSLongPollWakesOnNewEvent(t *testing.T) {
	s := startServer(t, Config{DataDir: t.TempDir()})
	c := sqsClient(s, "test", "test")
	queue := sqsQueue(t, s, c)
	sqsDrain(t, c, queue)
	got := make(chan []types.Message, 1)
	go func() {
		out, err := c.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: queue, WaitTimeSeconds: 20})
		if err != nil {
			t.Error(err)
		}
		got <- out.Messages
	}()
	time.Sleep(100 * time.Millisecond) // most likely waiting by now; the test holds either way
	id := evCreate(t, s, "sqs-wake")
	msgs := <-got
	if len(msgs) != 1 {
		t.Fatalf("long poll got %d messages", len(msgs))
	}
	var e struct {
		Detail struct {
			Opportunity struct{ Identifier string } `json:"opportunity"`
		} `json:"detail"`
	}
	if err := json.Unmarshal([]byte(*msgs[0].Body), &e); err != nil || e.Detail.Opportunity.Identifier != id {
		t.Fatalf("long poll got %s (%v), want %s's event", *msgs[0].Body, err, id)
	}
}

func TestSQSRestartKeepsInFlightAndDeletions(t *testing.T) {
	dir := t.TempDir()
	first, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- first.Serve(ctx) }()
	c := sqsClient(first, "test", "test")
	queue := sqsQueue(t, first, c)
	ids := []string{evCreate(t, first, "sqs-r1"), evCreate(t, first, "sqs-r2"), evCreate(t, first, "sqs-r3")}
	var received []types.Message
	for len(received) < len(ids) {
		received = append(received, sqsReceive(t, c, queue, 600, 20)...)
	}
	if _, err := c.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: received[1].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	second := startServer(t, Config{DataDir: dir, AdminToken: "tok"})
	c = sqsClient(second, "test", "test")
	queue = sqsQueue(t, second, c)
	if attrs := sqsAttributes(t, c, queue); attrs["ApproximateNumberOfMessages"] != "0" || attrs["ApproximateNumberOfMessagesNotVisible"] != "2" {
		t.Fatalf("after restart: %v", attrs)
	}
	if got := sqsReceive(t, c, queue, 30, 0); len(got) != 0 {
		t.Fatalf("in-flight messages visible after restart: %v", got)
	}
	evAdmin(t, second, http.MethodPost, "/_cosell/clock", `{"advance":"601s"}`, nil)
	back := map[string]string{}
	for _, m := range sqsReceive(t, c, queue, 30, 0) {
		back[*m.MessageId] = m.Attributes["ApproximateReceiveCount"]
	}
	want := map[string]string{*received[0].MessageId: "2", *received[2].MessageId: "2"}
	if len(back) != len(want) || back[*received[0].MessageId] != "2" || back[*received[2].MessageId] != "2" {
		t.Fatalf("after the visibility timeout: %v, want %v", back, want)
	}
}

// sqsCode is an SDK error's code and HTTP status.
func sqsCode(t *testing.T, err error) (string, int) {
	t.Helper()
	var api smithy.APIError
	var res *smithyhttp.ResponseError
	if !errors.As(err, &api) || !errors.As(err, &res) {
		t.Fatalf("not an API error: %v", err)
	}
	return api.ErrorCode(), res.HTTPStatusCode()
}

func TestSQSOtherAccountsQueueDoesNotExist(t *testing.T) {
	s := startServer(t, Config{})
	one := sqsClient(s, "test", "test")
	queue := sqsQueue(t, s, one)
	evCreate(t, s, "sqs-tenancy")
	m := sqsReceive(t, one, queue, 30, 20)
	two := sqsClient(s, "test2", "test2")
	_, err := two.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: queue})
	var missing *types.QueueDoesNotExist
	if !errors.As(err, &missing) {
		t.Fatalf("another account's queue: %v", err)
	}
	if code, status := sqsCode(t, err); code != "AWS.SimpleQueueService.NonExistentQueue" || status != http.StatusBadRequest {
		t.Fatalf("another account's queue: %s %d", code, status)
	}
	_, err = two.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("cosell-partnercentral-events"), QueueOwnerAWSAccountId: aws.String(evAccount)})
	if !errors.As(err, &missing) {
		t.Fatalf("GetQueueUrl of another owner: %v", err)
	}
	// A receipt handle of account one's queue deletes nothing in two's.
	own, err := two.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("cosell-partnercentral-events")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = two.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: own.QueueUrl, ReceiptHandle: m[0].ReceiptHandle})
	var invalid *types.ReceiptHandleIsInvalid
	if !errors.As(err, &invalid) {
		t.Fatalf("a handle of another queue: %v", err)
	}
}

func TestSQSBadRequestsAreModelledErrors(t *testing.T) {
	s := startServer(t, Config{})
	c := sqsClient(s, "test", "test")
	queue := sqsQueue(t, s, c)
	ctx := context.Background()
	handles := func(n int) []types.DeleteMessageBatchRequestEntry {
		var out []types.DeleteMessageBatchRequestEntry
		for i := range n {
			out = append(out, types.DeleteMessageBatchRequestEntry{Id: aws.String("e" + strconv.Itoa(i%10)), ReceiptHandle: aws.String("x")})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"MaxNumberOfMessages 11", func() error {
			_, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queue, MaxNumberOfMessages: 11})
			return err
		}, "InvalidParameterValue"},
		{"WaitTimeSeconds 21", func() error {
			_, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queue, WaitTimeSeconds: 21})
			return err
		}, "InvalidParameterValue"},
		{"a queue URL with no queue", func() error {
			_, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(s.URL())})
			return err
		}, "InvalidAddress"},
		{"another queue name", func() error {
			_, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("orders")})
			return err
		}, "AWS.SimpleQueueService.NonExistentQueue"},
		{"a malformed receipt handle", func() error {
			_, err := c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: queue, ReceiptHandle: aws.String("not-a-handle")})
			return err
		}, "ReceiptHandleIsInvalid"},
		{"an unknown attribute", func() error {
			_, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: queue, AttributeNames: []types.QueueAttributeName{"Colour"}})
			return err
		}, "InvalidAttributeName"},
		{"eleven batch entries", func() error {
			_, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: queue, Entries: handles(11)})
			return err
		}, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
		{"an empty batch", func() error {
			_, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: queue, Entries: []types.DeleteMessageBatchRequestEntry{}})
			return err
		}, "AWS.SimpleQueueService.EmptyBatchRequest"},
		{"an operation cosell does not serve", func() error {
			_, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: queue, MessageBody: aws.String("hi")})
			return err
		}, "AWS.SimpleQueueService.UnsupportedOperation"},
		{"a wrong secret", func() error {
			_, err := sqsClient(s, "test", "wrong").ListQueues(ctx, &sqs.ListQueuesInput{})
			return err
		}, "SignatureDoesNotMatch"},
	} {
		code, status := sqsCode(t, tc.call())
		if code != tc.code || status >= 500 {
			t.Errorf("%s: %s (HTTP %d), want %s", tc.name, code, status, tc.code)
		}
	}

	// Raw requests the SDK would never send.
	for _, tc := range []struct{ name, target, body, code string }{
		{"no target", "", `{}`, "InvalidAction"},
		{"another service's target", "AWSPartnerCentralSelling.ListOpportunities", `{}`, "InvalidAction"},
		{"malformed JSON", "AmazonSQS.ReceiveMessage", `{"QueueUrl":`, "SerializationException"},
		{"wrong member type", "AmazonSQS.ReceiveMessage", `{"QueueUrl":1}`, "SerializationException"},
		{"no QueueUrl", "AmazonSQS.ReceiveMessage", `{}`, "MissingParameter"},
	} {
		res, body := post(t, s, signed{target: tc.target, body: tc.body, signingName: "sqs"})
		if res.StatusCode != http.StatusBadRequest || body["__type"] != "com.amazonaws.sqs#"+tc.code || res.Header.Get("x-amzn-query-error") != tc.code+";Sender" {
			t.Errorf("%s: %d %v %q", tc.name, res.StatusCode, body, res.Header.Get("x-amzn-query-error"))
		}
	}
}

func TestSQSListQueuesAndBatchDelete(t *testing.T) {
	s := startServer(t, Config{})
	c := sqsClient(s, "test", "test")
	queue := sqsQueue(t, s, c)
	ctx := context.Background()
	for prefix, want := range map[string]int{"": 1, "cosell-": 1, "orders": 0} {
		out, err := c.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix)})
		if err != nil || len(out.QueueUrls) != want || (want == 1 && out.QueueUrls[0] != *queue) {
			t.Fatalf("ListQueues %q: %v %v", prefix, out, err)
		}
	}
	evCreate(t, s, "sqs-batch")
	m := sqsReceive(t, c, queue, 30, 20)
	out, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: queue, Entries: []types.DeleteMessageBatchRequestEntry{
		{Id: aws.String("good"), ReceiptHandle: m[0].ReceiptHandle},
		{Id: aws.String("bad"), ReceiptHandle: aws.String("bm90LWEtaGFuZGxl")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 1 || *out.Successful[0].Id != "good" || len(out.Failed) != 1 || *out.Failed[0].Id != "bad" ||
		*out.Failed[0].Code != "ReceiptHandleIsInvalid" || !out.Failed[0].SenderFault {
		t.Fatalf("batch: %+v", out)
	}
	if attrs := sqsAttributes(t, c, queue); attrs["ApproximateNumberOfMessagesNotVisible"] != strconv.Itoa(len(m)-1) {
		t.Fatalf("after the batch: %v", attrs)
	}
}
