package sellingclient_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

func listRequest() *selling.ListOpportunitiesRequest {
	return &selling.ListOpportunitiesRequest{Catalog: "Sandbox"}
}

func TestRetriesUntilTheFaultsStop(t *testing.T) {
	for _, rule := range []string{
		`[{"operation": "ListOpportunities", "errorCode": "ThrottlingException"}]`,
		`[{"operation": "ListOpportunities", "errorCode": "InternalServerException"}]`,
		`[{"operation": "ListOpportunities", "errorCode": "ServiceUnavailable", "statusCode": 503}]`,
	} {
		srv := startCosell(t)
		httpClient := srv.faultsFor(3, rule)
		c := srv.client(func(o *sellingclient.Options) { o.HTTPClient = httpClient })
		if _, err := c.ListOpportunities(context.Background(), listRequest()); err != nil {
			t.Fatalf("%s: %v, want success on the 4th attempt", rule, err)
		}
		if got := httpClient.sent.Load(); got != 4 {
			t.Fatalf("%s: %d attempts, want 4", rule, got)
		}
	}
}

func TestRetriesExhaustedReturnTheTypedError(t *testing.T) {
	srv := startCosell(t)
	httpClient := srv.faultsFor(100, `[{"operation": "ListOpportunities", "errorCode": "ThrottlingException"}]`)
	c := srv.client(func(o *sellingclient.Options) {
		o.HTTPClient = httpClient
		o.Retry.MaxAttempts = 3
	})
	_, err := c.ListOpportunities(context.Background(), listRequest())
	var throttled *sellingclient.ThrottlingException
	if !errors.As(err, &throttled) || throttled.StatusCode != 429 {
		t.Fatalf("%v, want a ThrottlingException", err)
	}
	var op *sellingclient.OperationError
	if !errors.As(err, &op) || op.Attempts != 3 || httpClient.sent.Load() != 3 {
		t.Fatalf("%d attempts reported, %d sent; want 3", op.Attempts, httpClient.sent.Load())
	}
}

// A client error other than throttling is final.
func TestNoRetryOnOtherClientErrors(t *testing.T) {
	srv := startCosell(t)
	httpClient := srv.faultsFor(100, `[{"operation": "ListOpportunities", "errorCode": "AccessDeniedException"}]`)
	c := srv.client(func(o *sellingclient.Options) { o.HTTPClient = httpClient })
	_, err := c.ListOpportunities(context.Background(), listRequest())
	var denied *sellingclient.AccessDeniedException
	if !errors.As(err, &denied) || httpClient.sent.Load() != 1 {
		t.Fatalf("%v after %d attempts, want an AccessDeniedException after 1", err, httpClient.sent.Load())
	}
}

// Cancelling the context ends the backoff at once, with the context's error.
func TestCancelledContextStopsRetries(t *testing.T) {
	srv := startCosell(t)
	httpClient := srv.faultsFor(100, `[{"operation": "ListOpportunities", "errorCode": "ThrottlingException"}]`)
	ctx, cancel := context.WithCancel(context.Background())
	httpClient.before = func(int64) { cancel() }
	c := srv.client(func(o *sellingclient.Options) {
		o.HTTPClient = httpClient
		o.Retry.BaseDelay = o.Retry.MaxDelay // a long backoff, cut short by the cancellation
	})
	_, err := c.ListOpportunities(ctx, listRequest())
	if !errors.Is(err, context.Canceled) || httpClient.sent.Load() != 1 {
		t.Fatalf("%v after %d attempts, want context.Canceled after 1", err, httpClient.sent.Load())
	}
}
