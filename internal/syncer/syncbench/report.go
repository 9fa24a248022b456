package syncbench

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Print writes res as a table, a phase a row.
func Print(w io.Writer, res *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\ttime\trecords\trecords/s\trequests")
	for _, p := range res.Phases {
		rate := "-"
		if p.Records > 0 {
			rate = fmt.Sprintf("%.0f", float64(p.Records)/p.Elapsed.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", p.Name, p.Elapsed.Round(time.Millisecond), p.Records, rate, requestList(p.Requests))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nCRM database after the initial load: %s\n", mib(res.DBBytes))
	if err == nil && res.PeakRSS > 0 {
		_, err = fmt.Fprintf(w, "peak RSS during the initial load (connector and in-process server): %s\n", mib(res.PeakRSS))
	}
	return err
}

// requestList is "GetOpportunity=3 ListOpportunities=1", by name.
func requestList(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for _, op := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s=%d", op, counts[op]))
	}
	return strings.Join(parts, " ")
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
