package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/console"
	"github.com/cosell/cosell/internal/mail"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/sqsqueue"
	"github.com/cosell/cosell/internal/surface"
)

// errUsage reports a bad command line whose message the flag package has
// already printed.
var errUsage = errors.New("usage")

// parseFlags parses a subcommand's flags, which take no positional
// arguments. help reports that -h was asked for and usage already printed.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	extra, help, err := parseArgs(fs, args)
	if help || err != nil {
		return help, err
	}
	if len(extra) > 0 {
		return false, fmt.Errorf("unexpected arguments %q", extra)
	}
	return false, nil
}

// named reports whether the command line gave one of flags or the
// environment one of vars: a setting the start names on purpose, which
// then replaces what the server saved from an earlier run.
func named(fs *flag.FlagSet, flags []string, vars ...string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || slices.Contains(flags, f.Name) })
	for _, v := range vars {
		if _, ok := os.LookupEnv(v); ok {
			found = true
		}
	}
	return found
}

// envOr is the value of the environment variable, or def when unset: flags
// default to the environment, so an explicit flag wins over both.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// storeFlag adds --store (env COSELL_STORE) to fs; server.ParseStore
// checks its value.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", envOr("COSELL_STORE", ""), "where the data lives: sqlite (the default) under --data, or a postgres:// URL of a PostgreSQL database several servers may share (env COSELL_STORE)")
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("COSELL_ADDR", server.DefaultAddr), "listen address; port 0 picks a free port (env COSELL_ADDR)")
	data := fs.String("data", envOr("COSELL_DATA", server.DefaultDataDir), "data directory; :memory: keeps nothing (env COSELL_DATA)")
	storeURL := storeFlag(fs)
	accounts := fs.String("accounts", envOr("COSELL_ACCOUNTS", ""), "accounts JSON file; empty serves the two test accounts (env COSELL_ACCOUNTS)")
	region := fs.String("region", envOr("COSELL_REGION", server.DefaultRegion), "region the server presents (env COSELL_REGION)")
	adminToken := fs.String("admin-token", envOr("COSELL_ADMIN_TOKEN", ""), "bearer token enabling the admin API under /_cosell/; empty leaves it off (env COSELL_ADMIN_TOKEN)")
	logLevel := fs.String("log-level", envOr("COSELL_LOG_LEVEL", "info"), "debug, info, warn or error (env COSELL_LOG_LEVEL)")
	quotas := fs.String("quotas", envOr("COSELL_QUOTAS", server.QuotasOff), "off: no request quotas; aws: AWS's per-account Selling API quotas (10 reads/s and 100,000 a day, 1 write/s and 10,000 a day, CreateEngagement 15/s) (env COSELL_QUOTAS)")
	faultSeed := fs.Uint64("fault-seed", 0, "seed of the fault rules' random draws, for reproducible runs (env COSELL_FAULT_SEED)")
	smtpAddr := fs.String("smtp-addr", envOr("COSELL_SMTP_ADDR", ""), "SMTP server host:port that email verification codes are also sent to; empty sends none (env COSELL_SMTP_ADDR)")
	smtpFrom := fs.String("smtp-from", envOr("COSELL_SMTP_FROM", "no-reply@cosell.local"), "From address of the emails (env COSELL_SMTP_FROM)")
	smtpUser := fs.String("smtp-user", envOr("COSELL_SMTP_USER", ""), "SMTP user for AUTH PLAIN; empty skips auth (env COSELL_SMTP_USER)")
	smtpPassword := fs.String("smtp-password", envOr("COSELL_SMTP_PASSWORD", ""), "SMTP password (env COSELL_SMTP_PASSWORD)")
	autoReview := fs.String("auto-review", envOr("COSELL_AUTO_REVIEW", server.AutoReviewOff), "the Sandbox's automatic reviewer: off, or rules (approve a submission with a solution and a 20+ character business problem, else Action Required) (env COSELL_AUTO_REVIEW)")
	autoReviewDelay := fs.String("auto-review-delay", envOr("COSELL_AUTO_REVIEW_DELAY", "60s"), "server-clock time from submission to the automatic review (env COSELL_AUTO_REVIEW_DELAY)")
	aceExportEvery := fs.Duration("ace-export-every", time.Hour, "how often, by the server clock, AWS exports referrals to the partners' ACE S3 buckets (env COSELL_ACE_EXPORT_EVERY)")
	readyJSON := fs.Bool("ready-json", false, "print one JSON line (endpoint, port, accounts and keys, admin token, console URL) instead of the banner once listening, for test harnesses; makes up an admin token if none is set")
	events := eventFlags(fs)
	exposure := exposureFlags(fs)
	if v := envOr("COSELL_FAULT_SEED", ""); v != "" {
		// Set before parsing, so an explicit --fault-seed still wins.
		if err := fs.Set("fault-seed", v); err != nil {
			return fmt.Errorf("COSELL_FAULT_SEED %q: want a non-negative integer", v)
		}
	}
	if v := envOr("COSELL_ACE_EXPORT_EVERY", ""); v != "" {
		if err := fs.Set("ace-export-every", v); err != nil {
			return fmt.Errorf("COSELL_ACE_EXPORT_EVERY %q: want a Go duration such as 1h or 90s", v)
		}
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	pgURL, err := server.ParseStore(*storeURL)
	if err != nil {
		return err
	}
	eventOpts, err := events()
	if err != nil {
		return err
	}
	exposed, err := exposure()
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	review, err := server.ParseAutoReview(*autoReview, *autoReviewDelay)
	if err != nil {
		return err
	}
	cfg := server.Config{Addr: *addr, Quotas: *quotas, FaultSeed: *faultSeed, DataDir: *data, Store: pgURL, AccountsFile: *accounts, Region: *region, AdminToken: *adminToken, Logger: logger, Events: eventOpts, AutoReview: review, ACEExportEvery: *aceExportEvery, Exposure: exposed,
		AutoReviewSet: named(fs, []string{"auto-review", "auto-review-delay"}, "COSELL_AUTO_REVIEW", "COSELL_AUTO_REVIEW_DELAY")}
	if *smtpAddr != "" {
		if _, _, err := net.SplitHostPort(*smtpAddr); err != nil {
			return fmt.Errorf("--smtp-addr %q: want host:port", *smtpAddr)
		}
		cfg.Mail = &mail.SMTP{Addr: *smtpAddr, From: *smtpFrom, User: *smtpUser, Password: *smtpPassword}
	}
	if *readyJSON && cfg.AdminToken == "" {
		cfg.AdminToken = newAdminToken()
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if *readyJSON {
		if err := printReady(stdout, srv, cfg.AdminToken); err != nil {
			// Nobody can learn where the server is: stop it at once, which
			// closes the listener and the store.
			stopped, stop := context.WithCancel(ctx)
			stop()
			return errors.Join(err, srv.Serve(stopped))
		}
	} else {
		printBanner(stdout, srv, *adminToken != "", exposed.StrictRegion)
	}
	return srv.Serve(ctx)
}

// printBanner writes the lines tests and the conformance harness parse: the
// first names the URL; then one block of shell lines to paste as a whole
// (the first account's), the other accounts' keys as comments, and the
// admin API's line last.
func printBanner(w io.Writer, srv *server.Server, admin, strictRegion bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "cosell listening on %s\n", srv.URL())
	fmt.Fprintf(&b, "export AWS_ENDPOINT_URL=%s\n", srv.URL())
	accounts := srv.Accounts()
	first := accounts[0]
	fmt.Fprintf(&b, "export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_REGION=%s AWS_DEFAULT_REGION=%s   # account %s (%s)\n",
		first.AccessKeyID, first.SecretAccessKey, srv.Region(), srv.Region(), first.AccountID, first.CompanyName)
	for _, a := range accounts[1:] {
		fmt.Fprintf(&b, "# account %s (%s): AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n", a.AccountID, a.CompanyName, a.AccessKeyID, a.SecretAccessKey)
	}
	if strictRegion {
		fmt.Fprintf(&b, "# region: signatures must be scoped to %s (--strict-region)\n", srv.Region())
	} else {
		fmt.Fprintf(&b, "# region: signatures scoped to any region are accepted; --strict-region accepts %s only, as AWS would\n", srv.Region())
	}
	for _, a := range accounts {
		fmt.Fprintf(&b, "# SQS queue of account %s's events: %s/%s/%s\n", a.AccountID, srv.URL(), a.AccountID, sqsqueue.QueueName)
	}
	for _, bucket := range srv.ACEBuckets() {
		fmt.Fprintf(&b, "# ACE S3 bucket of account %s (%s catalog): s3://%s\n", bucket.Account, bucket.Catalog, bucket.Name)
	}
	if admin {
		fmt.Fprintf(&b, "# web console (see your data, act as AWS, watch events): %s%s, sign in with the admin token\n", srv.URL(), console.Prefix)
		fmt.Fprintf(&b, "# admin API (act as AWS, move the clock, inject faults): %s/_cosell/ with Authorization: Bearer <--admin-token>\n", srv.URL())
	} else {
		fmt.Fprintf(&b, "# web console: %s%s, off until you start with --admin-token TOKEN\n", srv.URL(), console.Prefix)
		fmt.Fprintln(&b, "# admin API: off; start with --admin-token TOKEN to act as AWS, move the clock and inject faults")
	}
	_, _ = io.WriteString(w, b.String())
}

