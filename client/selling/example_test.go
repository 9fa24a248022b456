package sellingclient_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

// lastSync stands for the newest LastModifiedDate a CRM has stored.
var lastSync = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// A client for AWS Partner Central, configured the standard way:
// environment, shared profiles, SSO, roles.
func ExampleNew() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	c := sellingclient.New(cfg)
	out, err := c.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "AWS", Identifier: "O1234567"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.LastModifiedDate)
}

// Pointing the client at cosell takes the environment `cosell serve`
// prints; the code stays as it is for AWS.
//
//	export AWS_ENDPOINT_URL=http://127.0.0.1:4577
//	export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
//
// Against a cosell running without quotas, rate limiting can go.
func ExampleNew_cosell() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	c := sellingclient.New(cfg, func(o *sellingclient.Options) { o.RateLimit.Disabled = true })
	out, err := c.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{
		Catalog:  "Sandbox",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Example Co"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Id)
}

// Every opportunity changed since the last sync, page by page.
func ExampleNewListOpportunitiesPaginator() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	c := sellingclient.New(cfg)
	p := sellingclient.NewListOpportunitiesPaginator(c, &selling.ListOpportunitiesRequest{
		Catalog:          "AWS",
		MaxResults:       aws.Int32(100),
		LastModifiedDate: &selling.LastModifiedDate{AfterLastModifiedDate: aws.Time(lastSync)},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			log.Fatal(err)
		}
		for _, o := range page.OpportunitySummaries {
			fmt.Println(*o.Id, o.LastModifiedDate)
		}
	}
}

// An update with a stale LastModifiedDate is a ConflictException: read the
// opportunity again, merge, and retry with the new LastModifiedDate.
func ExampleConflictException() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	c := sellingclient.New(cfg)
	_, err = c.UpdateOpportunity(ctx, &selling.UpdateOpportunityRequest{
		Catalog: "AWS", Identifier: "O1234567", LastModifiedDate: lastSync,
		Project: &selling.Project{Title: aws.String("Renamed")},
	})
	var conflict *sellingclient.ConflictException
	switch {
	case errors.As(err, &conflict):
		fmt.Println("changed in Partner Central meanwhile; request", conflict.RequestID)
	case err != nil:
		log.Fatal(err)
	}
}
