package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cosell/cosell/internal/codegen/model"
)

// The committed client packages must be exactly what clientgen makes from
// the committed models (the same check as go generate + git diff).
func TestCommittedClientsAreUpToDate(t *testing.T) {
	for _, tc := range []struct{ dir, pkg, api, file string }{
		{"selling", "sellingclient", "github.com/cosell/cosell/api/selling", "partnercentral-selling-2022-07-26.json"},
		{"account", "accountclient", "github.com/cosell/cosell/api/account", "partnercentral-account-2025-04-04.json"},
		{"revenue", "revenueclient", "github.com/cosell/cosell/api/revenue", "partnercentral-revenue-measurement-2022-07-26.json"},
	} {
		m, err := model.Load(filepath.Join("../../../api/model", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		g, err := New(m, tc.pkg, "api/model/"+tc.file)
		if err != nil {
			t.Fatal(err)
		}
		files, err := g.ClientFiles(tc.api)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			got, err := os.ReadFile(filepath.Join("../../../client", tc.dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("client/%s/%s is stale: run go generate ./client/...", tc.dir, name)
			}
		}
	}
}

// A model the client generator cannot serve faithfully is refused.
func TestClientRefusesUnsupportedModels(t *testing.T) {
	selling, err := model.Load("../../../api/model/partnercentral-selling-2022-07-26.json")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := selling.Service()
	if err != nil {
		t.Fatal(err)
	}
	list, err := selling.Shape("com.amazonaws.partnercentralselling#ListOpportunities")
	if err != nil {
		t.Fatal(err)
	}
	paginated := model.Traits{"smithy.api#paginated": list.Traits["smithy.api#paginated"]}
	token := func(target string) []*model.Member {
		return []*model.Member{{Name: "NextToken", Target: target, Traits: model.Traits{}}}
	}
	for name, shapes := range map[string]map[string]*model.Shape{
		"no input": {
			"ns#Op": {ID: "ns#Op", Type: "operation", Input: model.Unit, Output: model.Unit, Traits: model.Traits{}},
		},
		"a paginator token that is not a string": {
			"ns#Op":  {ID: "ns#Op", Type: "operation", Input: "ns#In", Output: "ns#Out", Traits: paginated},
			"ns#In":  {ID: "ns#In", Type: "structure", Members: token("smithy.api#Integer"), Traits: model.Traits{}},
			"ns#Out": {ID: "ns#Out", Type: "structure", Members: token("smithy.api#String"), Traits: model.Traits{}},
		},
	} {
		shapes["ns#Svc"] = &model.Shape{ID: "ns#Svc", Type: "service", Operations: []string{"ns#Op"}, Traits: svc.Traits}
		g, err := New(&model.Model{Shapes: shapes}, "x", "x.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.ClientFiles("example.com/api/x"); err == nil {
			t.Errorf("%s: generated anyway", name)
		}
	}
}
