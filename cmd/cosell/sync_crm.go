package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// `cosell sync crm ...` plays the CRM against the connector's database:
// it makes the creates and edits a CRM would, through crmdb's Local side,
// so the documented flows (edit, conflict, resolve) need no SQL.

var crmCommands = []subcommand{
	{"create", "CRM-ID PATH=VALUE...", "a new opportunity made in the CRM; the next sync creates it in Partner Central"},
	{"edit", "CRM-ID PATH=VALUE...", "change fields; the next sync applies them (PATH=null clears one)"},
	{"show", "CRM-ID", "one opportunity as JSON: Partner Central's record and the CRM's pending changes"},
	{"list", "", "the catalog's opportunities: CRM id, opportunity id, title, review status, pending changes"},
}

func runSyncCRM(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell sync crm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	usageWithSubcommands(fs, "cosell sync crm", crmCommands)
	fs.Usage = withPathHelp(fs.Usage, fs.Output)
	path, catalog := dbFlags(fs)
	words, help, err := parseArgs(fs, args)
	if help || err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "cosell sync crm: "+format+"\n\n", a...)
		fs.Usage()
		return errUsage
	}
	if len(words) == 0 {
		return bad("give a command")
	}
	verb, rest := words[0], words[1:]
	switch verb {
	case "create", "edit":
		if len(rest) < 2 {
			return bad("%s takes a CRM id and at least one PATH=VALUE", verb)
		}
		fields, err := fieldAssignments(rest[1:])
		if err != nil {
			return err
		}
		if verb == "create" {
			return crmCreate(ctx, *path, *catalog, rest[0], fields, stdout)
		}
		return crmEdit(ctx, *path, rest[0], fields, stdout)
	case "show":
		if len(rest) != 1 {
			return bad("show takes one CRM id")
		}
		return crmShow(ctx, *path, rest[0], stdout)
	case "list":
		if len(rest) > 0 {
			return bad("unexpected arguments %q", rest)
		}
		return crmList(ctx, *path, *catalog, stdout)
	}
	return bad("unknown command %q", verb)
}

// withPathHelp adds how PATH=VALUE arguments read to a usage function.
func withPathHelp(usage func(), out func() io.Writer) func() {
	return func() {
		usage()
		fmt.Fprintln(out(), `
PATH is a CreateOpportunity member path, as the Selling API names it: Project.Title,
Customer.Account.CompanyName, LifeCycle.Stage. VALUE is a string, or JSON when it starts
with [ or { (Project.DeliveryModels='["SaaS or PaaS"]'); null clears the field.`)
	}
}

// fieldAssignments reads PATH=VALUE arguments.
func fieldAssignments(args []string) (map[string]any, error) {
	fields := map[string]any{}
	for _, a := range args {
		p, raw, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want PATH=VALUE, e.g. Project.Title=Data lake", a)
		}
		if err := fieldpath.Check(p); err != nil {
			return nil, err
		}
		v, err := fieldValue(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		fields[p] = v
	}
	return fields, nil
}

// fieldValue is VALUE as withPathHelp describes it.
func fieldValue(raw string) (any, error) {
	switch {
	case raw == "null":
		return nil, nil
	case strings.HasPrefix(raw, "[") || strings.HasPrefix(raw, "{"):
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return nil, fmt.Errorf("a value starting with [ or { must be JSON: %v", err)
		}
		return v, nil
	}
	return raw, nil
}

func crmCreate(ctx context.Context, dsn, catalog, crmID string, fields map[string]any, stdout io.Writer) error {
	// A CRM may make its first record before the first sync: the
	// database is created if need be.
	db, err := crmdb.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateLocal(ctx, catalog, crmID, fields); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s created in the CRM (%s); the next `cosell sync` creates it in Partner Central\n", crmID, catalog)
	return err
}

func crmEdit(ctx context.Context, dsn, crmID string, fields map[string]any, stdout io.Writer) error {
	db, err := openExisting(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.EditLocal(ctx, crmID, fields); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: %d field(s) edited; the next `cosell sync` applies them\n", crmID, len(fields))
	return err
}

// crmOpportunityJSON is an opportunity as `crm show` prints it, named as
// the Selling API names things.
type crmOpportunityJSON struct {
	CrmId            string          `json:"CrmId"`
	Catalog          string          `json:"Catalog"`
	Identifier       string          `json:"Identifier,omitempty"` // "" until Partner Central has created it
	LastModifiedDate *time.Time      `json:"LastModifiedDate,omitempty"`
	PendingCreate    map[string]any  `json:"PendingCreate,omitempty"` // fields by path, not yet sent
	PendingEdits     map[string]any  `json:"PendingEdits,omitempty"`  // by path, not yet applied
	Opportunity      json.RawMessage `json:"Opportunity,omitempty"`   // GetOpportunity's answer as last seen
	CrmFields        map[string]any  `json:"CrmFields,omitempty"`
	Removed          bool            `json:"Removed,omitempty"` // rejected by AWS
	LastError        string          `json:"LastError,omitempty"`
}

func crmShow(ctx context.Context, dsn, crmID string, stdout io.Writer) error {
	db, err := openExisting(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	o, err := db.Opportunity(ctx, crmID)
	if err != nil {
		return fmt.Errorf("%s: %w", crmID, err)
	}
	v := crmOpportunityJSON{CrmId: o.CRMID, Catalog: o.Catalog, Identifier: o.PCID, PendingCreate: o.CreatePayload,
		Opportunity: o.Record, CrmFields: o.CRMFields, Removed: o.Deleted, LastError: o.LastError}
	if !o.AWSLastModified.IsZero() {
		v.LastModifiedDate = &o.AWSLastModified
	}
	if len(o.Edits) > 0 {
		v.PendingEdits = map[string]any{}
		for p, e := range o.Edits {
			v.PendingEdits[p] = e.Value
		}
	}
	return printJSON(stdout, v)
}

func crmList(ctx context.Context, dsn, catalog string, stdout io.Writer) error {
	db, err := openExisting(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := db.Opportunities(ctx, catalog)
	if err != nil {
		return err
	}
	for _, o := range all {
		record, err := fieldpath.Decode(o.Record)
		if err != nil {
			return fmt.Errorf("%s: %w", o.CRMID, err)
		}
		title := text(record, "Project.Title", o.CreatePayload["Project.Title"])
		review := text(record, "LifeCycle.ReviewStatus", nil)
		state := "in step"
		switch {
		case o.Deleted:
			state = "removed"
		case o.PCID == "":
			state = "create pending"
		case len(o.Edits) > 0:
			state = fmt.Sprintf("%d edit(s) pending", len(o.Edits))
		}
		if o.LastError != "" {
			state += "; last push failed: " + o.LastError
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\n", o.CRMID, orDash(o.PCID), orDash(title), orDash(review), state)
	}
	return nil
}

// text is the string at path in record, else fallback's.
func text(record fieldpath.Doc, path string, fallback any) string {
	if v, ok := fieldpath.Get(record, path); ok {
		fallback = v
	}
	s, _ := fallback.(string)
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
