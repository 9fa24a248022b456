package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/account"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

const (
	partnerAccount = "111111111111"
	partnerSpms    = "1588143"
)

// memObjects is an in-memory S3. failDelete makes the next DeleteObject
// fail, as a crash between archiving and deleting would leave things.
type memObjects struct {
	mu         sync.Mutex
	buckets    map[string]map[string][]byte
	failDelete bool
}

func newMemObjects() *memObjects { return &memObjects{buckets: map[string]map[string][]byte{}} }

func (m *memObjects) EnsureBucket(_ context.Context, bucket string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.buckets[bucket] == nil {
		m.buckets[bucket] = map[string][]byte{}
	}
	return nil
}

func (m *memObjects) PutObject(_ context.Context, bucket, key string, body []byte, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buckets[bucket][key] = bytes.Clone(body)
	return nil
}

func (m *memObjects) GetObject(_ context.Context, bucket, key string) ([]byte, ObjectInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	body, ok := m.buckets[bucket][key]
	if !ok {
		return nil, ObjectInfo{}, ErrNoSuchKey
	}
	return bytes.Clone(body), ObjectInfo{Key: key, Size: int64(len(body))}, nil
}

func (m *memObjects) DeleteObject(_ context.Context, bucket, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failDelete {
		m.failDelete = false
		return errors.New("simulated crash")
	}
	delete(m.buckets[bucket], key)
	return nil
}

func (m *memObjects) ListObjects(_ context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ObjectInfo
	for k, v := range m.buckets[bucket] {
		if strings.HasPrefix(k, prefix) {
			out = append(out, ObjectInfo{Key: k, Size: int64(len(v))})
		}
	}
	slices.SortFunc(out, func(a, b ObjectInfo) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

func (m *memObjects) keys(bucket, prefix string) []string {
	objs, _ := m.ListObjects(context.Background(), bucket, prefix)
	var out []string
	for _, o := range objs {
		out = append(out, o.Key)
	}
	return out
}

type fixture struct {
	t       *testing.T
	ctx     context.Context
	clock   *clock.Manual
	store   store.Store
	svc     *selling.Service
	objects *memObjects
	x       *Exchange
	bucket  string // the partner's Sandbox bucket
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := selling.New(selling.Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("test key of thirty two bytes...."),
		Parties: []selling.Party{{AccountID: partnerAccount, CompanyName: "Partner A"}}, Connections: account.Connections{}})
	f := &fixture{t: t, ctx: context.Background(), clock: clk, store: st, svc: svc, objects: newMemObjects(),
		bucket: ace.BucketName(partnerSpms, selling.CatalogSandbox)}
	if err := svc.SeedAccount(f.ctx, partnerAccount); err != nil {
		t.Fatal(err)
	}
	f.x = f.newExchange()
	return f
}

// newExchange is another Exchange on the same store and buckets, as after
// a restart.
func (f *fixture) newExchange() *Exchange {
	f.t.Helper()
	x, err := New(Config{Objects: f.objects, Selling: f.svc, Store: f.store, Clock: f.clock,
		Partners: []Partner{{AccountID: partnerAccount, SpmsID: partnerSpms}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return x
}

// put uploads an inbound file, as the partner does.
func (f *fixture) put(key string, body []byte) {
	f.t.Helper()
	if err := f.objects.PutObject(f.ctx, f.bucket, key, body, "application/json"); err != nil {
		f.t.Fatal(err)
	}
}

// process uploads and processes an inbound file and returns its result.
func (f *fixture) process(key string, body []byte) ace.Result {
	f.t.Helper()
	f.put(key, body)
	if err := f.x.Process(f.ctx, f.bucket, key); err != nil {
		f.t.Fatalf("Process %s: %v", key, err)
	}
	return f.result(ace.ResultKey(key))
}

func (f *fixture) result(key string) ace.Result {
	f.t.Helper()
	body, _, err := f.objects.GetObject(f.ctx, f.bucket, key)
	if err != nil {
		f.t.Fatalf("result %s: %v (bucket has %v)", key, err, f.objects.keys(f.bucket, ""))
	}
	var r ace.Result
	if err := json.Unmarshal(body, &r); err != nil {
		f.t.Fatalf("result %s: %v\n%s", key, err, body)
	}
	return r
}

// inboundBody is an inbound file body of kind with the bucket's SPMS id.
func inboundBody(kind ace.Kind, records ...map[string]any) []byte {
	key := map[ace.Kind]string{ace.KindOpportunity: "opportunities", ace.KindLead: "leads"}[kind]
	body, _ := json.Marshal(map[string]any{"version": "2.0", "spmsId": partnerSpms, key: records})
	return body
}

// sample is AWS's create sample with the bucket's SPMS id and a target
// close date after the fixture's clock (the sample's 2022 one is in the
// past, which the API refuses), and its record edited by change.
func sample(t *testing.T, change func(record map[string]any)) []byte {
	t.Helper()
	body, err := os.ReadFile("testdata/Opportunity-Create-Inbound-Sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	env["spmsId"] = partnerSpms
	record := env["opportunities"].([]any)[0].(map[string]any)
	record["targetCloseDate"] = "2026-12-31"
	if change != nil {
		change(record)
	}
	out, _ := json.Marshal(env)
	return out
}

func (f *fixture) opportunity(id string) *api.GetOpportunityResponse {
	f.t.Helper()
	o, err := f.svc.Opportunity(f.ctx, partnerAccount, selling.CatalogSandbox, id)
	if err != nil {
		f.t.Fatalf("Opportunity %s: %v", id, err)
	}
	return o
}

func (f *fixture) export() ExportResult {
	f.t.Helper()
	res, err := f.x.Export(f.ctx, partnerAccount, selling.CatalogSandbox)
	if err != nil {
		f.t.Fatalf("Export: %v", err)
	}
	return res
}

// exported reads the records of an export's outbound file of kind.
func (f *fixture) exported(res ExportResult, folder string) []map[string]any {
	f.t.Helper()
	for _, key := range res.Keys {
		if !strings.HasPrefix(key, folder) {
			continue
		}
		body, _, err := f.objects.GetObject(f.ctx, f.bucket, key)
		if err != nil {
			f.t.Fatal(err)
		}
		var env map[string]any
		if err := json.Unmarshal(body, &env); err != nil {
			f.t.Fatalf("%s: %v", key, err)
		}
		var out []map[string]any
		for _, list := range []string{"opportunities", "leads"} {
			for _, r := range asSlice(env[list]) {
				out = append(out, r.(map[string]any))
			}
		}
		return out
	}
	return nil
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func ptr[T any](v T) *T { return &v }
