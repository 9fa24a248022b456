package revenueclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cosell/cosell/api/revenue"
	revenueclient "github.com/cosell/cosell/client/revenue"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

// The generated client speaks smithy-rpc-v2-cbor to cosell: typed requests
// out, typed answers (timestamps, integers, strings as the model types
// them) and typed exceptions back.
func TestRevenueClientOverCBOR(t *testing.T) {
	s := servertest.Start(t, server.Config{})
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	c := revenueclient.New(cfg, func(o *revenueclient.Options) { o.BaseEndpoint = s.URL() })
	ctx := context.Background()

	created, err := c.CreateRevenueAttribution(ctx, &revenue.CreateRevenueAttributionInput{Catalog: "Sandbox", Name: "Go client deal",
		TenancyModel: revenue.TenancyModelMultiTenant, Tags: []revenue.Tag{{Key: "crm", Value: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRevenueAttribution(ctx, &revenue.GetRevenueAttributionInput{Catalog: "Sandbox", Identifier: created.Id})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name == nil || *got.Name != "Go client deal" || got.CreatedDate == nil || time.Since(*got.CreatedDate) > time.Hour ||
		*got.TotalRevenueAttributionAllocationCount != 0 {
		t.Fatalf("GetRevenueAttribution answered %+v", got)
	}
	after := got.CreatedDate.Add(-time.Millisecond)
	list, err := c.ListRevenueAttributions(ctx, &revenue.ListRevenueAttributionsInput{Catalog: "Sandbox", CreatedAfter: &after})
	if err != nil || len(list.RevenueAttributionSummaries) != 1 {
		t.Fatalf("ListRevenueAttributions: %+v %v", list, err)
	}

	_, err = c.UpdateRevenueAttribution(ctx, &revenue.UpdateRevenueAttributionInput{Catalog: "Sandbox", Identifier: created.Id, Revision: "9"})
	var conflict *revenueclient.ConflictException
	if !errors.As(err, &conflict) || conflict.Reason != revenue.ConflictExceptionReasonRevisionMismatch || conflict.StatusCode != 409 || conflict.RequestID == "" {
		t.Fatalf("%v, want a ConflictException REVISION_MISMATCH", err)
	}
	_, err = c.GetRevenueAttribution(ctx, &revenue.GetRevenueAttributionInput{Catalog: "Sandbox", Identifier: "nope"})
	var invalid *revenueclient.ValidationException
	if !errors.As(err, &invalid) || len(invalid.FieldList) != 1 || invalid.FieldList[0].Name != "identifier" {
		t.Fatalf("%v, want a ValidationException naming identifier", err)
	}

	// A Unit output (TagResource) and a list in lowerCamel members.
	if err := c.TagResource(ctx, &revenue.TagResourceInput{ResourceArn: created.Arn, Tags: []revenue.Tag{{Key: "env", Value: "dev"}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &revenue.ListTagsForResourceInput{ResourceArn: created.Arn})
	if err != nil || len(tags.Tags) != 2 {
		t.Fatalf("ListTagsForResource: %+v %v", tags, err)
	}
	if classes := c.Options().RateLimit.Classes; len(classes) != 4 {
		t.Errorf("rate classes %+v, want Revenue Measurement's four", classes)
	}
}
