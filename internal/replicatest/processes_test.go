package replicatest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/testpg"
	"github.com/cosell/cosell/internal/testwait"
)

// replicaProcess is one `cosell serve` process of the built binary.
type replicaProcess struct {
	cmd      *exec.Cmd
	endpoint string
	admin    string // its admin token
}

// cosellBinary builds cmd/cosell once per test binary run (or takes
// COSELL_BIN), so the replicas are the program users run.
var cosellBinary = sync.OnceValues(func() (string, error) {
	if bin := os.Getenv("COSELL_BIN"); bin != "" {
		return bin, nil
	}
	dir, err := os.MkdirTemp("", "cosell-replicatest-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "cosell")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/cosell/cosell/cmd/cosell").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// startProcess starts a replica on storeURL and waits for its ready line.
func startProcess(t *testing.T, storeURL string) *replicaProcess {
	t.Helper()
	bin, err := cosellBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--store", storeURL, "--addr", "127.0.0.1:0", "--ready-json", "--admin-token", "tok", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		t.Fatalf("replica's ready line: %v", err)
	}
	var ready struct{ Endpoint, AdminToken string }
	if err := json.Unmarshal(line, &ready); err != nil {
		t.Fatalf("ready line %q: %v", line, err)
	}
	go func() { _, _ = stdout.Read(make([]byte, 1)) }() // nothing more is printed; keep the pipe drained
	return &replicaProcess{cmd: cmd, endpoint: ready.Endpoint, admin: ready.AdminToken}
}

// adminJSON sends an admin request to endpoint and decodes the answer.
func adminJSON(t *testing.T, endpoint, method, path, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, endpoint+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", method, path, res.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

// roundRobin sends each request to the next of several base URLs: one
// client spreading its requests over the replicas, as a load balancer
// would.
type roundRobin struct {
	mu    sync.Mutex
	next  int
	hosts []string // host:port
}

func (r *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	host := r.hosts[r.next%len(r.hosts)]
	r.next++
	r.mu.Unlock()
	req = req.Clone(req.Context())
	req.URL.Host = host
	return http.DefaultTransport.RoundTrip(req)
}

// startHAProxy starts haproxy in front of the replicas, checking their
// /health every 200 ms (with a loopback Host, which cosell requires), and returns its endpoint; "" when haproxy is not
// installed (scripts/test.sh installs it).
func startHAProxy(t *testing.T, replicas []*replicaProcess) string {
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		bin, err = exec.LookPath("/usr/sbin/haproxy") // root's PATH has it, others' may not
	}
	if err != nil {
		t.Log("haproxy not installed: the client spreads its requests itself")
		return ""
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch
frontend cosell
  bind %s
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health ver HTTP/1.1 hdr Host localhost
  default-server inter 200ms fall 2 rise 2
`, addr)
	for i, r := range replicas {
		fmt.Fprintf(&cfg, "  server r%d %s check\n", i, strings.TrimPrefix(r.endpoint, "http://"))
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-db", "-f", path)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	endpoint := "http://" + addr
	testwait.Until(t, "haproxy answering", func() bool {
		res, err := http.Get(endpoint + "/health")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == http.StatusOK
	})
	return endpoint
}

func processClient(endpoint string, transport http.RoundTripper) *sellingclient.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	return sellingclient.New(cfg, func(o *sellingclient.Options) {
		o.BaseEndpoint = endpoint
		o.RateLimit.Disabled = true
		o.Retry.BaseDelay = 20 * time.Millisecond
		o.Retry.MaxAttempts = 20 // a replica killed under the client: retried on a survivor
		if transport != nil {
			o.HTTPClient = &http.Client{Transport: transport}
		}
	})
}

// Three replicas of the built binary on one PostgreSQL database, one client
// spreading requests over them (through haproxy when installed): updates
// raced across replicas have one winner; the replica delivering the
// webhook is killed with SIGKILL under write load, and no acknowledged
// write or event is lost, events go on in order from the survivors, and a
// survivor takes the webhook over.
func TestThreeReplicaProcessesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cosell and runs three replicas")
	}
	db := testpg.NewDatabase(t)
	replicas := make([]*replicaProcess, 3)
	hosts := make([]string, 3)
	for i := range replicas {
		replicas[i] = startProcess(t, db)
		hosts[i] = strings.TrimPrefix(replicas[i].endpoint, "http://")
	}
	var client *sellingclient.Client
	if proxy := startHAProxy(t, replicas); proxy != "" {
		client = processClient(proxy, nil)
	} else {
		client = processClient(replicas[0].endpoint, &roundRobin{hosts: hosts})
	}
	ctx := context.Background()

	// Updates raced on one opportunity, one per replica, all with the
	// same LastModifiedDate: exactly one wins.
	created, err := client.CreateOpportunity(ctx, newOpportunity("race", "Race Co"))
	if err != nil {
		t.Fatal(err)
	}
	var wins, conflicts int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := processClient(r.endpoint, nil).UpdateOpportunity(ctx, &selling.UpdateOpportunityRequest{Catalog: "Sandbox",
				Identifier: created.Id, LastModifiedDate: *created.LastModifiedDate,
				Customer: &selling.Customer{Account: &selling.Account{CompanyName: fmt.Sprintf("Winner %d", i)}}})
			var conflict *sellingclient.ConflictException
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.As(err, &conflict):
				conflicts++
			default:
				t.Errorf("raced update: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != 2 {
		t.Fatalf("three raced updates: %d won, %d conflicts; want 1 and 2", wins, conflicts)
	}

	rcv := newReceiver(t)
	adminJSON(t, replicas[0].endpoint, http.MethodPut, "/_cosell/webhooks/w",
		`{"account":"111111111111","url":"`+rcv.URL+`","secret":"s","pattern":{"detail-type":["Opportunity Created"]}}`, nil)
	deliverer := func(endpoint string) string {
		var list struct{ Webhooks []webhookState }
		adminJSON(t, endpoint, http.MethodGet, "/_cosell/webhooks", "", &list)
		if len(list.Webhooks) != 1 {
			t.Fatalf("webhooks: %+v", list)
		}
		return list.Webhooks[0].Deliverer
	}
	var victim int
	testwait.Until(t, "a replica delivering the webhook", func() bool {
		name := deliverer(replicas[1].endpoint)
		for i, r := range replicas {
			if strings.Contains(name, "/"+strconv.Itoa(r.cmd.Process.Pid)+"/") {
				victim = i
				return true
			}
		}
		return false
	})
	before := deliverer(replicas[victim].endpoint)

	// Write load from four writers; the deliverer is killed midway.
	var acked sync.Map // opportunity id → true, once CreateOpportunity answered
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				out, err := client.CreateOpportunity(ctx, newOpportunity(fmt.Sprintf("load-%d-%d", w, i), "Load Co"))
				if err == nil {
					acked.Store(out.Id, true)
				}
			}
		}()
	}
	count := func() int {
		n := 0
		acked.Range(func(any, any) bool { n++; return true })
		return n
	}
	testwait.Until(t, "writes before the kill", func() bool { return count() >= 20 })
	if err := replicas[victim].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := count()
	testwait.Until(t, "writes after the kill", func() bool { return count() >= killedAt+20 })
	close(stop)
	writers.Wait()

	survivor := replicas[(victim+1)%3]
	testwait.Until(t, "a survivor delivering the webhook", func() bool {
		now := deliverer(survivor.endpoint)
		return now != "" && now != before
	})

	// Every acknowledged opportunity is there, with its creation event.
	var ids []string
	acked.Range(func(k, _ any) bool { ids = append(ids, k.(string)); return true })
	seqOf := map[string]int64{}
	var log struct {
		Events []struct {
			Seq   int64           `json:"seq"`
			Event json.RawMessage `json:"event"`
		} `json:"events"`
		After int64 `json:"after"`
	}
	var last int64
	for after := int64(0); ; after = log.After {
		log.Events = nil
		adminJSON(t, survivor.endpoint, http.MethodGet, fmt.Sprintf("/_cosell/events?account=111111111111&after=%d&limit=1000", after), "", &log)
		if len(log.Events) == 0 {
			break
		}
		for _, e := range log.Events {
			if e.Seq <= last {
				t.Fatalf("event log out of order: %d after %d", e.Seq, last)
			}
			last = e.Seq
			if strings.Contains(string(e.Event), `"Opportunity Created"`) {
				for _, id := range ids {
					if strings.Contains(string(e.Event), `"`+id+`"`) {
						seqOf[id] = e.Seq
					}
				}
			}
		}
	}
	for _, id := range ids {
		if _, err := processClient(survivor.endpoint, nil).GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: id}); err != nil {
			t.Errorf("acknowledged opportunity %s: %v", id, err)
		}
		if seqOf[id] == 0 {
			t.Errorf("acknowledged opportunity %s has no creation event", id)
		}
	}
	// The webhook got every one of them, in order; an event delivered
	// just before the kill may come again (at least once), never one
	// that jumps back past a newer one first delivered.
	testwait.Until(t, "every acknowledged creation delivered", func() bool {
		got := map[int64]bool{}
		for _, s := range rcv.received() {
			got[s] = true
		}
		for _, s := range seqOf {
			if !got[s] {
				return false
			}
		}
		return true
	})
	seen, newest := map[int64]bool{}, int64(0)
	for _, s := range rcv.received() {
		if !seen[s] && s < newest {
			t.Fatalf("delivery of %d after %d, first time: out of order (%v)", s, newest, rcv.received())
		}
		seen[s], newest = true, max(newest, s)
	}
	t.Logf("%d acknowledged writes (%d before the kill), %d deliveries, webhook moved from %s to %s",
		len(ids), killedAt, len(rcv.received()), before, deliverer(survivor.endpoint))
}
