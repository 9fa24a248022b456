package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed stripped models must be exactly what stripmodel makes from
// the official ones (when the shared spec directory is present).
func TestCommittedModelsAreUpToDate(t *testing.T) {
	spec := "../../../../../shared/spec"
	if _, err := os.Stat(spec); err != nil {
		t.Skip("official models not available:", err)
	}
	out := t.TempDir()
	if err := run(spec, out); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.json"))
	if len(files) != 2 {
		t.Fatalf("stripped %d models, want 2", len(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join("../../../../api/model", filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(f)
		if !bytes.Equal(got, want) {
			t.Errorf("api/model/%s is stale: rerun stripmodel", filepath.Base(f))
		}
		if bytes.Contains(want, []byte("smithy.api#documentation")) || bytes.Contains(want, []byte("aws.iam#")) {
			t.Errorf("%s still carries documentation or IAM traits", filepath.Base(f))
		}
	}
}
