package acemode

import (
	"context"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
)

// AWS refers an opportunity; the export reaches the CRM as a masked
// referral and the file is deleted; the CRM accepts it; Partner Central
// then has the partner's opportunity, and AWS's next export fills the
// CRM's row in, unmasked.
func TestReferralAcceptedThroughFiles(t *testing.T) {
	s := startCosell(t)
	e := newEngine(t, s, dbPath(t))
	ctx := context.Background()
	referred := admin(t, s, "aws/referrals", `{"catalog":"Sandbox","account":"`+account+`","opportunity":{
		"Customer":{"CompanyName":"Referred Corp","CountryCode":"US","Industry":"Retail","WebsiteUrl":"https://referred.example"},
		"Project":{"Title":"Referred project","BusinessProblem":"The customer wants to move its stores to AWS.","TargetCompletionDate":"`+
		time.Now().AddDate(1, 0, 0).Format(time.DateOnly)+`"}}}`)
	invitation := referred["invitationId"].(string)
	if export(t, s)["opportunities"] != float64(1) {
		t.Fatal("export wrote no referral")
	}

	sync(t, e)
	invs, err := e.DB.Invitations(ctx, catalog)
	if err != nil || len(invs) != 1 {
		t.Fatalf("invitations %v, %v", invs, err)
	}
	inv := invs[0]
	if inv.ID != invitation || inv.Status != "PENDING" || inv.Title != "Referred project" ||
		!strings.Contains(string(inv.Record), `"customerCompanyName": "Accept To View"`) || strings.Contains(string(inv.Record), "Referred Corp") {
		t.Fatalf("referral in the CRM: %+v %s", inv, inv.Record)
	}
	if left := keys(t, e, ace.OpportunityOutbound); len(left) != 0 {
		t.Fatalf("outbound files left: %v", left)
	}

	if err := e.AcceptReferral(ctx, invitation, "crm-accepted"); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	got := row(t, e, "crm-accepted")
	if !strings.HasPrefix(got.PCID, "O") {
		t.Fatalf("accepted row %+v", got)
	}
	pc := getOpportunity(t, s, got.PCID)
	if pc.Customer == nil || pc.Customer.Account == nil || pc.Customer.Account.CompanyName != "Referred Corp" {
		t.Fatalf("Partner Central opportunity %+v", pc)
	}
	listed, err := sellingOf(s).ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: catalog, Identifier: []string{got.PCID}})
	if err != nil || len(listed.OpportunitySummaries) != 1 {
		t.Fatalf("ListOpportunities: %v, %v", listed, err)
	}
	invs, _ = e.DB.Invitations(ctx, catalog)
	if invs[0].Status != "ACCEPTED" {
		t.Fatalf("invitation after acceptance: %+v", invs[0])
	}
	if err := e.AcceptReferral(ctx, invitation, ""); err == nil {
		t.Fatal("a referral answered twice")
	}

	// AWS's next export carries the accepted opportunity, unmasked.
	if export(t, s)["opportunities"] != float64(1) {
		t.Fatal("accepted opportunity not exported")
	}
	sync(t, e)
	got = row(t, e, "crm-accepted")
	if !strings.Contains(string(got.Record), `"CompanyName":"Referred Corp"`) || got.AWSLastModified.IsZero() {
		t.Fatalf("row after export: %s", got.Record)
	}
}

// A CRM create goes out as a file and comes back with its O-id; an edit
// goes out and Partner Central shows it; an edit AWS refuses leaves its
// error on the row and is not sent again unchanged.
func TestCreateEditAndRefusal(t *testing.T) {
	s := startCosell(t)
	e := newEngine(t, s, dbPath(t))
	ctx := context.Background()
	if err := e.DB.CreateLocal(ctx, catalog, "crm-1", sampleCreate(t)); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	got := row(t, e, "crm-1")
	if !strings.HasPrefix(got.PCID, "O") || got.CreatePayload != nil || got.LastError != "" {
		t.Fatalf("after create: %+v", got)
	}
	pc := getOpportunity(t, s, got.PCID)
	if aws.ToString(pc.PartnerOpportunityIdentifier) != "crm-1" || pc.Customer.Account.CompanyName != "Test LLC" {
		t.Fatalf("Partner Central: %+v", pc)
	}
	inbound := keys(t, e, ace.OpportunityInboundArchive)
	if problem, _ := ace.CheckInboundName(path.Base(inbound[0])); len(inbound) != 1 || problem != "" {
		t.Fatalf("inbound files %v", inbound)
	}

	if err := e.DB.EditLocal(ctx, "crm-1", map[string]any{"LifeCycle.NextSteps": "Workshop with the customer"}); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	if pc := getOpportunity(t, s, got.PCID); aws.ToString(pc.LifeCycle.NextSteps) != "Workshop with the customer" {
		t.Fatalf("NextSteps in Partner Central: %v", pc.LifeCycle.NextSteps)
	}
	if got := row(t, e, "crm-1"); len(got.Edits) != 0 || got.LastError != "" {
		t.Fatalf("after edit: %+v", got)
	}

	if err := e.DB.EditLocal(ctx, "crm-1", map[string]any{"Project.CompetitorName": "Nobody Inc"}); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	got = row(t, e, "crm-1")
	if !strings.Contains(got.LastError, "Invalid Data: Select from the predefined") || got.ErrorCount != 1 || len(got.Edits) != 1 {
		t.Fatalf("after refused edit: %+v", got)
	}
	sync(t, e) // unchanged: not sent again
	if n := len(keys(t, e, ace.OpportunityInboundArchive)); n != 3 {
		t.Fatalf("%d inbound files, want 3", n)
	}
	st, own, err := e.Status(ctx)
	if err != nil || st.Errors != 1 || own.AwaitingResults != 0 {
		t.Fatalf("status %+v %+v %v", st, own, err)
	}
}

