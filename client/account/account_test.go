package accountclient_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cosell/cosell/api/account"
	accountclient "github.com/cosell/cosell/client/account"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

func newClient(t *testing.T) *accountclient.Client {
	t.Helper()
	s := servertest.Start(t, server.Config{})
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test2", "test2", "")}
	return accountclient.New(cfg, func(o *accountclient.Options) { o.BaseEndpoint = s.URL() })
}

func TestAccountAPI(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	prefs, err := c.GetConnectionPreferences(ctx, &account.GetConnectionPreferencesRequest{Catalog: "Sandbox"})
	if err != nil {
		t.Fatal(err)
	}
	if prefs.Catalog != "Sandbox" || prefs.Arn == "" || prefs.UpdatedAt.IsZero() {
		t.Fatalf("GetConnectionPreferences answered %+v", prefs)
	}
	if c.Options().BaseEndpoint == "" || len(c.Options().RateLimit.Classes) != 0 {
		t.Fatalf("the Account API has no documented rate quota, got classes %+v", c.Options().RateLimit.Classes)
	}

	_, err = c.GetConnectionPreferences(ctx, &account.GetConnectionPreferencesRequest{Catalog: "not a catalog!"})
	var invalid *accountclient.ValidationException
	if !errors.As(err, &invalid) || invalid.Reason == "" || len(invalid.ErrorDetails) == 0 {
		t.Fatalf("%v, want a ValidationException with its ErrorDetails", err)
	}
}
