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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/schollz/progressbar/v3"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/feed"
)

// syncCommands are `cosell sync`'s subcommands; without one it runs the
// connector.
var syncCommands = []subcommand{
	{"", "", "run the connector: with --once one cycle, else as a daemon"},
	{"status", "", "the CRM database's position: lag, last AWS change, pending edits, conflicts, errors"},
	{"crm", "create|edit|show|list ...", "make and inspect CRM-side changes, as the CRM would (run 'cosell sync crm -h')"},
	{"conflicts", "list|show|resolve ...", "CRM edits that met a Partner Central change (run 'cosell sync conflicts -h')"},
	{"bench", "", "measure a first load and an incremental sync against an in-process server"},
}

// runSync is `cosell sync`: the connector, or with a first argument one
// of syncCommands.
func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "status":
			return runSyncStatus(ctx, args[1:], stdout, stderr)
		case "conflicts":
			return runSyncConflicts(ctx, args[1:], stdout, stderr)
		case "crm":
			return runSyncCRM(ctx, args[1:], stdout, stderr)
		case "bench":
			return runSyncBench(ctx, args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("cosell sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	usageWithSubcommands(fs, "cosell sync", syncCommands)
	dbPath, catalog := dbFlags(fs)
	once := fs.Bool("once", false, "run one cycle (inbound, referrals, outbound) and exit")
	pollEvery := fs.Duration("poll-every", 5*time.Minute, "daemon mode: how often to poll ListOpportunities as the safety net")
	endpoint := fs.String("events-endpoint", envOr("COSELL_ENDPOINT", ""), "daemon mode: a cosell server whose event stream to follow (env COSELL_ENDPOINT); empty polls only")
	token := fs.String("admin-token", envOr("COSELL_ADMIN_TOKEN", ""), "that server's admin token (env COSELL_ADMIN_TOKEN)")
	account := fs.String("account", envOr("COSELL_ACCOUNT", "111111111111"), "the partner account whose events to follow (env COSELL_ACCOUNT)")
	sqsQueueURL := fs.String("sqs-queue-url", "", "daemon mode: follow events from this SQS queue fed by an EventBridge rule (cosell serves one per account); credentials and endpoint (AWS_ENDPOINT_URL_SQS) from the AWS SDK's usual chain")
	rate := fs.String("rate", "aws", "client-side request rate: aws keeps to AWS's Selling API quotas (10 reads/s, 1 write/s); unlimited, for a cosell without --quotas")
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
	api, err := rateLimitedClient(cfg, *rate)
	if err != nil {
		return err
	}
	db, err := crmdb.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	total, err := firstLoadTotal(ctx, api, db, *catalog)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The count only feeds the bar: the load goes on without a total.
		log.Warn("could not count the opportunities to load", "err", err)
		total = -1
	}
	e := &syncer.Engine{API: api, DB: db, Catalog: *catalog, Log: log,
		Progress: loadProgress(stderr, "loading opportunities", total)}
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

// rateLimitedClient is the connector's Selling API client at the --rate
// asked for.
func rateLimitedClient(cfg aws.Config, rate string) (*sellingclient.Client, error) {
	switch rate {
	case "aws":
		return sellingclient.New(cfg), nil
	case "unlimited":
		return sellingclient.New(cfg, func(o *sellingclient.Options) { o.RateLimit.Disabled = true }), nil
	}
	return nil, fmt.Errorf("--rate %q: want aws or unlimited", rate)
}

// noEvents is the Source when no event feed is configured: polling only.
type noEvents struct{}

func (noEvents) Run(ctx context.Context, _ string, _ feed.Deliver) error {
	<-ctx.Done()
	return nil
}

// firstLoadTotal counts the catalog's opportunities before a first load
// that starts from the beginning, so its bar can show a total and an ETA:
// ListOpportunities tells no total, and counting costs one listing call
// per 100 opportunities, a hundredth of the load's one GetOpportunity
// each. A resumed load or a poll gets -1: no total.
func firstLoadTotal(ctx context.Context, api *sellingclient.Client, db crmdb.Store, catalog string) (int, error) {
	st, err := db.State(ctx, catalog)
	if err != nil {
		return 0, err
	}
	if st.FullLoadDone || st.FullLoadToken != "" {
		return -1, nil
	}
	total := 0
	pages := sellingclient.NewListOpportunitiesPaginator(api, &selling.ListOpportunitiesRequest{Catalog: catalog, MaxResults: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		total += len(page.OpportunitySummaries)
	}
	return total, nil
}

// loadProgress is the progress bar of a first load: with a total (>= 0)
// it shows the share done and an ETA, without one the count; both show
// the rate and the elapsed time.
func loadProgress(w io.Writer, description string, total int) syncer.Progress {
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("opp"),
		progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(total >= 0), progressbar.OptionClearOnFinish(),
		// No spinner ticker: the library's ticker goroutine reads the bar
		// without its lock (a data race); every Set redraws it anyway.
		progressbar.OptionSetSpinnerChangeInterval(0))
	return func(done int, finished bool) {
		if total >= 0 && done > total {
			// Opportunities created since the count.
			total = done
			bar.ChangeMax(total)
		}
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

func runSyncStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell sync status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path, catalog := dbFlags(fs)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	db, err := openExisting(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	return printStatus(ctx, db, *catalog, stdout)
}

// openExisting opens a CRM database a sync made (see mustExist).
func openExisting(ctx context.Context, path string) (crmdb.Store, error) {
	if err := mustExist(path); err != nil {
		return nil, err
	}
	return crmdb.Open(ctx, path)
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

var conflictCommands = []subcommand{
	{"list", "", "every conflict, open or resolved: id, CRM id, opportunity id, fields, state, reason"},
	{"show", "ID", "one conflict as JSON: the CRM's values and the Partner Central record they met"},
	{"resolve", "ID --keep crm|partner-central", "keep one side: crm sends the CRM's values again, partner-central drops them"},
}

func runSyncConflicts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell sync conflicts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	usageWithSubcommands(fs, "cosell sync conflicts", conflictCommands)
	path, _ := dbFlags(fs)
	keep := fs.String("keep", "", "resolve: the side to keep, crm or partner-central")
	words, help, err := parseArgs(fs, args)
	if help || err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "cosell sync conflicts: "+format+"\n\n", a...)
		fs.Usage()
		return errUsage
	}
	if len(words) == 0 {
		return bad("give a command")
	}
	verb, rest := words[0], words[1:]
	var id int64
	switch verb {
	case "list":
		if len(rest) > 0 {
			return bad("unexpected arguments %q", rest)
		}
	case "show", "resolve":
		if len(rest) != 1 {
			return bad("%s takes one conflict id", verb)
		}
		if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil {
			return fmt.Errorf("conflict id %q: want a number", rest[0])
		}
		if verb == "resolve" && *keep != string(crmdb.KeepCRM) && *keep != string(crmdb.KeepPartnerCentral) {
			return bad("resolve needs --keep crm or --keep partner-central")
		}
	default:
		return bad("unknown command %q", verb)
	}
	db, err := openExisting(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
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
		return printJSON(stdout, conflictView(c))
	default: // resolve
		if err := db.ResolveConflict(ctx, id, crmdb.Resolution(*keep)); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "conflict %d resolved: kept %s\n", id, *keep)
		return err
	}
}

