package replicatest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/events/webhook"
	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/testwait"
)

// receiver is a webhook endpoint recording the outbox positions it got.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	seqs []int64
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		seq, err := strconv.ParseInt(req.Header.Get(webhook.HeaderSeq), 10, 64)
		if err != nil {
			t.Errorf("delivery without a sequence: %v", err)
		}
		r.mu.Lock()
		r.seqs = append(r.seqs, seq)
		r.mu.Unlock()
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64(nil), r.seqs...)
}

// webhookState is what GET /_cosell/webhooks says of the webhook "w".
type webhookState struct {
	Deliverer string           `json:"deliverer"`
	Delivery  *json.RawMessage `json:"delivery"`
}

func webhookOn(t *testing.T, s *servertest.Server) webhookState {
	var list struct{ Webhooks []webhookState }
	if err := json.Unmarshal(s.Admin(http.MethodGet, "/_cosell/webhooks", ""), &list); err != nil || len(list.Webhooks) != 1 {
		t.Fatalf("webhooks: %v, %+v", err, list)
	}
	return list.Webhooks[0]
}

// A webhook configured on one replica is delivered by exactly one of them,
// each event once and in order; when that replica stops, a survivor takes
// over from where it left off.
func TestReplicasDeliverAWebhookFromOneAndTakeOver(t *testing.T) {
	replicas := startReplicas(t, 3)
	rcv := newReceiver(t)
	replicas[1].Admin(http.MethodPut, "/_cosell/webhooks/w",
		`{"account":"111111111111","url":"`+rcv.URL+`","secret":"s","pattern":{"detail-type":["Opportunity Created"]}}`)

	create := func(n int, on []*servertest.Server, prefix string) {
		for i := range n {
			c := on[i%len(on)].SellingClient("test", "test")
			if _, err := c.CreateOpportunity(context.Background(), newOpportunity(fmt.Sprintf("%s-%d", prefix, i), "Hook Co")); err != nil {
				t.Fatal(err)
			}
		}
	}
	create(9, replicas, "before")
	testwait.Until(t, "9 deliveries", func() bool { return len(rcv.received()) >= 9 })

	// Every replica names the same deliverer, and only that one reports
	// delivering.
	deliverer, delivering := "", 0
	for _, r := range replicas {
		st := webhookOn(t, r)
		if deliverer == "" {
			deliverer = st.Deliverer
		}
		if st.Deliverer != deliverer || st.Deliverer == "" {
			t.Fatalf("replicas disagree on the deliverer: %q and %q", deliverer, st.Deliverer)
		}
		if st.Delivery != nil {
			delivering++
			if r.Replica() != deliverer {
				t.Errorf("replica %s reports delivering, the lease names %s", r.Replica(), deliverer)
			}
		}
	}
	if delivering != 1 {
		t.Fatalf("%d replicas deliver the webhook, want 1", delivering)
	}

	var holder int
	var survivors []*servertest.Server
	for i, r := range replicas {
		if r.Replica() == deliverer {
			holder = i
		} else {
			survivors = append(survivors, r)
		}
	}
	replicas[holder].Stop()
	create(6, survivors, "after")
	testwait.Until(t, "15 deliveries", func() bool { return len(rcv.received()) >= 15 })
	now := webhookOn(t, survivors[0]).Deliverer
	if now == deliverer || (now != survivors[0].Replica() && now != survivors[1].Replica()) {
		t.Fatalf("after its deliverer stopped, the webhook is delivered by %q (was %q)", now, deliverer)
	}
	got := rcv.received()
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("deliveries out of order or repeated: %v", got)
		}
	}
	if len(got) != 15 {
		t.Fatalf("%d deliveries, want 15: %v", len(got), got)
	}
}

// Runtime settings changed through one replica take effect on the others:
// fault rules, chaos knobs, the automatic reviewer, the quota switch and
// the server clock.
func TestReplicasShareRuntimeSettings(t *testing.T) {
	replicas := startReplicas(t, 2)
	a, b := replicas[0], replicas[1]

	a.Admin(http.MethodPut, "/_cosell/faults", `[{"operation":"ListSolutions","errorCode":"ThrottlingException","statusCode":429}]`)
	testwait.Until(t, "the fault rule on the other replica", func() bool {
		_, err := b.SellingClient("test", "test", func(o *sellingclient.Options) { o.Retry.MaxAttempts = 1 }).
			ListSolutions(context.Background(), &selling.ListSolutionsRequest{Catalog: "Sandbox"})
		var throttled *sellingclient.ThrottlingException
		return errors.As(err, &throttled)
	})

	a.Admin(http.MethodPut, "/_cosell/events/chaos", `{"duplicate":0.5}`)
	testwait.Until(t, "the chaos knobs on the other replica", func() bool {
		return strings.Contains(string(b.Admin(http.MethodGet, "/_cosell/events/chaos", "")), `"duplicate":0.5`)
	})

	a.Admin(http.MethodPost, "/_cosell/aws/auto-review", `{"mode":"rules","delay":"7s"}`)
	testwait.Until(t, "the automatic reviewer on the other replica", func() bool {
		return strings.Contains(string(b.Admin(http.MethodGet, "/_cosell/aws/auto-review", "")), `"7s"`)
	})

	clockOf := func(s *servertest.Server) time.Time {
		var c struct{ Now time.Time }
		if err := json.Unmarshal(s.Admin(http.MethodGet, "/_cosell/clock", ""), &c); err != nil {
			t.Fatal(err)
		}
		return c.Now
	}
	before := clockOf(b)
	a.Admin(http.MethodPost, "/_cosell/clock", `{"advance":"72h"}`)
	testwait.Until(t, "the clock moved on the other replica", func() bool { return clockOf(b).Sub(before) >= 72*time.Hour })
}
