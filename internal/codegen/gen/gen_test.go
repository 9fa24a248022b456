package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cosell/cosell/internal/codegen/model"
)

// The committed api packages must be exactly what the generator makes from
// the committed models (the same check as go generate + git diff).
func TestCommittedPackagesAreUpToDate(t *testing.T) {
	for pkg, file := range map[string]string{
		"selling": "partnercentral-selling-2022-07-26.json",
		"account": "partnercentral-account-2025-04-04.json",
	} {
		m, err := model.Load(filepath.Join("../../../api/model", file))
		if err != nil {
			t.Fatal(err)
		}
		g, err := New(m, pkg, "api/model/"+file)
		if err != nil {
			t.Fatal(err)
		}
		for name, build := range map[string]func() ([]byte, error){"schema_gen.go": g.Schema, "types_gen.go": g.Types} {
			want, err := build()
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join("../../../api", pkg, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("api/%s/%s is stale: run go generate ./api/...", pkg, name)
			}
		}
	}
}

func TestEnumConstSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"PENDING_SUBMISSION":    "PendingSubmission",
		"AWS":                   "Aws",
		"Sandbox":               "Sandbox",
		"SOFTWARE_AS_A_SERVICE": "SoftwareAsAService",
		"closedLost":            "ClosedLost",
	} {
		if got := enumConstSuffix(in); got != want {
			t.Errorf("enumConstSuffix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnsupportedModelsFail(t *testing.T) {
	m := &model.Model{Shapes: map[string]*model.Shape{
		"ns#Svc": {ID: "ns#Svc", Type: "service", Operations: []string{"ns#Op"}, Traits: model.Traits{}},
		"ns#Op":  {ID: "ns#Op", Type: "operation", Input: "ns#In", Output: model.Unit, Traits: model.Traits{}},
		"ns#In":  {ID: "ns#In", Type: "structure", Members: []*model.Member{{Name: "When", Target: "smithy.api#Timestamp", Traits: model.Traits{}}}, Traits: model.Traits{}},
	}}
	g, err := New(m, "x", "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Types(); err == nil {
		t.Error("an epoch-seconds timestamp must be refused, time.Time would put it on the wire as a string")
	}
}
