// Command apigen writes an API package from a stripped Smithy model:
// schema_gen.go (var Service, the run-time schema) and types_gen.go (Go
// types of every structure, union and enum). It runs from go:generate lines
// in api/selling and api/account and writes into the current directory.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosell/cosell/internal/codegen/gen"
	"github.com/cosell/cosell/internal/codegen/model"
)

func main() {
	modelPath := flag.String("model", "", "stripped Smithy JSON model")
	pkg := flag.String("pkg", "", "Go package name to generate")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	if *modelPath == "" || *pkg == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*modelPath, *pkg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

func run(modelPath, pkg, outDir string) error {
	m, err := model.Load(modelPath)
	if err != nil {
		return err
	}
	// The header names the committed model by its repository path, so the
	// output does not depend on where the generator ran from.
	g, err := gen.New(m, pkg, "api/model/"+filepath.Base(modelPath))
	if err != nil {
		return err
	}
	for name, build := range map[string]func() ([]byte, error){"schema_gen.go": g.Schema, "types_gen.go": g.Types} {
		src, err := build()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(outDir, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
