package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/cosell/cosell/internal/codegen/model"
)

// apigenLine is an api package's go:generate line for apigen.
var apigenLine = regexp.MustCompile(`(?m)^//go:generate go run \S+/apigen -model \.\./model/(\S+\.json) -pkg (\w+)$`)

// The committed api packages must be exactly what the generator makes from
// the committed models (the same check as go generate + git diff). Every
// api/<name>/doc.go with an apigen line is checked, so a new API is covered
// by adding its package.
func TestCommittedPackagesAreUpToDate(t *testing.T) {
	docs, _ := filepath.Glob("../../../api/*/doc.go")
	checked := 0
	for _, doc := range docs {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		line := apigenLine.FindSubmatch(src)
		if line == nil {
			continue
		}
		file, pkg, dir := string(line[1]), string(line[2]), filepath.Dir(doc)
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
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s is stale: run go generate ./api/...", dir, name)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("checked %d api packages, want the five Partner Central APIs", checked)
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
