// Package coselltest runs a cosell server inside a Go test: a local,
// wire-compatible AWS Partner Central that the official AWS SDKs and
// cosell's own clients talk to unchanged, with an admin client to act as
// AWS, move the clock, inject faults and read the events.
//
//	func TestCRMSync(t *testing.T) {
//		t.Parallel()
//		srv := coselltest.Start(t)
//		client := sellingclient.New(srv.Config())
//		...
//	}
//
// Each server has its own throwaway store and a free loopback port, so
// tests may run in parallel; it stops when the test ends.
package coselltest

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

// Account is a partner account the server accepts signatures from.
type Account struct {
	ID              string // the 12-digit AWS account id
	AccessKeyID     string
	SecretAccessKey string
	CompanyName     string
}

// Server is a cosell server running for one test.
type Server struct {
	// URL is the endpoint of every API it serves (Selling, Account, SQS,
	// S3, STS), e.g. "http://127.0.0.1:40123".
	URL string
	// Region is the region the server presents; Config signs for it.
	Region string
	// Accounts are the partner accounts, the first being the default one.
	Accounts []Account
	// Admin acts as AWS and controls the server (clock, faults, reset,
	// events) through its admin API.
	Admin *Admin

	running *servertest.Running
}

// Option changes how Start configures the server.
type Option func(*server.Config)

// WithDataDir keeps the store in dir instead of a throwaway one, so a
// test can stop a server (Close) and start another on the same data.
func WithDataDir(dir string) Option { return func(c *server.Config) { c.DataDir = dir } }

// WithAccountsFile serves the accounts of a cosell accounts file
// ({"accounts": [{"accountId", "accessKeyId", "secretAccessKey",
// "companyName"}]}) instead of the two built-in ones.
func WithAccountsFile(path string) Option { return func(c *server.Config) { c.AccountsFile = path } }

// WithRegion makes the server present region instead of us-east-1.
func WithRegion(region string) Option { return func(c *server.Config) { c.Region = region } }

// WithAWSQuotas applies AWS's per-account request quotas, so a test can
// see ThrottlingException as AWS would answer it.
func WithAWSQuotas() Option { return func(c *server.Config) { c.Quotas = server.QuotasAWS } }

// WithLogger sends the server's log to logger; by default it is discarded.
func WithLogger(logger *slog.Logger) Option { return func(c *server.Config) { c.Logger = logger } }

// Start runs a server until the test ends, on a free loopback port and,
// unless WithDataDir says otherwise, a throwaway store. It fails the test
// if the server cannot start, or does not stop cleanly.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("coselltest: %v", err)
		}
	})
	return s
}

// New runs a server until Close, for a server shared by many tests (from
// TestMain) or used outside a test.
func New(opts ...Option) (*Server, error) {
	var cfg server.Config
	for _, o := range opts {
		o(&cfg)
	}
	r, err := servertest.Run(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{URL: r.URL(), Region: r.Region(), running: r}
	for _, a := range r.Accounts() {
		s.Accounts = append(s.Accounts, Account{ID: a.AccountID, AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, CompanyName: a.CompanyName})
	}
	s.Admin = &Admin{url: s.URL, token: servertest.AdminToken, http: http.DefaultClient}
	return s, nil
}

// Close stops the server after the requests in flight and closes its
// store; later calls return the same result. A server Start gave is
// closed when the test ends, or earlier by calling Close.
func (s *Server) Close() error { return s.running.Stop() }

// Config is an aws.Config for the first account: its static credentials,
// the server's region and its URL as BaseEndpoint. The official AWS SDK
// clients (sqs.NewFromConfig, sts.NewFromConfig, ...) and cosell's
// sellingclient.New and accountclient.New take it as it is.
func (s *Server) Config() aws.Config { return s.ConfigFor(s.Accounts[0].ID) }

// ConfigFor is Config signed as another of the server's accounts; it
// panics for an account the server does not have, a mistake in the test.
func (s *Server) ConfigFor(accountID string) aws.Config {
	for _, a := range s.Accounts {
		if a.ID == accountID {
			return aws.Config{
				Region:       s.Region,
				Credentials:  credentials.NewStaticCredentialsProvider(a.AccessKeyID, a.SecretAccessKey, ""),
				BaseEndpoint: aws.String(s.URL),
			}
		}
	}
	panic("coselltest: the server has no account " + accountID)
}
