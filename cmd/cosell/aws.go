package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/server"
)

// `cosell aws ...` acts as AWS on a running server through its admin API
// (the routes under /_cosell/aws/ and the clock), so a test script can
// approve, refer, expire and decide without writing HTTP requests.

// awsAction is one `cosell aws` subcommand: its summary, and how it turns
// its flags into one admin request.
type awsAction struct {
	summary string
	flags   func(fs *flag.FlagSet) func() (method, path string, body any, err error)
}

func awsActions() map[string]awsAction {
	return map[string]awsAction{
		"review":           {"review a submitted opportunity: In review, Approved, Action Required or Rejected", reviewFlags},
		"summary":          {"update AWS's side of an opportunity (GetAwsOpportunitySummary)", summaryFlags},
		"refer":            {"send a partner an AWS referral: an opportunity or a lead", referFlags},
		"expire":           {"expire a PENDING engagement invitation now", expireFlags},
		"verify":           {"decide an Account API verification", verifyFlags},
		"clock":            {"show the server clock, or move it forward", clockFlags},
		"auto-review":      {"show or set the Sandbox's automatic reviewer", autoReviewFlags},
		"solution":         {"list a new partner solution for an account", solutionFlags},
		"listing":          {"list a new AWS Marketplace solution or product for an account", listingFlags},
		"score-lead":       {"set the LeadReadinessScore of an engagement's lead", scoreLeadFlags},
		"ace export":       {"export AWS's referrals to a partner's ACE S3 bucket now (AWS does it hourly)", aceExportFlags},
		"ace buckets":      {"list the partners' ACE S3 buckets", aceBucketsFlags},
		"channel show":     {"show a channel handshake, whoever takes part in it", channelHandshakeFlags("")},
		"channel accept":   {"accept a PENDING channel handshake as its receiver", channelHandshakeFlags("accept")},
		"channel reject":   {"reject a PENDING channel handshake as its receiver", channelHandshakeFlags("reject")},
		"channel expire":   {"expire a PENDING channel handshake now", channelHandshakeFlags("expire")},
		"revenue product":  {"add a Marketplace product to an account (Revenue Measurement)", revenueProductFlags},
		"revenue products": {"list an account's Marketplace products", revenueProductsFlags},
		"revenue settle":   {"process a revenue attribution's allocation task now, or fail it with an error code", revenueSettleFlags},

		"benefits review":     {"decide a benefit application in review: ACTION_REQUIRED, STAGE, APPROVED or REJECTED", benefitsReviewFlags},
		"benefits file":       {"end the processing of a benefit application's file: SUCCEEDED or FAILED", benefitsFileFlags},
		"benefits allocation": {"move a benefit allocation: ACTIVE, INACTIVE or FULFILLED", benefitsAllocationFlags},
		"benefits catalog":    {"list a catalog's benefits, or add or replace one (--file)", benefitsCatalogFlags},
	}
}

// awsActionOrder is the order of the usage text.
var awsActionOrder = []string{"review", "summary", "refer", "expire", "verify", "clock", "auto-review", "solution", "listing", "score-lead", "ace export", "ace buckets",
	"channel show", "channel accept", "channel reject", "channel expire", "revenue product", "revenue products", "revenue settle",
	"benefits review", "benefits file", "benefits allocation", "benefits catalog"}

func runAws(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	actions := awsActions()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		awsUsage(stdout, actions)
		return nil
	}
	// Two-word actions: "ace export", "channel ...", "revenue ...",
	// "benefits ...". The group alone, or with -h, lists its actions.
	if args[0] == "ace" || args[0] == "channel" || args[0] == "revenue" || args[0] == "benefits" {
		group := args[0]
		if len(args) == 1 || strings.HasPrefix(args[1], "-") {
			help := len(args) > 1 && (args[1] == "-h" || args[1] == "-help" || args[1] == "--help")
			w := stderr
			if help {
				w = stdout
			}
			fmt.Fprintf(w, "usage: cosell aws %s <action> [flags]\n\n", group)
			for _, name := range awsActionOrder {
				if rest, ok := strings.CutPrefix(name, group+" "); ok {
					fmt.Fprintf(w, "  %-10s %s\n", rest, actions[name].summary)
				}
			}
			if help {
				return nil
			}
			return errUsage
		}
		args = append([]string{group + " " + args[1]}, args[2:]...)
	}
	action, ok := actions[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cosell aws: unknown action %q\n\n", args[0])
		awsUsage(stderr, actions)
		return errUsage
	}
	fs := flag.NewFlagSet("cosell aws "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", envOr("COSELL_ENDPOINT", "http://"+server.DefaultAddr), "URL of the running cosell server (env COSELL_ENDPOINT)")
	token := fs.String("admin-token", envOr("COSELL_ADMIN_TOKEN", ""), "the server's admin token (env COSELL_ADMIN_TOKEN)")
	build := action.flags(fs)
	if help, err := parseFlags(fs, args[1:]); help || err != nil {
		return err
	}
	if *token == "" {
		return errors.New("no admin token: pass --admin-token or set COSELL_ADMIN_TOKEN (the server's --admin-token)")
	}
	method, path, body, err := build()
	if err != nil {
		return err
	}
	return adminDo(ctx, strings.TrimRight(*endpoint, "/"), *token, method, path, body, stdout)
}

