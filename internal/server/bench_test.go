package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cosell/cosell/internal/bench"
	"github.com/cosell/cosell/internal/server"
)

func startServer(t *testing.T, benchNoOp bool) *server.Server {
	t.Helper()
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: ":memory:", BenchNoOp: benchNoOp,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }() // Serve closes the store on stop
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return srv
}

func benchClient(srv *server.Server, secret string) *bench.Client {
	a := srv.Accounts()[0]
	if secret == "" {
		secret = a.SecretAccessKey
	}
	return bench.NewClient(srv.URL(), srv.Region(), a.AccessKeyID, secret, 1)
}

func TestNoOpIsServedOnlyWhenEnabled(t *testing.T) {
	for _, tc := range []struct {
		enabled    bool
		secret     string
		wantStatus int
		wantType   string
	}{
		{enabled: true, wantStatus: http.StatusOK},
		{enabled: true, secret: "wrong", wantStatus: http.StatusForbidden, wantType: "InvalidSignatureException"},
		{enabled: false, wantStatus: http.StatusBadRequest, wantType: "UnknownOperationException"},
	} {
		srv := startServer(t, tc.enabled)
		r, err := benchClient(srv, tc.secret).Do(context.Background(), bench.NoOpTarget, []byte("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != tc.wantStatus || r.ErrorType != tc.wantType || (r.OK() && string(r.Body) != "{}") {
			t.Errorf("enabled=%v secret=%q: HTTP %d %s %s; want %d %q", tc.enabled, tc.secret, r.Status, r.ErrorType, r.Body, tc.wantStatus, tc.wantType)
		}
	}
}

// The benchmark API shares the Selling API's signing name; path-routed
// requests, which pick their service by signing name, must still reach
// the Selling API.
func TestNoOpLeavesPathRoutingToSelling(t *testing.T) {
	srv := startServer(t, true)
	for path, want := range map[string]string{
		"/GetOpportunity": "ResourceNotFoundException", // reached the Selling handler
		"/NoOp":           "UnknownOperationException", // not an operation of the Selling API
	} {
		body := []byte(`{"Catalog":"AWS","Identifier":"O1"}`)
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		a := srv.Accounts()[0]
		sum := sha256.Sum256(body)
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey},
			req, hex.EncodeToString(sum[:]), bench.SigningName, srv.Region(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(got), want) {
			t.Errorf("POST %s: HTTP %d %s; want %s", path, resp.StatusCode, got, want)
		}
	}
}
