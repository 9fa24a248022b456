// Command modeldiff prints what changed between two models of one service:
// operations, structure members and whether they are required, enum values,
// constraints (length, range, pattern), and the errors each operation
// declares. Each side is a botocore service-2.json or a committed model
// (api/model/*.json), so the usual upgrade check is
//
//	go run ./internal/codegen/cmd/modeldiff api/model/partnercentral-selling-2022-07-26.json \
//	    ../shared/spec/botocore/partnercentral-selling/2022-07-26/service-2.json
//
// before `go generate ./...`. Lines start with + (added), - (removed) or
// ~ (changed); shapes are named without their namespace.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/cosell/cosell/internal/codegen/botocore"
	"github.com/cosell/cosell/internal/codegen/model"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: modeldiff OLD NEW (each a botocore service-2.json or a committed Smithy JSON model)")
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	changed, err := run(os.Stdout, flag.Arg(0), flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "modeldiff:", err)
		os.Exit(1)
	}
	if !changed {
		fmt.Println("no changes")
	}
}

func run(w io.Writer, oldPath, newPath string) (bool, error) {
	old, err := load(oldPath)
	if err != nil {
		return false, err
	}
	cur, err := load(newPath)
	if err != nil {
		return false, err
	}
	lines := diff(old, cur)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return len(lines) > 0, nil
}

// load reads either kind of model: a botocore document has "metadata".
func load(path string) (*model.Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(data[:min(len(data), 4096)], []byte(`"metadata"`)) {
		doc, err := botocore.Convert(data, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		data = doc.Encode(func(key string) bool { return key == "members" })
	}
	return model.Parse(data, path)
}
