package benefits

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	sellingapi "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// Accounts of the fixture, as in auth.DefaultAccounts.
const (
	acctOne = "111111111111"
	acctTwo = "222222222222"
)

// fixture is a Service on a fresh in-memory store with a frozen clock,
// reading opportunities through a real Selling service on the same store.
type fixture struct {
	svc     *Service
	selling *selling.Service
	store   store.Store
	clock   *clock.Manual
	ctx     context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	key := []byte("fixture-token-key-of-32-bytes!!!")
	sell := selling.New(selling.Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: key})
	svc := New(Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: key, Opportunities: sell})
	return &fixture{svc: svc, selling: sell, store: st, clock: clk, ctx: context.Background()}
}

// benefitNamed finds a seeded benefit of the Sandbox by name.
func (f *fixture) benefitNamed(t *testing.T, name string) Benefit {
	t.Helper()
	for _, b := range seedCatalog(CatalogSandbox) {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no seeded benefit %q", name)
	return Benefit{}
}

// pocDetails are complete details for the POC credits benefit.
const pocDetails = `{"AccountId":"123456789012","CustomerName":"Example Corp","UseCase":"Prove the analytics platform on the customer's data lake.","RequestedAmount":5000}`

// createPOC creates a POC application of account in the Sandbox with
// details and returns its id and revision.
func (f *fixture) createPOC(t *testing.T, account, token, details string) (string, string) {
	t.Helper()
	out, err := f.svc.CreateBenefitApplication(f.ctx, account, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: token, Name: ptr("POC for Example Corp"),
		BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id, BenefitApplicationDetails: json.RawMessage(details),
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return *out.Id, *out.Revision
}

func (f *fixture) get(t *testing.T, account, id string) *api.GetBenefitApplicationOutput {
	t.Helper()
	out, err := f.svc.GetBenefitApplication(f.ctx, account, &api.GetBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: id})
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return out
}

func (f *fixture) submit(t *testing.T, account, id string) {
	t.Helper()
	if _, err := f.svc.SubmitBenefitApplication(f.ctx, account, &api.SubmitBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: id}); err != nil {
		t.Fatalf("submit %s: %v", id, err)
	}
}

func (f *fixture) review(t *testing.T, account, id string, r Review) *ReviewOutcome {
	t.Helper()
	out, err := f.svc.ReviewApplication(f.ctx, account, CatalogSandbox, id, r)
	if err != nil {
		t.Fatalf("review %s (%s): %v", id, r.Decision, err)
	}
	return out
}

// createOpportunity makes an opportunity of account through Selling and
// returns its ARN.
func (f *fixture) createOpportunity(t *testing.T, account string) string {
	t.Helper()
	out, err := f.selling.CreateOpportunity(f.ctx, account, &sellingapi.CreateOpportunityRequest{Catalog: CatalogSandbox, ClientToken: "opp-" + account})
	if err != nil {
		t.Fatalf("create opportunity: %v", err)
	}
	return "arn:aws:partnercentral:us-east-1:" + account + ":catalog/Sandbox/opportunity/" + out.Id
}

// events are the detail-types of the events account received, in order.
func (f *fixture) events(t *testing.T, account string) []eventSeen {
	t.Helper()
	rows, err := f.store.ListEvents(f.ctx, store.EventQuery{Account: account})
	if err != nil {
		t.Fatal(err)
	}
	var out []eventSeen
	for _, r := range rows {
		var e eventSeen
		if err := json.Unmarshal(r.Body, &e); err != nil {
			t.Fatal(err)
		}
		if e.Source == "aws.partnercentral-benefits" {
			out = append(out, e)
		}
	}
	return out
}

type eventSeen struct {
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

func detailTypes(events []eventSeen) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.DetailType
	}
	return out
}

// wantKind fails unless err is an apierr of kind k (and, for a
// ValidationException, carries code on some field when code is given).
func wantKind(t *testing.T, err error, k apierr.Kind, code string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != k {
		t.Fatalf("error %v: want kind %d", err, k)
	}
	if code != "" {
		for _, f := range e.Fields {
			if f.Code == code {
				return e
			}
		}
		t.Fatalf("error %v: no field with code %s (%+v)", err, code, e.Fields)
	}
	return e
}

// idPattern matches the model's ids of prefix.
func idPattern(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + prefix + `[0-9a-z]{14}$`)
}

// jsonHas reports whether the JSON object raw has member name equal to want.
func jsonHas(raw json.RawMessage, name string, want any) bool {
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return false
	}
	return obj[name] == want
}