func awsUsage(w io.Writer, actions map[string]awsAction) {
	fmt.Fprintln(w, "usage: cosell aws <action> [flags]")
	fmt.Fprintln(w)
	for _, name := range awsActionOrder {
		fmt.Fprintf(w, "  %-20s %s\n", name, actions[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every action takes --endpoint and --admin-token (env COSELL_ENDPOINT, COSELL_ADMIN_TOKEN).")
	fmt.Fprintln(w, "Run 'cosell aws <action> -h' for an action's flags.")
}

// adminDo sends one admin request and prints the answer's JSON, indented;
// an answer other than 200 is an error carrying the server's message.
func adminDo(ctx context.Context, endpoint, token, method, path string, body any, stdout io.Writer) error {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, adminMessage(raw))
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		out.Reset()
		out.Write(raw)
	}
	_, err = fmt.Fprintln(stdout, strings.TrimSpace(out.String()))
	return err
}

// adminMessage is the message of an admin API error answer ({"error":
// "..."}), or the answer as it came when it is not one.
func adminMessage(raw []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != "" {
		return e.Error
	}
	return strings.TrimSpace(string(raw))
}

// required names the flags that were left empty.
func required(flags map[string]string) error {
	var missing []string
	for name, v := range flags {
		if v == "" {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("missing %s", strings.Join(missing, ", "))
}

// opportunityPath is the admin path of an opportunity's AWS-side action.
func opportunityPath(catalog, account, id, action string) string {
	return "/_cosell/aws/opportunities/" + url.PathEscape(catalog) + "/" + url.PathEscape(account) + "/" + url.PathEscape(id) + "/" + action
}

// opportunityFlags are the flags naming one opportunity.
func opportunityFlags(fs *flag.FlagSet) (catalog, account, id *string) {
	catalog = fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	account = fs.String("account", "", "the partner account that owns the opportunity")
	id = fs.String("opportunity", "", "the opportunity id, e.g. O1234567")
	return
}

func reviewFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog, account, id := opportunityFlags(fs)
	status := fs.String("status", "", `outcome: "In review", "Approved", "Action Required" or "Rejected"`)
	comments := fs.String("comments", "", "ReviewComments (Action Required, Rejected)")
	reason := fs.String("reason", "", "ReviewStatusReason (Action Required, Rejected)")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "opportunity": *id, "status": *status}); err != nil {
			return "", "", nil, err
		}
		body := map[string]string{"status": *status, "comments": *comments, "reason": *reason}
		return http.MethodPost, opportunityPath(*catalog, *account, *id, "review"), body, nil
	}
}

func summaryFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog, account, id := opportunityFlags(fs)
	file := fs.String("file", "", "JSON file with the update, shaped as GetAwsOpportunitySummary's LifeCycle, OpportunityTeam, Insights, InvolvementTypeChangeReason, Project, CosellMotion, SoftwareRevenue; - reads stdin")
	stage := fs.String("stage", "", "LifeCycle.Stage, an AwsOpportunityStage such as \"Technical Validation\"")
	nextSteps := fs.String("next-steps", "", "LifeCycle.NextSteps")
	score := fs.String("engagement-score", "", "Insights.EngagementScore: High, Medium or Low")
	actions := fs.String("next-best-actions", "", "Insights.NextBestActions")
	motion := fs.String("cosell-motion", "", "CosellMotion, such as \"Partner-led\", \"Agent-engaged\" or \"AWS Field-engaged\"")
	quality := fs.Int("quality-score", -1, "Insights.OpportunityQuality.Score, 0 to 100")
	trend := fs.String("quality-trend", "", "Insights.OpportunityQuality.Trend: Improving, Declining or No Change")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "opportunity": *id}); err != nil {
			return "", "", nil, err
		}
		body := map[string]any{}
		if *file != "" {
			if err := readJSONFile(*file, &body); err != nil {
				return "", "", nil, err
			}
		}
		// The flags change members inside the file's LifeCycle and Insights.
		set := func(member, field, v string) {
			if v == "" {
				return
			}
			m, _ := body[member].(map[string]any)
			if m == nil {
				m = map[string]any{}
			}
			m[field] = v
			body[member] = m
		}
		set("LifeCycle", "Stage", *stage)
		set("LifeCycle", "NextSteps", *nextSteps)
		set("Insights", "EngagementScore", *score)
		set("Insights", "NextBestActions", *actions)
		if *motion != "" {
			body["CosellMotion"] = *motion
		}
		if *quality >= 0 || *trend != "" {
			q := map[string]any{}
			if *quality >= 0 {
				q["Score"] = *quality
			}
			if *trend != "" {
				q["Trend"] = *trend
			}
			insights, _ := body["Insights"].(map[string]any)
			if insights == nil {
				insights = map[string]any{}
			}
			insights["OpportunityQuality"] = q
			body["Insights"] = insights
		}
		if len(body) == 0 {
			return "", "", nil, errors.New("nothing to update: give --file or at least one of --stage, --next-steps, --engagement-score, --next-best-actions, --cosell-motion, --quality-score, --quality-trend")
		}
		return http.MethodPost, opportunityPath(*catalog, *account, *id, "summary"), body, nil
	}
}

func referFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	account := fs.String("account", "", "the partner account to refer to")
	kind := fs.String("kind", "opportunity", "opportunity (an OpportunityInvitation) or lead (a Lead engagement and LeadInvitation)")
	file := fs.String("file", "", "JSON file with the payload (an OpportunityInvitation payload, or a Lead context); - reads stdin; replaces the flags below")
	message := fs.String("message", "", "the InvitationMessage; empty for AWS's usual one")
	company := fs.String("company", "", "customer company name")
	country := fs.String("country", "US", "customer country code")
	industry := fs.String("industry", "Software and Internet", "customer industry (an Industry value; Other needs the other-industry text AWS asks for)")
	website := fs.String("website", "https://www.example.com", "customer website")
	title := fs.String("title", "", "project title (opportunity); defaults to the company's name")
	problem := fs.String("problem", "", "the customer's business problem")
	closeDate := fs.String("close-date", "", "target close date YYYY-MM-DD (opportunity); defaults to a year from now")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account}); err != nil {
			return "", "", nil, err
		}
		if *kind != "opportunity" && *kind != "lead" {
			return "", "", nil, fmt.Errorf("--kind %q: want opportunity or lead", *kind)
		}
		var payload any
		if *file != "" {
			var p map[string]any
			if err := readJSONFile(*file, &p); err != nil {
				return "", "", nil, err
			}
			payload = p
		} else {
			if err := required(map[string]string{"company": *company, "problem": *problem}); err != nil {
				return "", "", nil, fmt.Errorf("%w (or give --file)", err)
			}
			payload = referralPayload(*kind, *company, *country, *industry, *website, *title, *problem, *closeDate)
		}
		body := map[string]any{"catalog": *catalog, "account": *account, "message": *message, *kind: payload}
		return http.MethodPost, "/_cosell/aws/referrals", body, nil
	}
}

// referralPayload builds a referral from the flags: the least the model
// asks of an OpportunityInvitation payload or a Lead context.
func referralPayload(kind, company, country, industry, website, title, problem, closeDate string) map[string]any {
	if kind == "lead" {
		return map[string]any{
			"Customer": map[string]any{"CompanyName": company, "Industry": industry, "WebsiteUrl": website, "Address": map[string]any{"CountryCode": country}},
			"Interactions": []any{map[string]any{
				"SourceType": "AWS", "SourceId": "cosell", "SourceName": "cosell aws refer", "CustomerAction": "Requested contact", "BusinessProblem": problem,
				"Contact": map[string]any{"BusinessTitle": "Decision maker", "Email": "contact@example.com", "FirstName": "Pat", "LastName": "Customer"},
			}},
		}
	}
	if title == "" {
		title = company
	}
	if closeDate == "" {
		closeDate = time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	}
	return map[string]any{
		"Customer": map[string]any{"CompanyName": company, "CountryCode": country, "Industry": industry, "WebsiteUrl": website},
		"Project":  map[string]any{"Title": title, "BusinessProblem": problem, "TargetCompletionDate": closeDate},
	}
}

func solutionFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the partner whose solution it is")
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	name := fs.String("name", "", "the solution's name")
	category := fs.String("category", "Software Products", "its category, e.g. Consulting Services, Managed Services")
	status := fs.String("status", "Active", "Active, Inactive or Draft")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "name": *name}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/solutions", map[string]string{"catalog": *catalog, "account": *account,
			"name": *name, "category": *category, "status": *status}, nil
	}
}

func listingFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the partner whose listing it is")
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	kind := fs.String("kind", "Solution", "Solution, SaaSProduct, AmiProduct or ContainerProduct")
	name := fs.String("name", "", "the listing's name")
	visibility := fs.String("visibility", "Public", "Public, Limited, Restricted or Draft (only Public and Limited associate)")
	solution := fs.String("solution", "", "for a Solution: the partner solution (S-…) it stands for")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "name": *name}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/listings", map[string]string{"catalog": *catalog, "account": *account,
			"kind": *kind, "name": *name, "visibility": *visibility, "solutionId": *solution}, nil
	}
}

func scoreLeadFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	engagement := fs.String("engagement", "", "the engagement (eng-…) whose lead AWS scores")
	score := fs.String("score", "", "LeadReadinessScore: Low, Medium or High")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"engagement": *engagement, "score": *score}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/engagements/" + url.PathEscape(*catalog) + "/" + url.PathEscape(*engagement) + "/lead-insights",
			map[string]string{"LeadReadinessScore": *score}, nil
	}
}

func aceExportFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the partner whose bucket gets the files")
	catalog := fs.String("catalog", "Sandbox", "catalog: Sandbox (the beta bucket) or AWS (the prod bucket)")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/ace/export", map[string]string{"account": *account, "catalog": *catalog}, nil
	}
}

func aceBucketsFlags(*flag.FlagSet) func() (string, string, any, error) {
	return func() (string, string, any, error) { return http.MethodGet, "/_cosell/aws/ace/buckets", nil, nil }
}

func expireFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	catalog := fs.String("catalog", "Sandbox", "catalog: AWS or Sandbox")
	id := fs.String("invitation", "", "the invitation id (engi-...) or ARN")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"invitation": *id}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/invitations/" + url.PathEscape(*catalog) + "/" + url.PathEscape(*id) + "/expire", nil, nil
	}
}

func verifyFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	account := fs.String("account", "", "the account whose verification AWS decides")
	typ := fs.String("type", "BUSINESS_VERIFICATION", "BUSINESS_VERIFICATION or REGISTRANT_VERIFICATION")
	status := fs.String("status", "", "SUCCEEDED, FAILED, REJECTED, or IN_PROGRESS / PENDING_CUSTOMER_ACTION to hold it")
	reason := fs.String("reason", "", "VerificationStatusReason (FAILED, REJECTED)")
	return func() (string, string, any, error) {
		if err := required(map[string]string{"account": *account, "status": *status}); err != nil {
			return "", "", nil, err
		}
		return http.MethodPost, "/_cosell/aws/verifications/" + url.PathEscape(*account) + "/" + url.PathEscape(*typ), map[string]string{"status": *status, "reason": *reason}, nil
	}
}

func clockFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	advance := fs.String("advance", "", `move the clock forward by a Go duration, e.g. "360h"`)
	set := fs.String("set", "", "move the clock forward to an RFC 3339 time")
	return func() (string, string, any, error) {
		switch {
		case *advance != "" && *set != "":
			return "", "", nil, errors.New("give --advance or --set, not both")
		case *advance != "":
			return http.MethodPost, "/_cosell/clock", map[string]string{"advance": *advance}, nil
		case *set != "":
			return http.MethodPost, "/_cosell/clock", map[string]string{"set": *set}, nil
		}
		return http.MethodGet, "/_cosell/clock", nil, nil
	}
}

func autoReviewFlags(fs *flag.FlagSet) func() (string, string, any, error) {
	mode := fs.String("mode", "", "off or rules; empty shows the current setting")
	delay := fs.String("delay", "", `how long after submission the reviewer decides, e.g. "60s"`)
	return func() (string, string, any, error) {
		if *mode == "" {
			if *delay != "" {
				return "", "", nil, errors.New("--delay needs --mode")
			}
			return http.MethodGet, "/_cosell/aws/auto-review", nil, nil
		}
		return http.MethodPost, "/_cosell/aws/auto-review", map[string]string{"mode": *mode, "delay": *delay}, nil
	}
}

// readJSONFile decodes a JSON file, or stdin for "-".
func readJSONFile(path string, v any) error {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
