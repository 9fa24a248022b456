package s3bucket

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/cosell/cosell/internal/auth"
)

const (
	bucket1 = "ace-apn-1111111-beta-us-west-2" // account 111111111111 (keys test/test)
	bucket2 = "ace-apn-2222222-beta-us-west-2" // account 222222222222 (keys test2/test2)
)

func testOwner(bucket string) (string, bool) {
	switch bucket {
	case bucket1:
		return "111111111111", true
	case bucket2:
		return "222222222222", true
	}
	return "", false
}

// fixture is a Server behind a real HTTP server.
type fixture struct {
	srv   *Server
	http  *httptest.Server
	skew  atomic.Int64 // how far the verifier's clock runs ahead of real time, in ns
	mu    sync.Mutex
	puts  []string // bucket/key of every OnPut call
	modes []string // x-amz-content-sha256 of every request, to show which payload modes a client used

	stopOnce sync.Once
}

type fixtureOpts struct {
	dir      string
	postgres string // a database URL: objects live there instead of dir
	tls      bool
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	f := &fixture{}
	verifier := &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time {
		return time.Now().Add(time.Duration(f.skew.Load()))
	}}
	srv, err := New(Config{
		Dir:         o.dir,
		PostgresURL: o.postgres,
		Verifier:    verifier,
		Owner:       testOwner,
		OnPut: func(bucket, key string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.puts = append(f.puts, bucket+"/"+key)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.modes = append(f.modes, r.Header.Get("X-Amz-Content-Sha256"))
		f.mu.Unlock()
		srv.ServeHTTP(w, r)
	})
	if o.tls {
		f.http = httptest.NewTLSServer(handler)
	} else {
		f.http = httptest.NewServer(handler)
	}
	t.Cleanup(func() { f.stop(t) })
	return f
}

// stop shuts the fixture down (once), as a process exit would.
func (f *fixture) stop(t *testing.T) {
	f.stopOnce.Do(func() {
		f.http.Close()
		if err := f.srv.Close(); err != nil {
			t.Error(err)
		}
	})
}

func (f *fixture) onPuts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.puts...)
}

func (f *fixture) sawMode(mode string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.modes {
		if m == mode {
			return true
		}
	}
	return false
}

type clientOpts struct {
	key, secret string
	virtualHost bool // Host: <bucket>.s3.localhost, every host dialled to the test server
}

// client is the real aws-sdk-go-v2 S3 client pointed at the fixture.
func (f *fixture) client(t *testing.T, o clientOpts) *s3.Client {
	t.Helper()
	if o.key == "" {
		o.key = "test"
	}
	if o.secret == "" {
		o.secret = o.key
	}
	transport := f.http.Client().Transport.(*http.Transport).Clone()
	endpoint := f.http.URL
	if o.virtualHost {
		addr := f.http.Listener.Addr().String()
		_, port, _ := net.SplitHostPort(addr)
		endpoint = "http://s3.localhost:" + port
		transport.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
	}
	cfg := aws.Config{
		Region:           "us-west-2",
		Credentials:      credentials.NewStaticCredentialsProvider(o.key, o.secret, ""),
		HTTPClient:       &http.Client{Transport: transport},
		RetryMaxAttempts: 1,
	}
	return s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.BaseEndpoint = aws.String(endpoint)
		so.UsePathStyle = !o.virtualHost
	})
}

// wantCode asserts that err is the S3 error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
