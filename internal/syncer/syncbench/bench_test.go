package syncbench

import (
	"io"
	"log/slog"
	"testing"
)

// benchOpportunities keeps `go test -bench` quick; `cosell sync bench`
// measures the 100k store.
const benchOpportunities = 2000

func startBench(b *testing.B) *env {
	b.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := start(b.Context(), "", "AWS", benchOpportunities, 8, nil, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := e.close(); err != nil {
			b.Error(err)
		}
	})
	return e
}

// report adds the records stored per second and each operation's requests
// per sync to the benchmark's figures.
func report(b *testing.B, phases []Phase) {
	var records int
	var seconds float64
	requests := map[string]int{}
	for _, p := range phases {
		records += p.Records
		seconds += p.Elapsed.Seconds()
		for op, n := range p.Requests {
			requests[op] += n
		}
	}
	if records > 0 {
		b.ReportMetric(float64(records)/seconds, "records/s")
	}
	for op, n := range requests {
		b.ReportMetric(float64(n)/float64(len(phases)), op+"/op")
	}
}

// BenchmarkInitialLoad is the first full load into an empty CRM database.
func BenchmarkInitialLoad(b *testing.B) {
	e := startBench(b)
	var phases []Phase
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if err := e.freshCRM(b.Context(), e.engine.Log); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p, err := e.sync(b.Context(), "initial load")
		if err != nil {
			b.Fatal(err)
		}
		if p.Records != benchOpportunities {
			b.Fatalf("the initial load stored %d records, want %d", p.Records, benchOpportunities)
		}
		phases = append(phases, p)
	}
	report(b, phases)
}

// BenchmarkIncrementalSync is one poll after 1% of the opportunities
// changed server-side, and one after none did.
func BenchmarkIncrementalSync(b *testing.B) {
	for _, tc := range []struct {
		name    string
		changed int
	}{{"changed=1%", benchOpportunities / 100}, {"changed=0", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			e := startBench(b)
			if _, err := e.sync(b.Context(), "initial load"); err != nil {
				b.Fatal(err)
			}
			var phases []Phase
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				if _, err := e.change(b.Context(), "change", tc.changed, 8); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				p, err := e.sync(b.Context(), "incremental")
				if err != nil {
					b.Fatal(err)
				}
				if p.Records != tc.changed {
					b.Fatalf("the incremental sync stored %d records, want the %d changed", p.Records, tc.changed)
				}
				phases = append(phases, p)
			}
			report(b, phases)
		})
	}
}
