// Package server composes cosell: accounts, the Partner Central APIs on
// one endpoint (apis.go), the domain services behind them, and the HTTP
// listener with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/events/notify"
	"github.com/cosell/cosell/internal/lease"
	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/sqsqueue"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/sts"
	"github.com/cosell/cosell/internal/surface"
	"github.com/cosell/cosell/internal/wire"
)

// Config is everything a server needs; zero values get the defaults below.
type Config struct {
	Addr         string      // listen address; "127.0.0.1:0" picks a free port
	DataDir      string      // directory of the durable store; ":memory:" is a throwaway store
	Store        string      // a postgres:// URL: the PostgreSQL database replicas share holds what DataDir would (see ParseStore)
	AccountsFile string      // "" serves auth.DefaultAccounts
	Region       string      // the region ARNs and printed settings name
	Clock        clock.Clock // default: a clock.Manual, so the admin API can move it
	AdminToken   string      // enables the admin API under /_cosell/ for this bearer token
	Logger       *slog.Logger
	BenchNoOp    bool        // also serve the benchmark API's NoOp (see bench.go), for `cosell bench`
	Mail         mail.Sender // emails the Account API's verification codes; nil keeps them in the mail log only
	Quotas       string      // QuotasAWS applies AWS's per-account request quotas; "" or QuotasOff none
	FaultSeed    uint64      // seeds the fault rules' random draws
	Events       hub.Options // event destinations beyond webhooks (EventBridge), chaos knobs, retry backoff
	AutoReview   AutoReview  // the Sandbox's automatic reviewer; the zero value is off
	// AutoReviewSet says the start named AutoReview (a flag or variable), so
	// it replaces the setting an earlier run saved; otherwise an AutoReview
	// that is off restores the saved one.
	AutoReviewSet bool
	// ACEExportEvery is how often, by the server clock, AWS exports referrals
	// to the partners' ACE buckets; 0 is AWS's hour.
	ACEExportEvery time.Duration
	Exposure       Exposure // who may reach the server, and how much of it
}

// Exposure is how far the server opens itself beyond the local machine
// (see internal/surface and the README's "Running it for a team").
type Exposure struct {
	// AllowedHosts are Host names answered besides loopback names and IP
	// addresses (a leading "." allows subdomains).
	AllowedHosts []string
	// InsecurePublic allows a non-loopback listen address with the public
	// default account keys.
	InsecurePublic bool
	// LocalStackOpen serves /_localstack/ without the admin token, for
	// LocalStack clients that cannot send one.
	LocalStackOpen bool
	// StrictRegion refuses signatures scoped to a region other than Region.
	StrictRegion bool
	MaxConns     int              // open connections at once; 0 is surface.DefaultMaxConns
	Timeouts     surface.Timeouts // zero ones take surface.DefaultTimeouts
}

// Defaults for Config's zero values.
const (
	DefaultAddr    = "127.0.0.1:4577"
	DefaultDataDir = "./.cosell-data"
	DefaultRegion  = "us-east-1"
)

// shutdownGrace bounds how long Serve waits for in-flight requests once
// asked to stop; a request still running after that is cut off.
const shutdownGrace = 30 * time.Second

// Server is a listening cosell instance.
type Server struct {
	cfg      Config
	accounts *auth.Accounts
	listener net.Listener
	handler  http.Handler
	closers  []io.Closer // closed in reverse order on shutdown
	events   *hub.Hub    // event delivery, started and stopped by Serve
	ace      *aceExchange
	sqs      *sqsqueue.Handler // long polls end when shutdown starts
	clock    *durableClock     // nil when Config.Clock is not a *clock.Manual
	// replica names this server among those sharing its store (leases),
	// and shared applies the settings they change; "" and nil on a store
	// of its own.
	replica string
	shared  *sharedSettings
}

// deps is what domain registration gets from the server: the resolved
// configuration, and a way to have resources (the store) closed on
// shutdown after in-flight requests finish.
type deps struct {
	cfg      Config
	accounts []auth.Account
	onClose  func(io.Closer)
	store    store.Store   // shared by both APIs; opened by openDomainStore
	tokenKey []byte        // signs NextTokens
	mail     admin.Mailbox // the Account API's sent codes, for the admin API
	aws      awsSide       // the domains, for the admin API's AWS-side routes
	notifier *notify.Notifier
	replica  string // see Server.replica
}

