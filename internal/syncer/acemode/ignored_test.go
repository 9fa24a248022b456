package acemode

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// An opportunity created by file is Launched in Partner Central; the CRM
// then edits a field frozen after launch (NextSteps) and one still open
// (AdditionalComments). The open one lands and is cleared; the frozen one,
// which the exchange ignored with a warning, becomes a conflict.
func TestEditIgnoredAfterLaunchIsAConflict(t *testing.T) {
	s := startCosell(t)
	e := newEngine(t, s, dbPath(t))
	ctx := context.Background()
	if err := e.DB.CreateLocal(ctx, catalog, "crm-1", launchable(t, s)); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	id := row(t, e, "crm-1").PCID
	if id == "" {
		t.Fatalf("not created: %+v", row(t, e, "crm-1"))
	}
	launch(t, s, id)
	step := aws.ToString(getOpportunity(t, s, id).LifeCycle.NextSteps)

	edits := map[string]any{"LifeCycle.NextSteps": "Frozen after launch", "Project.AdditionalComments": "Lands after launch"}
	if err := e.DB.EditLocal(ctx, "crm-1", edits); err != nil {
		t.Fatal(err)
	}
	sync(t, e)
	pc := getOpportunity(t, s, id)
	if aws.ToString(pc.Project.AdditionalComments) != "Lands after launch" || aws.ToString(pc.LifeCycle.NextSteps) != step {
		t.Fatalf("Partner Central: comments %q, next steps %q (want %q kept)",
			aws.ToString(pc.Project.AdditionalComments), aws.ToString(pc.LifeCycle.NextSteps), step)
	}
	if got := row(t, e, "crm-1"); len(got.Edits) != 0 || got.LastError != "" {
		t.Fatalf("row: edits %v, error %q", got.Edits, got.LastError)
	}
	c := onlyConflict(t, e)
	warning := "nextStep: not updatable in the opportunity's current state; ignored"
	if c.CRMID != "crm-1" || c.PCID != id || !slices.Equal(c.Fields, []string{"LifeCycle.NextSteps"}) ||
		c.CRMVersion["LifeCycle.NextSteps"] != "Frozen after launch" || !strings.Contains(c.Reason, warning) {
		t.Fatalf("conflict %+v", c)
	}

	// Nothing is pending: no new upload. The result applied again (a crash
	// before it was marked applied) records no second conflict.
	uploads := len(keys(t, e, ace.OpportunityInboundArchive))
	sync(t, e)
	if n := len(keys(t, e, ace.OpportunityInboundArchive)); n != uploads {
		t.Fatalf("%d uploads, want %d", n, uploads)
	}
	again := Item{Kind: ItemEdit, CRMID: "crm-1", Values: edits,
		Fields: map[string][]string{"LifeCycle.NextSteps": {"nextStep"}, "Project.AdditionalComments": {"additionalComments"}}}
	if err := e.applyItem(ctx, ace.OpportunityInbound+"cosell-2_01012026000000.json", again, outcome{apnID: id, warnings: []string{warning}}); err != nil {
		t.Fatal(err)
	}
	onlyConflict(t, e)
}

// launchable is the sample create with what Launched needs: a solution
// Partner Central knows and the customer's AWS account.
func launchable(t *testing.T, s *server.Server) map[string]any {
	t.Helper()
	solutions, err := sellingOf(s).ListSolutions(context.Background(), &selling.ListSolutionsRequest{Catalog: catalog})
	if err != nil || len(solutions.SolutionSummaries) == 0 {
		t.Fatalf("solutions %+v %v", solutions, err)
	}
	fields := sampleCreate(t)
	fields["RelatedEntityIdentifiers"].(map[string]any)["Solutions"] = []string{solutions.SolutionSummaries[0].Id}
	fields["Customer"].(map[string]any)["Account"].(map[string]any)["AwsAccountId"] = "123456789012"
	return fields
}

// launch moves the opportunity to Launched the way a partner does: the
// record as read, with the new stage.
func launch(t *testing.T, s *server.Server, id string) {
	t.Helper()
	raw, _ := json.Marshal(getOpportunity(t, s, id))
	var req selling.UpdateOpportunityRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	launched := selling.StageLaunched
	req.Identifier, req.LifeCycle.Stage = id, &launched
	if _, err := sellingOf(s).UpdateOpportunity(context.Background(), &req); err != nil {
		t.Fatalf("launch: %v", err)
	}
}

func onlyConflict(t *testing.T, e *Engine) crmdb.Conflict {
	t.Helper()
	cs, err := e.DB.Conflicts(context.Background(), true)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v, %v", cs, err)
	}
	return cs[0]
}
