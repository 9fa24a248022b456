// Command clientgen writes the generated part of a Partner Central client
// package from a stripped Smithy model: client_gen.go (the Client and one
// method per operation), errors_gen.go (typed exceptions) and
// paginators_gen.go. It runs from go:generate lines in client/selling and
// client/account and writes into the current directory.
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
	api := flag.String("api", "", "import path of the service's API types package")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	if *modelPath == "" || *pkg == "" || *api == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*modelPath, *pkg, *api, *out); err != nil {
		fmt.Fprintln(os.Stderr, "clientgen:", err)
		os.Exit(1)
	}
}

func run(modelPath, pkg, api, outDir string) error {
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
	files, err := g.ClientFiles(api)
	if err != nil {
		return err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(outDir, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