// New builds the server and opens its listener, so the address (and a port
// picked for ":0") is known before Serve.
func New(cfg Config) (*Server, error) {
	cfg = withDefaults(cfg)
	s := &Server{cfg: cfg}
	var err error
	s.accounts, err = loadAccounts(cfg.AccountsFile)
	if err != nil {
		return nil, err
	}

	d := &deps{cfg: cfg, accounts: s.accounts.List(), onClose: func(c io.Closer) { s.closers = append(s.closers, c) }}
	if err := openDomainStore(d); err != nil {
		s.closeResources()
		return nil, fmt.Errorf("store: %w", err)
	}
	sizer, _ := d.store.(store.Sizer) // before watchEvents wraps the store
	if sharesStore(d.store) {
		s.replica = replicaName()
		d.replica = s.replica
	}
	if m, ok := cfg.Clock.(*clock.Manual); ok {
		if s.clock, err = resumeClock(context.Background(), m, d.store, cfg.Logger); err != nil {
			s.closeResources()
			return nil, fmt.Errorf("server clock: %w", err)
		}
		cfg.Clock, d.cfg.Clock, s.cfg.Clock = s.clock, s.clock, s.clock
	}
	watchEvents(d)
	apis, err := registerAPIs(d)
	if err != nil {
		s.closeResources()
		return nil, err
	}
	if s.events, err = newEvents(d); err != nil {
		s.closeResources()
		return nil, fmt.Errorf("events: %w", err)
	}

	// Signatures are checked against the wall clock, not cfg.Clock: clients
	// sign with real time, and the simulated AWS side moves cfg.Clock
	// forward (to expire invitations, say), which must not make every
	// signature "expired".
	verifier := &auth.Verifier{Accounts: s.accounts}
	// --strict-region binds the Partner Central and SQS endpoints to the
	// server's region; the ACE buckets keep their own (us-west-2 on AWS).
	regional := verifier
	if cfg.Exposure.StrictRegion {
		regional = &auth.Verifier{Accounts: s.accounts, Regions: []string{cfg.Region}}
	}
	if s.ace, err = newACE(d, verifier, d.aws.selling); err != nil {
		s.closeResources()
		return nil, err
	}
	ctl, err := newControls(cfg, d.store, s.accounts.List())
	if err != nil {
		s.closeResources()
		return nil, err
	}
	if s.replica != "" {
		if s.shared, err = newSharedSettings(context.Background(), d.store, s.replica, ctl, s.events, d.aws.selling, s.clock, cfg.Logger); err != nil {
			s.closeResources()
			return nil, fmt.Errorf("replicas: %w", err)
		}
	}
	obs := metrics.New(cfg.Logger)
	endpoint, err := wire.NewEndpoint(wire.Options{Verifier: regional, Logger: cfg.Logger, Admit: ctl.admit, Recorder: obs}, apis...)
	if err != nil {
		s.closeResources()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	if err := ctl.mountLocalStack(mux, localStackGuard(cfg)); err != nil {
		s.closeResources()
		return nil, err
	}
	if err := mountAdmin(mux, cfg, ctl, d.mail, s.events, d.aws, s.ace); err != nil {
		s.closeResources()
		return nil, err
	}
	s.sqs = newSQS(d, regional, obs)
	s.mountMetrics(mux, obs, sizer)
	// STS answers in any region, as its global endpoint does.
	aws := routeSQS(s.sqs, routeSTS(&sts.Handler{Verifier: verifier}, withBenchAPI(cfg, regional, endpoint)))
	mux.Handle("/", aws)
	if err := mountConsole(mux, d, ctl, s, aws); err != nil {
		s.closeResources()
		return nil, err
	}
	// S3 requests go round the mux: it would redirect keys with "//" or
	// ".." segments before any handler saw them.
	// The outermost wrapper records what the protocol layers do not (S3,
	// admin, LocalStack, console, refusals): one access log line per request.
	s.handler = obs.Wrap(s.describeRequest(mux), surface.Guard{AllowedHosts: cfg.Exposure.AllowedHosts}.Wrap(s.ace.route(mux)))

	public, err := s.checkExposure()
	if err != nil {
		s.closeResources()
		return nil, err
	}
	s.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.closeResources()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if public {
		s.warnExposure()
	}
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Clock == nil {
		// Real time until the admin API moves it forward.
		cfg.Clock = clock.NewManual()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// mountAdmin serves the admin API when a token is configured; without one
// its paths answer that it is off and how to turn it on.
func mountAdmin(mux *http.ServeMux, cfg Config, ctl *controls, mail admin.Mailbox, events admin.Events, aws awsSide, ace admin.Exchange) error {
	if cfg.AdminToken == "" {
		mux.Handle(admin.Prefix, admin.Off())
		return nil
	}
	c, ok := cfg.Clock.(admin.Clock)
	if !ok {
		return fmt.Errorf("the admin API needs a clock it can move; %T cannot", cfg.Clock)
	}
	h, err := admin.New(admin.Config{Token: cfg.AdminToken, Clock: c, Faults: ctl.faults, Reset: ctl, Mail: mail, Events: events, Aws: aws, Exchange: ace, Channel: aws.channelRoutes(), Revenue: aws.revenueRoutes(),
		Benefits: benefitsSide{aws.benefits}})
	if err != nil {
		return err
	}
	mux.Handle(admin.Prefix, h)
	return nil
}

// localStackGuard is what LocalStack's control routes require: the admin
// token when one is set, unless Exposure.LocalStackOpen says a LocalStack
// client that cannot send it needs them open.
func localStackGuard(cfg Config) func(http.Handler) http.Handler {
	if cfg.AdminToken == "" || cfg.Exposure.LocalStackOpen {
		return nil
	}
	return func(next http.Handler) http.Handler { return admin.RequireToken(cfg.AdminToken, next) }
}

func loadAccounts(path string) (*auth.Accounts, error) {
	if path == "" {
		return auth.DefaultAccounts(), nil
	}
	return auth.LoadAccounts(path)
}

// health answers load balancers and start-up scripts; it needs no signature.
func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"ok"}`)
}

// Handler is the whole HTTP surface, for tests that drive it in-process.
func (s *Server) Handler() http.Handler { return s.handler }

// URL is the base URL clients use, e.g. "http://127.0.0.1:4577".
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// Accounts are the accounts the server accepts signatures from.
func (s *Server) Accounts() []auth.Account { return s.accounts.List() }

// Region is the region the server presents.
func (s *Server) Region() string { return s.cfg.Region }

// Serve answers requests until ctx is cancelled, then stops accepting,
// lets in-flight requests finish (up to shutdownGrace) and closes the
// store. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context) error {
	hs := &http.Server{
		Handler:  s.handler,
		ErrorLog: slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
	s.cfg.Exposure.Timeouts.Apply(hs)
	listener := s.limitConns(hs)
	// Event delivery runs with the server; streams end when shutdown starts,
	// since a stream never finishes by itself and would hold the shutdown.
	if err := s.events.Start(ctx); err != nil {
		return errors.Join(err, s.closeResources())
	}
	hs.RegisterOnShutdown(s.events.Stop)
	hs.RegisterOnShutdown(s.sqs.Stop)
	// The exchange's worker stops with the server, after the file in hand.
	aceCtx, stopACE := context.WithCancel(ctx)
	aceDone := make(chan error, 1)
	go func() { aceDone <- s.runACE(aceCtx) }()
	clockCtx, stopClock := context.WithCancel(context.Background())
	clockDone := make(chan struct{})
	go func() {
		defer close(clockDone)
		if s.clock != nil {
			s.clock.run(clockCtx)
		}
	}()
	sharedCtx, stopShared := context.WithCancel(context.Background())
	sharedDone := make(chan struct{})
	go func() {
		defer close(sharedDone)
		if s.shared != nil {
			s.shared.run(sharedCtx)
		}
	}()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(listener) }()

	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err = hs.Shutdown(stopCtx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			err = errors.Join(err, hs.Close())
		}
		if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
	}
	s.events.Stop() // before the store closes: an acknowledged delivery still saves its cursor
	stopACE()
	if aceErr := <-aceDone; aceErr != nil && !errors.Is(aceErr, context.Canceled) {
		err = errors.Join(err, aceErr)
	}
	stopClock() // saves the clock one last time, while the store is open
	<-clockDone
	stopShared() // takes the replica off the live list, while the store is open
	<-sharedDone
	return errors.Join(err, s.closeResources())
}

// runACE runs the exchange's worker; among replicas, on the one holding
// its lease, so each inbound file is processed once and each export made
// once per period.
func (s *Server) runACE(ctx context.Context) error {
	if s.replica == "" {
		return s.ace.exchange.Run(ctx)
	}
	var err error
	lease.Run(ctx, lease.Config{Store: s.ace.store, Name: aceLease, Holder: s.replica, Logger: s.cfg.Logger},
		func(ctx context.Context) { err = errors.Join(err, s.ace.exchange.Run(ctx)) })
	return err
}

// Replica names the server among those sharing its store, as leases
// record it ("" on a store of its own).
func (s *Server) Replica() string { return s.replica }

func (s *Server) closeResources() error {
	var err error
	for i := len(s.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, s.closers[i].Close())
	}
	s.closers = nil
	return err
}