// exposureFlags declares the flags of who may reach the server; the
// returned function reads them once parsed.
func exposureFlags(fs *flag.FlagSet) func() (server.Exposure, error) {
	hosts := fs.String("allowed-hosts", envOr("COSELL_ALLOWED_HOSTS", ""), "comma-separated Host names answered besides localhost and IP addresses; a leading dot allows subdomains (env COSELL_ALLOWED_HOSTS)")
	public := fs.Bool("insecure-public", envOr("COSELL_INSECURE_PUBLIC", "") == "true", "allow a non-loopback --addr with the public default account keys (env COSELL_INSECURE_PUBLIC=true)")
	localStackOpen := fs.Bool("localstack-without-token", envOr("COSELL_LOCALSTACK_WITHOUT_TOKEN", "") == "true", "serve /_localstack/ without the admin token, for LocalStack clients that cannot send one (env COSELL_LOCALSTACK_WITHOUT_TOKEN=true)")
	strict := fs.Bool("strict-region", envOr("COSELL_STRICT_REGION", "") == "true", "refuse signatures scoped to a region other than --region, as AWS does (env COSELL_STRICT_REGION=true)")
	maxConns := fs.Int("max-conns", surface.DefaultMaxConns, "open connections at once; more wait until one closes")
	return func() (server.Exposure, error) {
		if *maxConns < 1 {
			return server.Exposure{}, fmt.Errorf("--max-conns %d: want at least 1", *maxConns)
		}
		var allowed []string
		for _, h := range strings.Split(*hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				allowed = append(allowed, h)
			}
		}
		return server.Exposure{AllowedHosts: allowed, InsecurePublic: *public, LocalStackOpen: *localStackOpen, StrictRegion: *strict, MaxConns: *maxConns}, nil
	}
}
