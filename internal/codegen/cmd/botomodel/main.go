// Command botomodel writes the committed model of one service: botocore's
// service-2.json and paginators-1.json, with the service's supplement merged
// in, converted to the Smithy JSON AST that apigen and clientgen read
// (see internal/codegen/botocore). It runs from the go:generate lines of the
// api packages:
//
//	go run ./internal/codegen/cmd/botomodel -spec ../shared/spec/botocore -service partnercentral-selling -out api/model
//
// writes api/model/partnercentral-selling-<version>.json from
// ../shared/spec/botocore/partnercentral-selling/<version>/ and
// api/model/supplements/partnercentral-selling.json (if present).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/cosell/cosell/internal/codegen/botocore"
)

func main() {
	spec := flag.String("spec", "../shared/spec/botocore", "botocore data directory (<service>/<version>/service-2.json)")
	service := flag.String("service", "", "service name, e.g. partnercentral-selling")
	out := flag.String("out", "api/model", "directory of the committed models; supplements are read from its supplements/")
	flag.Parse()
	if *service == "" {
		flag.Usage()
		os.Exit(2)
	}
	path, err := run(*spec, *service, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "botomodel:", err)
		os.Exit(1)
	}
	_ = path
}

// run converts one service and returns the path it wrote.
func run(specDir, service, outDir string) (string, error) {
	dir, version, err := latestVersion(specDir, service)
	if err != nil {
		return "", err
	}
	src, err := os.ReadFile(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return "", err
	}
	pages, err := optional(filepath.Join(dir, "paginators-1.json"))
	if err != nil {
		return "", err
	}
	supplement, err := optional(filepath.Join(outDir, "supplements", service+".json"))
	if err != nil {
		return "", err
	}
	doc, err := botocore.Convert(src, pages, supplement)
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	path := filepath.Join(outDir, service+"-"+version+".json")
	keepOrder := func(key string) bool { return key == "members" }
	return path, os.WriteFile(path, doc.Encode(keepOrder), 0o644)
}

// latestVersion finds the service's newest API version directory (botocore
// keeps one per version; the names are dates).
func latestVersion(specDir, service string) (dir, version string, err error) {
	entries, err := os.ReadDir(filepath.Join(specDir, service))
	if err != nil {
		return "", "", err
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		return "", "", fmt.Errorf("no version of %s under %s", service, specDir)
	}
	sort.Strings(versions)
	version = versions[len(versions)-1]
	return filepath.Join(specDir, service, version), version, nil
}

func optional(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}
