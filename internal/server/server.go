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
	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/sqsqueue"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/sts"
	"github.com/cosell/cosell/internal/wire"
)

// Config is everything a server needs; zero values get the defaults below.
type Config struct {
	Addr         string      // listen address; "127.0.0.1:0" picks a free port
	DataDir      string      // directory of the durable store; ":memory:" is a throwaway store
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
	if s.ace, err = newACE(d, verifier, d.aws.selling); err != nil {
		s.closeResources()
		return nil, err
	}
	ctl, err := newControls(cfg, d.store, s.accounts.List())
	if err != nil {
		s.closeResources()
		return nil, err
	}
	endpoint, err := wire.NewEndpoint(wire.Options{Verifier: verifier, Logger: cfg.Logger, Admit: ctl.admit}, apis...)
	if err != nil {
		s.closeResources()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", health)
	if err := ctl.mountLocalStack(mux); err != nil {
		s.closeResources()
		return nil, err
	}
	if err := mountAdmin(mux, cfg, ctl, d.mail, s.events, d.aws, s.ace); err != nil {
		s.closeResources()
		return nil, err
	}
	s.sqs = newSQS(d, verifier)
	aws := routeSQS(s.sqs, routeSTS(&sts.Handler{Verifier: verifier}, withBenchAPI(cfg, verifier, endpoint)))
	mux.Handle("/", aws)
	if err := mountConsole(mux, d, ctl, s, aws); err != nil {
		s.closeResources()
		return nil, err
	}
	// S3 requests go round the mux: it would redirect keys with "//" or
	// ".." segments before any handler saw them.
	s.handler = s.ace.route(mux)

	s.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.closeResources()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
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
// its paths stay with the AWS endpoint, as if it did not exist.
func mountAdmin(mux *http.ServeMux, cfg Config, ctl *controls, mail admin.Mailbox, events admin.Events, aws awsSide, ace admin.Exchange) error {
	if cfg.AdminToken == "" {
		return nil
	}
	c, ok := cfg.Clock.(admin.Clock)
	if !ok {
		return fmt.Errorf("the admin API needs a clock it can move; %T cannot", cfg.Clock)
	}
	h, err := admin.New(admin.Config{Token: cfg.AdminToken, Clock: c, Faults: ctl.faults, Reset: ctl, Mail: mail, Events: events, Aws: aws, Exchange: ace, Channel: aws.channelRoutes()})
	if err != nil {
		return err
	}
	mux.Handle(admin.Prefix, h)
	return nil
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
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second, // a client that never finishes its headers must not hold a connection forever
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
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
	go func() { aceDone <- s.ace.exchange.Run(aceCtx) }()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(s.listener) }()

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
	return errors.Join(err, s.closeResources())
}

func (s *Server) closeResources() error {
	var err error
	for i := len(s.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, s.closers[i].Close())
	}
	s.closers = nil
	return err
}
