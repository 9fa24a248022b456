package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/schollz/progressbar/v3"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/feed"
)

// runSync is `cosell sync`: the connector, or with a first argument
// `status` or `conflicts`, a look at its CRM database.
func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "status":
			return runSyncStatus(ctx, args[1:], stdout, stderr)
		case "conflicts":
			return runSyncConflicts(ctx, args[1:], stdout, stderr)
		case "bench":
			return runSyncBench(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("cosell sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath, catalog := dbFlags(fs)
	once := fs.Bool("once", false, "run one cycle (inbound, referrals, outbound) and exit")
	pollEvery := fs.Duration("poll-every", 5*time.Minute, "daemon mode: how often to poll ListOpportunities as the safety net")
	endpoint := fs.String("events-endpoint", envOr("COSELL_ENDPOINT", ""), "daemon mode: a cosell server whose event stream to follow (env COSELL_ENDPOINT); empty polls only")
	token := fs.String("admin-token", envOr("COSELL_ADMIN_TOKEN", ""), "that server's admin token (env COSELL_ADMIN_TOKEN)")
	account := fs.String("account", envOr("COSELL_ACCOUNT", "111111111111"), "the partner account whose events to follow (env COSELL_ACCOUNT)")
	sqsQueueURL := fs.String("sqs-queue-url", "", "daemon mode: follow events from this SQS queue fed by an EventBridge rule (cosell serves one per account); credentials and endpoint (AWS_ENDPOINT_URL_SQS) from the AWS SDK's usual chain")
	verbose := fs.Bool("v", false, "log every record stored")
	s3opts := s3Flags(fs)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if *s3opts.mode != "api" {
		return runSyncS3(ctx, s3opts, *dbPath, *catalog, *once, *pollEvery, log, stdout)
	}
	if name := s3OnlyFlag(fs); name != "" {
		return fmt.Errorf("--%s is for --mode s3", name)
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	db, err := crmdb.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	e := &syncer.Engine{API: sellingclient.New(cfg), DB: db, Catalog: *catalog, Log: log,
		Progress: loadProgress(stderr, "loading opportunities")}
	if *once {
		if err := e.SyncOnce(ctx); err != nil {
			return err
		}
		return printStatus(ctx, db, *catalog, stdout)
	}
	var src feed.Source = noEvents{}
	if *endpoint != "" && *token != "" {
		src = &feed.Stream{Endpoint: *endpoint, Token: *token, Account: *account, HTTP: &http.Client{}, Log: log}
	}
	if *sqsQueueURL != "" {
		if src, err = feed.NewSQS(ctx, *sqsQueueURL, log); err != nil {
			return err
		}
	}
	log.Info("sync running", "catalog", *catalog, "db", crmdb.Describe(*dbPath), "pollEvery", *pollEvery, "events", *endpoint != "" && *token != "", "sqs", *sqsQueueURL)
	err = e.Run(ctx, src, *pollEvery)
	log.Info("sync stopped")
	return err
}

// noEvents is the Source when no event feed is configured: polling only.
type noEvents struct{}

func (noEvents) Run(ctx context.Context, _ string, _ feed.Deliver) error {
	<-ctx.Done()
	return nil
}

// loadProgress is a counting progress bar for a first load, whose total
// ListOpportunities does not tell.
func loadProgress(w io.Writer, description string) syncer.Progress {
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(),
		// No spinner ticker: the library's ticker goroutine reads the bar
		// without its lock (a data race); every Set redraws it anyway.
		progressbar.OptionSetSpinnerChangeInterval(0))
	return func(done int, finished bool) {
		_ = bar.Set(done)
		if finished {
			_ = bar.Finish()
		}
	}
}

func dbFlags(fs *flag.FlagSet) (path, catalog *string) {
	path = fs.String("db", envOr("COSELL_SYNC_DB", "./.cosell-sync.db"), "the CRM database (env COSELL_SYNC_DB)")
	catalog = fs.String("catalog", "Sandbox", "the catalog to sync: Sandbox or AWS")
	return path, catalog
}

func openDB(ctx context.Context, fs *flag.FlagSet, args []string, path *string) (crmdb.Store, []string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, nil, errUsage // -h included: usage is printed
	}
	db, err := crmdb.Open(ctx, *path)
	return db, fs.Args(), err
}

func runSyncStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell sync status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path, catalog := dbFlags(fs)
	db, _, err := openDB(ctx, fs, args, path)
	if err != nil {
		return err
	}
	defer db.Close()
	return printStatus(ctx, db, *catalog, stdout)
}

func printStatus(ctx context.Context, db crmdb.Store, catalog string, w io.Writer) error {
	st, err := db.Stats(ctx, catalog)
	if err != nil {
		return err
	}
	lag := "never synced"
	if !st.State.LastSync.IsZero() {
		lag = time.Since(st.State.LastSync).Round(time.Second).String()
	}
	lastAWS := "none"
	if !st.State.AWSLastModified.IsZero() {
		lastAWS = st.State.AWSLastModified.Format(time.RFC3339Nano)
	}
	_, err = fmt.Fprintf(w, "catalog:             %s\nlag:                 %s\nlast AWS change:     %s\nfirst load done:     %v\nevent cursor:        %s\nopportunities:       %d\npending local edits: %d\nopen conflicts:      %d\npush errors:         %d\ninvitations:         %d\n",
		catalog, lag, lastAWS, st.State.FullLoadDone, st.State.EventCursor, st.Opportunities, st.PendingEdits, st.OpenConflicts, st.Errors, st.Invitations)
	return err
}

func runSyncConflicts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: cosell sync conflicts list | show ID | resolve ID --keep crm|partner-central [--db PATH]"
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	fs := flag.NewFlagSet("cosell sync conflicts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path, _ := dbFlags(fs)
	keep := fs.String("keep", "", "resolve: the side to keep, crm or partner-central")
	verb := args[0]
	if verb != "list" && verb != "show" && verb != "resolve" {
		// Before opening anything: a flag taken for the verb would
		// otherwise create the default database file.
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	var id int64
	rest := args[1:]
	if verb == "show" || verb == "resolve" {
		if len(rest) == 0 {
			fmt.Fprintln(stderr, usage)
			return errUsage
		}
		n, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil {
			return fmt.Errorf("conflict id %q: want a number", rest[0])
		}
		id, rest = n, rest[1:]
	}
	db, extra, err := openDB(ctx, fs, rest, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(extra) > 0 {
		return fmt.Errorf("unexpected arguments %q", extra)
	}
	switch verb {
	case "list":
		all, err := db.Conflicts(ctx, false)
		if err != nil {
			return err
		}
		for _, c := range all {
			state := "open"
			if c.Resolved != nil {
				state = "kept " + string(c.Resolution)
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%v\t%s\t%s\n", c.ID, c.CRMID, c.PCID, c.Fields, state, c.Reason)
		}
		return nil
	case "show":
		c, err := db.Conflict(ctx, id)
		if err != nil {
			return err
		}
		out := json.NewEncoder(stdout)
		out.SetIndent("", "  ")
		return out.Encode(c)
	case "resolve":
		if err := db.ResolveConflict(ctx, id, crmdb.Resolution(*keep)); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "conflict %d resolved: kept %s\n", id, *keep)
		return err
	}
	fmt.Fprintln(stderr, usage)
	return errUsage
}
