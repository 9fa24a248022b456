package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/cosell/cosell/internal/bench"
	"github.com/cosell/cosell/internal/server"
)

// revenueServer serves with an admin token and the given quotas.
func revenueServer(t *testing.T, quotas string) *server.Server {
	t.Helper()
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: ":memory:", AdminToken: "tok", Quotas: quotas,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return srv
}

func cborCall(t *testing.T, c *bench.Client, op string, in map[string]any) (*bench.Response, map[string]any) {
	t.Helper()
	body, err := cbor.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.DoCBOR(context.Background(), op, body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if len(r.Body) > 0 {
		if err := cbor.Unmarshal(r.Body, &out); err != nil {
			t.Fatalf("%s answered %d with a body that is not CBOR: %x", op, r.Status, r.Body)
		}
	}
	return r, out
}

// A scoped reset removes the account's attributions in that catalog and
// nothing of another account's.
func TestScopedResetCoversRevenueMeasurement(t *testing.T) {
	srv := revenueServer(t, "")
	accounts := srv.Accounts()
	one := bench.NewClient(srv.URL(), srv.Region(), accounts[0].AccessKeyID, accounts[0].SecretAccessKey, 1)
	two := bench.NewClient(srv.URL(), srv.Region(), accounts[1].AccessKeyID, accounts[1].SecretAccessKey, 1)
	ids := map[*bench.Client]string{}
	for _, c := range []*bench.Client{one, two} {
		r, out := cborCall(t, c, "CreateRevenueAttribution", map[string]any{"Catalog": "Sandbox", "Name": "Reset me", "TenancyModel": "MULTI_TENANT"})
		if !r.OK() {
			t.Fatalf("create: %d %v", r.Status, out)
		}
		ids[c] = out["Id"].(string)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/_cosell/reset?account="+accounts[0].AccountID+"&catalog=Sandbox", nil)
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("reset: %v %v", res, err)
	}
	res.Body.Close()
	if r, out := cborCall(t, one, "GetRevenueAttribution", map[string]any{"Catalog": "Sandbox", "Identifier": ids[one]}); r.Status != http.StatusNotFound || r.ErrorType != "ResourceNotFoundException" {
		t.Errorf("after the reset: %d %v", r.Status, out)
	}
	if r, out := cborCall(t, two, "GetRevenueAttribution", map[string]any{"Catalog": "Sandbox", "Identifier": ids[two]}); !r.OK() {
		t.Errorf("the other account's attribution: %d %v", r.Status, out)
	}
}

// Quotas apply to rpcv2Cbor as to awsJson, and their ThrottlingException
// is CBOR in the service's namespace.
func TestRevenueQuotasAnswerInCBOR(t *testing.T) {
	srv := revenueServer(t, server.QuotasAWS)
	a := srv.Accounts()[0]
	c := bench.NewClient(srv.URL(), srv.Region(), a.AccessKeyID, a.SecretAccessKey, 1)
	// The write class allows 2 a second: a burst of 10 is throttled.
	var statuses []int
	var throttled map[string]any
	for i := range 10 {
		r, out := cborCall(t, c, "CreateRevenueAttribution", map[string]any{"Catalog": "Sandbox", "Name": "Quota " + strings.Repeat("x", i+1), "TenancyModel": "SINGLE_TENANT"})
		statuses = append(statuses, r.Status)
		if r.Status == http.StatusTooManyRequests {
			throttled = out
		}
	}
	if statuses[0] != http.StatusOK || throttled == nil {
		t.Fatalf("statuses %v", statuses)
	}
	if throttled["__type"] != "com.amazonaws.partnercentralrevenuemeasurement#ThrottlingException" {
		t.Errorf("throttled with %v", throttled)
	}
}
