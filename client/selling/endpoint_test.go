package sellingclient_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	sellingclient "github.com/cosell/cosell/client/selling"
)

func TestEndpointResolution(t *testing.T) {
	for _, tc := range []struct {
		name              string
		general, specific string
		option            string
		want              string
	}{
		{name: "default", want: "https://partnercentral-selling.us-east-1.api.aws"},
		{name: "AWS_ENDPOINT_URL", general: "http://general:1", want: "http://general:1"},
		{name: "service-specific wins", general: "http://general:1", specific: "http://selling:2", want: "http://selling:2"},
		{name: "option wins", general: "http://general:1", specific: "http://selling:2", option: "http://option:3", want: "http://option:3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
			t.Setenv("AWS_REGION", "us-east-1")
			t.Setenv("AWS_ENDPOINT_URL", tc.general)
			t.Setenv("AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING", tc.specific)
			t.Setenv("AWS_ENDPOINT_URL_PARTNERCENTRAL_ACCOUNT", "http://account:4") // another service's
			cfg, err := config.LoadDefaultConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			c := sellingclient.New(cfg, func(o *sellingclient.Options) {
				if tc.option != "" {
					o.BaseEndpoint = tc.option
				}
			})
			if got := c.Options().BaseEndpoint; got != tc.want {
				t.Fatalf("endpoint %q, want %q", got, tc.want)
			}
		})
	}
}

// The environment cosell serve prints is enough to reach it.
func TestReachesCosellThroughTheEnvironment(t *testing.T) {
	srv := startCosell(t)
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_ENDPOINT_URL", srv.url)
	t.Setenv("AWS_ACCESS_KEY_ID", "test2")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test2")
	t.Setenv("AWS_REGION", "us-east-1")
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sellingclient.New(cfg).ListOpportunities(context.Background(), listRequest()); err != nil {
		t.Fatal(err)
	}
}
