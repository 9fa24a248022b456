package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// FloodConfig is a connection flood against a running server: Idle
// keep-alive connections that each made one request and then sit open, and
// Slow ones that trickle a request body a byte every two seconds, held for
// Hold while fresh /health probes measure whether the server still answers.
type FloodConfig struct {
	Endpoint string // must be a loopback address: a flood is for one's own server
	Idle     int
	Slow     int
	Hold     time.Duration
	Probes   int // fresh-connection /health requests during the hold
}

// FloodReport is what a flood found.
type FloodReport struct {
	Opened, Served, DialErrors int             // of the idle connections
	ClosedByServer             int             // idle and slow connections the server closed during the hold
	ProbeOK, ProbeFailed       int             // /health probes
	ProbeLatencies             []time.Duration // of the probes that answered, sorted
}

// floodDialers bounds how many connections are being opened at once.
const floodDialers = 64

// Flood runs cfg and reports; every connection is closed before it returns.
func Flood(ctx context.Context, cfg FloodConfig) (FloodReport, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" {
		return FloodReport{}, fmt.Errorf("endpoint %q: want http://HOST:PORT", cfg.Endpoint)
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return FloodReport{}, errors.New("a flood only targets a loopback endpoint")
	}
	var (
		rep    FloodReport
		mu     sync.Mutex
		conns  []net.Conn
		closed atomic.Int64
	)
	hold, stopHold := context.WithCancel(ctx)
	defer stopHold()
	var watchers sync.WaitGroup
	// watch counts a connection the server closes while the flood holds it.
	watch := func(c net.Conn, r io.Reader) {
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			_, _ = io.Copy(io.Discard, r)
			if hold.Err() == nil {
				closed.Add(1)
			}
		}()
	}
	jobs := make(chan bool, cfg.Idle+cfg.Slow) // true: slow
	for range cfg.Idle {
		jobs <- false
	}
	for range cfg.Slow {
		jobs <- true
	}
	close(jobs)
	var dialers sync.WaitGroup
	for range floodDialers {
		dialers.Add(1)
		go func() {
			defer dialers.Done()
			for slow := range jobs {
				c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
				mu.Lock()
				if err != nil {
					rep.DialErrors++
					mu.Unlock()
					continue
				}
				rep.Opened++
				conns = append(conns, c)
				mu.Unlock()
				if slow {
					go trickle(hold, c, u.Host)
					watch(c, c)
					continue
				}
				br := bufio.NewReader(c)
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				_, err = fmt.Fprintf(c, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", u.Host)
				var res *http.Response
				if err == nil {
					res, err = http.ReadResponse(br, nil)
				}
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					mu.Lock()
					rep.Served++
					mu.Unlock()
				}
				_ = c.SetDeadline(time.Time{})
				watch(c, br)
			}
		}()
	}
	dialers.Wait()

	probe := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	every := cfg.Hold / time.Duration(max(cfg.Probes, 1))
	for range cfg.Probes {
		start := time.Now()
		res, err := probe.Get(cfg.Endpoint + "/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		if err == nil && res.StatusCode == http.StatusOK {
			rep.ProbeOK++
			rep.ProbeLatencies = append(rep.ProbeLatencies, time.Since(start))
		} else {
			rep.ProbeFailed++
		}
		select {
		case <-ctx.Done():
		case <-time.After(every - time.Since(start)):
		}
	}
	rep.ClosedByServer = int(closed.Load())
	stopHold()
	for _, c := range conns {
		c.Close()
	}
	watchers.Wait()
	slices.Sort(rep.ProbeLatencies)
	return rep, ctx.Err()
}

// trickle sends a request whose body comes a byte every two seconds, until
// the hold ends or the server hangs up.
func trickle(ctx context.Context, c net.Conn, host string) {
	if _, err := fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100000\r\n\r\n", host); err != nil {
		return
	}
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	}
}

// Print writes the report.
func (r FloodReport) Print(w io.Writer, cfg FloodConfig) {
	fmt.Fprintf(w, "flood of %s: %d idle keep-alive + %d slow-body connections, held %s\n", cfg.Endpoint, cfg.Idle, cfg.Slow, cfg.Hold)
	fmt.Fprintf(w, "  opened %d (dial errors %d); idle ones served /health: %d\n", r.Opened, r.DialErrors, r.Served)
	fmt.Fprintf(w, "  closed by the server during the hold: %d\n", r.ClosedByServer)
	fmt.Fprintf(w, "  fresh /health probes: %d ok, %d failed", r.ProbeOK, r.ProbeFailed)
	if n := len(r.ProbeLatencies); n > 0 {
		fmt.Fprintf(w, "; latency p50 %s, max %s", r.ProbeLatencies[n/2].Round(time.Microsecond), r.ProbeLatencies[n-1].Round(time.Microsecond))
	}
	fmt.Fprintln(w)
}