// A crash after the upload, before its result: a new engine on the same
// database sends nothing again and applies the result once. A crash
// between recording an upload and sending it: the new engine sends it
// once.
func TestCrashBetweenUploadAndResult(t *testing.T) {
	s := startCosell(t)
	path := dbPath(t)
	first := newEngine(t, s, path)
	ctx := context.Background()
	if err := first.DB.CreateLocal(ctx, catalog, "crm-1", sampleCreate(t)); err != nil {
		t.Fatal(err)
	}
	if err := first.push(ctx); err != nil { // uploaded; the engine dies here
		t.Fatal(err)
	}
	second := newEngine(t, s, path)
	second.Name = "other"
	sync(t, second)
	got := row(t, second, "crm-1")
	if !strings.HasPrefix(got.PCID, "O") || got.ErrorCount != 0 {
		t.Fatalf("after restart: %+v", got)
	}
	archived := keys(t, second, ace.OpportunityInboundArchive)
	if len(archived) != 1 || !strings.Contains(archived[0], "/cosell-1_") {
		t.Fatalf("uploads %v", archived)
	}

	// Recorded but not sent (a crash before the put, or after it before
	// it was marked): sent once, by whichever engine runs next.
	if err := second.DB.EditLocal(ctx, "crm-1", map[string]any{"LifeCycle.NextSteps": "After the crash"}); err != nil {
		t.Fatal(err)
	}
	u := Upload{Catalog: catalog, Body: ace.OutboundFile(ace.KindOpportunity, "1111111", []map[string]any{
		{"apnCrmUniqueIdentifier": got.PCID, "partnerCrmUniqueIdentifier": "crm-1", "nextStep": "After the crash"}}),
		Items: []Item{{Kind: ItemEdit, CRMID: "crm-1", Version: got.LocalVersion + 1, Values: map[string]any{"LifeCycle.NextSteps": "After the crash"}}}}
	u, err := second.Book.Prepare(ctx, u, "crashed", ace.OpportunityInbound, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Bucket.put(ctx, u.Key, u.Body); err != nil {
		t.Fatal(err)
	}
	third := newEngine(t, s, path)
	sync(t, third)
	if pc := getOpportunity(t, s, got.PCID); aws.ToString(pc.LifeCycle.NextSteps) != "After the crash" {
		t.Fatalf("NextSteps %v", pc.LifeCycle.NextSteps)
	}
	if n := len(keys(t, third, ace.OpportunityInboundArchive)); n != 2 {
		t.Fatalf("%d uploads, want 2", n)
	}
	if errs := keys(t, third, ace.OpportunityResultsArchive); len(errs) != 2 {
		t.Fatalf("results %v: a duplicate upload made an error file", errs)
	}
	if got := row(t, third, "crm-1"); len(got.Edits) != 0 || got.ErrorCount != 0 {
		t.Fatalf("after the second restart: %+v", got)
	}
}

// Applying a result again (a crash after applying, before marking it
// applied) changes nothing more: the error counts once.
func TestResultAppliedOnce(t *testing.T) {
	s := startCosell(t)
	e := newEngine(t, s, dbPath(t))
	ctx := context.Background()
	fields := sampleCreate(t)
	fields["Customer"].(map[string]any)["Account"].(map[string]any)["Industry"] = "Not an industry"
	if err := e.DB.CreateLocal(ctx, catalog, "crm-bad", fields); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	got := row(t, e, "crm-bad")
	if got.PCID != "" || got.ErrorCount != 1 || !strings.Contains(got.LastError, "Industry Vertical") {
		t.Fatalf("refused create: %+v", got)
	}
	it := Item{Kind: ItemCreate, CRMID: "crm-bad", Version: got.LocalVersion}
	key := ace.OpportunityInbound + strings.SplitN(got.LastError, ":", 2)[0]
	if err := e.applyItem(ctx, key, it, outcome{errors: strings.TrimSpace(strings.SplitN(got.LastError, ":", 2)[1])}); err != nil {
		t.Fatal(err)
	}
	if again := row(t, e, "crm-bad"); again.ErrorCount != 1 || again.LastError != got.LastError {
		t.Fatalf("applied twice: %+v", again)
	}
}
