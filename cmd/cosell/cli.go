package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// parseArgs parses fs's flags wherever they stand among the positional
// arguments ("resolve --keep crm 1" and "resolve 1 --keep crm" alike) and
// returns the positional ones in order. help reports that -h was asked for
// and the usage already printed.
func parseArgs(fs *flag.FlagSet, args []string) (positional []string, help bool, err error) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, true, nil
			}
			return nil, false, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, false, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// subcommand is one verb of a command that has several (`cosell sync
// conflicts list`).
type subcommand struct {
	name, args, summary string
}

// usageWithSubcommands makes fs's usage list the verbs before the flags.
func usageWithSubcommands(fs *flag.FlagSet, command string, verbs []subcommand) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", command)
		for _, v := range verbs {
			fmt.Fprintf(w, "  %s\n    \t%s\n", strings.TrimSpace(command+" "+v.name+" "+v.args), v.summary)
		}
		fmt.Fprintln(w, "\nflags:")
		fs.PrintDefaults()
	}
}

// mustExist refuses a SQLite CRM database that is not there: a command
// that reads or settles what a sync stored must not create an empty one
// where a path was mistyped.
func mustExist(dsn string) error {
	if crmdb.IsPostgres(dsn) {
		return nil
	}
	if _, err := os.Stat(dsn); err != nil {
		return fmt.Errorf("no CRM database at %s (run `cosell sync` first, or give --db)", dsn)
	}
	return nil
}
