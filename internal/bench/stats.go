package bench

import (
	"slices"
	"time"
)

// Result is what one operation's run measured.
type Result struct {
	Op        string
	Requests  int // measured requests, errors included
	Errors    int // non-2xx answers other than Conflicts, requests that got no answer, failed preparations
	Conflicts int // ConflictException answers: legitimate under concurrent writes, so kept apart
	// ErrorSamples are the first few errors, for the report.
	ErrorSamples []string
	Elapsed      time.Duration
	P50, P99     time.Duration
	Max          time.Duration
}

// Throughput is answered requests per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// maxErrorSamples bounds ErrorSamples: a run that fails usually fails the
// same way every time.
const maxErrorSamples = 3

// tally is one worker's record; workers never share one, so recording
// takes no lock.
type tally struct {
	requests  int
	latencies []time.Duration // of answered requests
	errors    int
	conflicts int
	samples   []string
}

// answered records a request that got an HTTP answer, whatever its status.
func (t *tally) answered(latency time.Duration) {
	t.requests++
	t.latencies = append(t.latencies, latency)
}

// fail records an error: msg describes it. A request that got no answer
// counts as a request; an error answer was already counted by answered.
func (t *tally) fail(msg string, unanswered bool) {
	if unanswered {
		t.requests++
	}
	t.errors++
	if len(t.samples) < maxErrorSamples {
		t.samples = append(t.samples, msg)
	}
}

// summarize merges the workers' tallies. Latencies are kept whole and
// sorted, so the percentiles are exact: a run is at most a few hundred
// thousand requests.
func summarize(op string, elapsed time.Duration, tallies []*tally) Result {
	r := Result{Op: op, Elapsed: elapsed}
	var all []time.Duration
	for _, t := range tallies {
		all = append(all, t.latencies...)
		r.Requests += t.requests
		r.Errors += t.errors
		r.Conflicts += t.conflicts
		for _, s := range t.samples {
			if len(r.ErrorSamples) < maxErrorSamples {
				r.ErrorSamples = append(r.ErrorSamples, s)
			}
		}
	}
	if len(all) == 0 {
		return r
	}
	slices.Sort(all)
	r.P50, r.P99, r.Max = percentile(all, 50), percentile(all, 99), all[len(all)-1]
	return r
}

// percentile is the nearest-rank percentile p of sorted.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n), 1-based
	return sorted[max(rank, 1)-1]
}
