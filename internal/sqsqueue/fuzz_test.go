package sqsqueue

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cosell/cosell/internal/auth"
)

// FuzzServeHTTP sends correctly signed requests with any target and body:
// the answer is a modelled error or a success, never a 5xx or a panic
// (the store here never fails, so no 500 is excused).
func FuzzServeHTTP(f *testing.F) {
	for _, seed := range []struct{ target, body string }{
		{"AmazonSQS.ReceiveMessage", `{"QueueUrl":"http://h/111111111111/cosell-partnercentral-events","MaxNumberOfMessages":10,"VisibilityTimeout":5}`},
		{"AmazonSQS.DeleteMessage", `{"QueueUrl":"http://h/111111111111/cosell-partnercentral-events","ReceiptHandle":"x"}`},
		{"AmazonSQS.DeleteMessageBatch", `{"QueueUrl":"http://h/111111111111/cosell-partnercentral-events","Entries":[{"Id":"1","ReceiptHandle":"%%%"}]}`},
		{"AmazonSQS.ChangeMessageVisibility", `{"QueueUrl":"http://h/111111111111/cosell-partnercentral-events","ReceiptHandle":"","VisibilityTimeout":-1}`},
		{"AmazonSQS.GetQueueAttributes", `{"QueueUrl":"http://h/222222222222/x","AttributeNames":["All","Nope"]}`},
		{"AmazonSQS.GetQueueUrl", `{"QueueName":""}`},
		{"AmazonSQS.ListQueues", `{"MaxResults":0}`},
		{"AmazonSQS.SendMessage", `{}`},
		{"Nope", `[`},
	} {
		f.Add(seed.target, seed.body)
	}
	q := newQueues(f, 3)
	accounts := auth.DefaultAccounts()
	h := New(Config{Store: q.Store, Verifier: &auth.Verifier{Accounts: accounts}, Clock: q.Clock, Region: "us-east-1"})
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	f.Fuzz(func(t *testing.T, target, body string) {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", target)
		sum := sha256.Sum256([]byte(body))
		if err := signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sqs", "us-east-1", time.Now()); err != nil {
			t.Skip("not signable:", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req.WithContext(ctx))
		if rec.Code >= 500 {
			t.Fatalf("%s %q: HTTP %d %s", target, body, rec.Code, rec.Body)
		}
	})
}
