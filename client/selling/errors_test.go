package sellingclient_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

func TestValidationExceptionIsTyped(t *testing.T) {
	c := startCosell(t).client()
	in := newOpportunity("Invalid Co")
	in.Catalog = "not a catalog!"
	_, err := c.CreateOpportunity(context.Background(), in)
	var invalid *sellingclient.ValidationException
	if !errors.As(err, &invalid) {
		t.Fatalf("%v, want a ValidationException", err)
	}
	if invalid.Reason != selling.ValidationExceptionReasonRequestValidationFailed || invalid.Message == "" || invalid.RequestID == "" {
		t.Fatalf("ValidationException decoded as %+v", invalid)
	}
	if len(invalid.ErrorList) == 0 || invalid.ErrorList[0].Code == "" || invalid.ErrorList[0].Message == "" {
		t.Fatalf("ErrorList decoded as %+v", invalid.ErrorList)
	}
	var op *sellingclient.OperationError
	if !errors.As(err, &op) || op.Operation != "CreateOpportunity" || op.Attempts != 1 {
		t.Fatalf("%#v, want an OperationError of one attempt of CreateOpportunity", op)
	}
}

func TestResourceNotFoundIsTyped(t *testing.T) {
	c := startCosell(t).client()
	_, err := c.GetOpportunity(context.Background(), &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: "O1234567890"})
	var missing *sellingclient.ResourceNotFoundException
	if !errors.As(err, &missing) || missing.StatusCode != 404 || missing.ErrorCode() != "ResourceNotFoundException" {
		t.Fatalf("%v, want a ResourceNotFoundException", err)
	}
}

// Authentication failures are not modelled: they are APIErrors, and no
// retry can fix them.
func TestWrongCredentialsAreAPIErrors(t *testing.T) {
	srv := startCosell(t)
	for _, tc := range []struct{ key, secret, code string }{
		{"test", "not-the-secret", "InvalidSignatureException"},
		{"nobody", "nothing", "UnrecognizedClientException"},
	} {
		c := srv.clientAs(tc.key, tc.secret)
		_, err := c.ListOpportunities(context.Background(), &selling.ListOpportunitiesRequest{Catalog: "Sandbox"})
		var apiErr *sellingclient.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != tc.code || apiErr.StatusCode < 400 || apiErr.StatusCode > 499 {
			t.Fatalf("key %s: %v, want an APIError %s", tc.key, err, tc.code)
		}
		if apiErr.RequestID == "" || apiErr.Message == "" {
			t.Errorf("key %s: APIError without request id or message: %+v", tc.key, apiErr)
		}
		var op *sellingclient.OperationError
		if errors.As(err, &op) && op.Attempts != 1 {
			t.Errorf("key %s: %d attempts, want 1", tc.key, op.Attempts)
		}
	}
}
