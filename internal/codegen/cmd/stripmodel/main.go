// Command stripmodel writes the committed copies of the Smithy models: the
// same JSON AST without documentation, examples, endpoint rules and tests,
// smoke tests and IAM traits, keeping everything that shapes the wire
// (types, members, constraints, protocol and service traits, resources).
// Keys are sorted, except structure/enum members, which keep model order.
//
// Regenerate from the repository root with:
//
//	go run ./internal/codegen/cmd/stripmodel -spec ../shared/spec -out api/model
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cosell/cosell/internal/codegen/jsontree"
)

// droppedTraits are removed from every "traits" object: exact trait ids and
// whole namespaces (ending in '#').
var droppedTraits = []string{
	"smithy.api#documentation",
	"smithy.api#externalDocumentation",
	"smithy.api#examples",
	"smithy.api#title",
	"smithy.rules#",
	"smithy.test#",
	"aws.endpoints#",
	"aws.iam#",
}

func main() {
	spec := flag.String("spec", "../shared/spec", "directory of the official Smithy JSON models")
	out := flag.String("out", "api/model", "directory for the stripped models")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "stripmodel:", err)
		os.Exit(1)
	}
}

func run(specDir, outDir string) error {
	files, err := filepath.Glob(filepath.Join(specDir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.json models in %s", specDir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		doc, err := jsontree.Parse(data)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		strip(doc)
		keepOrder := func(key string) bool { return key == "members" }
		if err := os.WriteFile(filepath.Join(outDir, filepath.Base(f)), doc.Encode(keepOrder), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// strip removes dropped traits everywhere in the tree, and "traits" objects
// left empty.
func strip(v *jsontree.Value) {
	for _, f := range v.Fields {
		if f.Key == "traits" && f.Value.Kind == jsontree.Object {
			f.Value.Delete(isDropped)
		}
		strip(f.Value)
	}
	for _, item := range v.Items {
		strip(item)
	}
	v.Delete(func(key string) bool {
		t := v.Get(key)
		return key == "traits" && t.Kind == jsontree.Object && len(t.Fields) == 0
	})
}

func isDropped(trait string) bool {
	for _, d := range droppedTraits {
		if trait == d || (strings.HasSuffix(d, "#") && strings.HasPrefix(trait, d)) {
			return true
		}
	}
	return false
}