// conflictJSON is a conflict as `conflicts show` prints it, named as the
// Selling API names things (Identifier, CreatedDate, ...), not as Go does.
type conflictJSON struct {
	ConflictId     int64           `json:"ConflictId"`
	CrmId          string          `json:"CrmId"`
	Identifier     string          `json:"Identifier,omitempty"` // the opportunity's id in Partner Central
	Fields         []string        `json:"Fields"`
	CrmValues      map[string]any  `json:"CrmValues"` // by field path, e.g. "Project.Title"
	PartnerCentral json.RawMessage `json:"PartnerCentral,omitempty"`
	Reason         string          `json:"Reason"`
	CreatedDate    time.Time       `json:"CreatedDate"`
	ResolvedDate   *time.Time      `json:"ResolvedDate,omitempty"`
	Resolution     string          `json:"Resolution,omitempty"`
}

func conflictView(c *crmdb.Conflict) conflictJSON {
	return conflictJSON{ConflictId: c.ID, CrmId: c.CRMID, Identifier: c.PCID, Fields: c.Fields, CrmValues: c.CRMVersion,
		PartnerCentral: c.PartnerCentral, Reason: c.Reason, CreatedDate: c.Created, ResolvedDate: c.Resolved, Resolution: string(c.Resolution)}
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	out := json.NewEncoder(w)
	out.SetIndent("", "  ")
	return out.Encode(v)
}
