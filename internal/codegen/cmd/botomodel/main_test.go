package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every committed model must be exactly what botomodel makes from
// botocore's copy (when the shared spec directory is present), so a
// hand edit or a newer botocore file without `go generate` fails here.
func TestCommittedModelsAreUpToDate(t *testing.T) {
	spec := "../../../../../shared/spec/botocore"
	if _, err := os.Stat(spec); err != nil {
		t.Skip("botocore models not available:", err)
	}
	committed, _ := filepath.Glob("../../../../api/model/*.json")
	if len(committed) < 2 {
		t.Fatalf("found %d committed models", len(committed))
	}
	name := regexp.MustCompile(`^(.+)-\d{4}-\d{2}-\d{2}\.json$`)
	out := t.TempDir()
	if err := os.Mkdir(filepath.Join(out, "supplements"), 0o755); err != nil {
		t.Fatal(err)
	}
	supplements, _ := filepath.Glob("../../../../api/model/supplements/*.json")
	for _, s := range supplements {
		data, _ := os.ReadFile(s)
		if err := os.WriteFile(filepath.Join(out, "supplements", filepath.Base(s)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range committed {
		m := name.FindStringSubmatch(filepath.Base(f))
		if m == nil {
			t.Errorf("%s is not named <service>-<version>.json", f)
			continue
		}
		path, err := run(spec, m[1], out)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(path) != filepath.Base(f) {
			t.Errorf("%s: botocore's newest version makes %s: rerun go generate", filepath.Base(f), filepath.Base(path))
			continue
		}
		got, _ := os.ReadFile(f)
		want, _ := os.ReadFile(path)
		if !bytes.Equal(got, want) {
			t.Errorf("api/model/%s is stale: run go generate ./...", filepath.Base(f))
		}
	}
}
