package acemode

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

const (
	account = "111111111111"
	catalog = "Sandbox"
	bucket  = "ace-apn-1111111-beta-us-west-2"
)

// startCosell runs a real cosell in-process, in memory.
func startCosell(t *testing.T) *server.Server {
	t.Helper()
	return servertest.Start(t, server.Config{}).Server
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

var creds = credentials.NewStaticCredentialsProvider("test", "test", "")

func s3Of(s *server.Server) *s3.Client {
	return s3.New(s3.Options{Region: "us-west-2", BaseEndpoint: aws.String(s.URL()), UsePathStyle: true, Credentials: creds})
}

func sellingOf(s *server.Server) *sellingclient.Client {
	return sellingclient.New(aws.Config{Region: "us-east-1", Credentials: creds}, func(o *sellingclient.Options) {
		o.BaseEndpoint = s.URL()
		o.RateLimit.Disabled = true
	})
}

// newEngine opens the CRM database and bookkeeping at path (a crash is a
// new engine on the same file) and closes them when the test ends.
func newEngine(t *testing.T, s *server.Server, path string) *Engine {
	t.Helper()
	ctx := context.Background()
	db, err := crmdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	book, err := OpenBook(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(); book.Close() })
	return &Engine{Bucket: Bucket{Client: s3Of(s), Name: bucket}, DB: db, Book: book, Catalog: catalog, Log: quiet()}
}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "crm.db") }

// admin posts to cosell's admin API (AWS's side) and returns the answer.
func admin(t *testing.T, s *server.Server, path, body string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/_cosell/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: HTTP %d %s", path, res.StatusCode, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func export(t *testing.T, s *server.Server) map[string]any {
	return admin(t, s, "aws/ace/export", `{"account":"`+account+`","catalog":"`+catalog+`"}`)
}

// sync runs one cycle and waits for every upload's result (the wait is a
// hang guard, not a timing assertion).
func sync(t *testing.T, e *Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.AwaitResults(ctx, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// keys lists a folder of the bucket.
func keys(t *testing.T, e *Engine, folder string) []string {
	t.Helper()
	objects, err := e.Bucket.list(context.Background(), folder)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objects {
		out = append(out, o.Key)
	}
	return out
}

// sampleCreate is AWS's own create sample as the CRM's create fields: the
// CreateOpportunity members ace maps it to, with a close date ahead.
func sampleCreate(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("../../ace/exchange/testdata/Opportunity-Create-Inbound-Sample.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ace.ParseFile(ace.KindOpportunity, raw)
	if err != nil {
		t.Fatal(err)
	}
	req, problems := ace.NewOpportunity(catalog, f.Records[0])
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	req.LifeCycle.TargetCloseDate = aws.String(time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	req.PartnerOpportunityIdentifier = nil // the CRM id stands for it
	body, _ := json.Marshal(req)
	fields := map[string]any{}
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	solutions, products, _ := ace.Associations(f.Records[0])
	fields["RelatedEntityIdentifiers"] = map[string]any{"Solutions": solutions, "AwsProducts": products}
	delete(fields, "Catalog")
	delete(fields, "ClientToken")
	return fields
}

func getOpportunity(t *testing.T, s *server.Server, id string) *selling.GetOpportunityResponse {
	t.Helper()
	out, err := sellingOf(s).GetOpportunity(context.Background(), &selling.GetOpportunityRequest{Catalog: catalog, Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func row(t *testing.T, e *Engine, crmID string) *crmdb.Opportunity {
	t.Helper()
	o, err := e.DB.Opportunity(context.Background(), crmID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
