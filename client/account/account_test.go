package accountclient_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cosell/cosell/api/account"
	accountclient "github.com/cosell/cosell/client/account"
	"github.com/cosell/cosell/coselltest"
)

func newClient(t *testing.T) *accountclient.Client {
	t.Helper()
	return accountclient.New(coselltest.Start(t).ConfigFor("222222222222"))
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
