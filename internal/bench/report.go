package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Targets the issue sets for a 2-core machine.
const (
	// TargetGetOverNoOp: GetOpportunity reaches at least this share of the
	// NoOp throughput.
	TargetGetOverNoOp = 0.5
	// TargetListP99: a ListOpportunities page within this at p99, at
	// TargetListAt opportunities.
	TargetListP99 = 5 * time.Millisecond
	TargetListAt  = 1_000_000
)

// Report writes the results table, the GetOpportunity/NoOp ratio and the
// targets, and returns how many requests failed. Failures are printed last,
// loudly: figures from a run with errors measure error handling, not work.
func Report(w io.Writer, results []Result, opportunities int) (failed int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\trequests\terrors\tconflicts\treq/s\tp50\tp99\tmax\t")
	byOp := map[string]Result{}
	for _, r := range results {
		byOp[r.Op] = r
		failed += r.Errors
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%s\t%s\t%s\t\n", r.Op, r.Requests, r.Errors, r.Conflicts,
			r.Throughput(), ms(r.P50), ms(r.P99), ms(r.Max))
	}
	tw.Flush()
	fmt.Fprintln(w)

	get, haveGet := byOp[OpGet]
	noop, haveNoOp := byOp[OpNoOp]
	if haveGet && haveNoOp && noop.Throughput() > 0 {
		ratio := get.Throughput() / noop.Throughput()
		fmt.Fprintf(w, "GetOpportunity/NoOp throughput: %.2f (target >= %.2f): %s\n", ratio, TargetGetOverNoOp, verdict(ratio >= TargetGetOverNoOp))
	}
	if cborGet, ok := byOp[OpRevenueGet]; ok && haveGet && get.Throughput() > 0 {
		fmt.Fprintf(w, "GetRevenueAttribution (rpcv2Cbor)/GetOpportunity (awsJson) throughput: %.2f\n", cborGet.Throughput()/get.Throughput())
	}
	if list, ok := byOp[OpList]; ok {
		fmt.Fprintf(w, "ListOpportunities p99 at %d opportunities: %s (target < %s at %d): %s\n",
			opportunities, ms(list.P99), ms(TargetListP99), TargetListAt, verdict(list.P99 < TargetListP99))
	}
	if failed > 0 {
		fmt.Fprintf(w, "\n!!! %d REQUESTS FAILED: the figures above are not valid.\n", failed)
		for _, r := range results {
			for _, s := range r.ErrorSamples {
				fmt.Fprintf(w, "!!! %s: %s\n", r.Op, s)
			}
		}
	}
	return failed
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
