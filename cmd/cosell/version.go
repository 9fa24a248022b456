package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// versionLine describes the build from the information the Go toolchain
// records in every binary: the module version (set by `go install
// ...@v1.2.3`, or derived from the checkout's tags and revision by `go
// build`), the VCS revision and time, and the Go version.
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "cosell (no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var details []string
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		details = append(details, "revision "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		details = append(details, "committed "+t)
	}
	if settings["vcs.modified"] == "true" {
		details = append(details, "with local changes")
	}
	details = append(details, info.GoVersion)
	return fmt.Sprintf("cosell %s (%s)", v, strings.Join(details, ", "))
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	_, err := fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
	return err
}
