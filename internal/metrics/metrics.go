// Package metrics is how a running cosell reports on itself: one access log
// line per API request, and Prometheus metrics (request counts and
// latencies, event delivery lag, SQS queue depths, store size) served at
// /metrics. Protocol layers (awsJson, rpcv2Cbor, SQS) call Recorder once
// per request and mark it Recorded; Observer.Wrap, around the whole
// server, records every other request the same way.
package metrics

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Request is one answered API request.
type Request struct {
	Service   string // the signing name, e.g. "partnercentral-selling"; "" when routing failed
	Operation string // "" when routing failed
	Account   string // "" when the signature was not verified
	Status    int
	ErrorCode string // the exception name of an error answer, "" on success
	Latency   time.Duration
	RequestID string
}

// Recorder takes one record per answered request.
type Recorder interface {
	Record(Request)
}

// Observer is the Recorder of a server: it logs every request at info
// level and counts it for /metrics.
type Observer struct {
	logger   *slog.Logger
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New returns an Observer logging to logger, with the Go runtime and
// process collectors registered beside cosell's own.
func New(logger *slog.Logger) *Observer {
	o := &Observer{
		logger:   logger,
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cosell_requests_total",
			Help: "API requests answered, by service, operation, HTTP status and error code (empty on success).",
		}, []string{"service", "operation", "status", "error_code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cosell_request_duration_seconds",
			Help: "Time from receiving an API request to answering it, by service and operation.",
			// From sub-millisecond reads to SQS's 20 s long polls.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30},
		}, []string{"service", "operation"}),
	}
	o.registry.MustRegister(o.requests, o.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return o
}

// Record logs r and counts it.
func (o *Observer) Record(r Request) {
	o.logger.Info("request", "service", r.Service, "op", r.Operation, "account", r.Account, "status", r.Status,
		"error_code", r.ErrorCode, "latency", r.Latency, "request_id", r.RequestID)
	o.requests.WithLabelValues(r.Service, r.Operation, strconv.Itoa(r.Status), r.ErrorCode).Inc()
	o.latency.WithLabelValues(r.Service, r.Operation).Observe(r.Latency.Seconds())
}

// Handler serves the metrics in Prometheus's text format.
func (o *Observer) Handler() http.Handler {
	return promhttp.HandlerFor(o.registry, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(o.logger.Handler(), slog.LevelWarn)})
}

// Sources are the server's state read at each scrape. Any may be nil.
type Sources struct {
	// OutboxLag is, per event destination, how many events it has yet to
	// pass (deliver, or skip as not matching).
	OutboxLag func(ctx context.Context) (map[string]int, error)
	// QueueDepths is, per account, the SQS queue's visible and in-flight
	// message counts.
	QueueDepths func(ctx context.Context) (map[string]QueueDepth, error)
	// StoreBytes is the store's size on disk.
	StoreBytes func(ctx context.Context) (int64, error)
}

// QueueDepth is one queue's message counts.
type QueueDepth struct{ Visible, InFlight int }

// Watch reports src at every scrape.
func (o *Observer) Watch(src Sources) {
	o.registry.MustRegister(&stateCollector{src: src, logger: o.logger})
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 5 * time.Second

var (
	lagDesc      = prometheus.NewDesc("cosell_outbox_lag_events", "Events an event destination has yet to deliver or skip.", []string{"destination"}, nil)
	depthDesc    = prometheus.NewDesc("cosell_sqs_queue_messages", "Messages in an account's SQS event queue, by state (visible, in_flight).", []string{"account", "state"}, nil)
	storeDesc    = prometheus.NewDesc("cosell_store_bytes", "Size of the store on disk.", nil, nil)
	scrapeFailed = prometheus.NewDesc("cosell_scrape_errors", "State sources that failed to answer this scrape.", []string{"source"}, nil)
)

// stateCollector reads the server's state when Prometheus scrapes.
type stateCollector struct {
	src    Sources
	logger *slog.Logger
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lagDesc
	ch <- depthDesc
	ch <- storeDesc
	ch <- scrapeFailed
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	failed := func(source string, err error) {
		c.logger.Warn("metrics: reading "+source, "err", err)
		ch <- prometheus.MustNewConstMetric(scrapeFailed, prometheus.GaugeValue, 1, source)
	}
	if c.src.OutboxLag != nil {
		if lags, err := c.src.OutboxLag(ctx); err != nil {
			failed("outbox_lag", err)
		} else {
			for dest, n := range lags {
				ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, float64(n), dest)
			}
		}
	}
	if c.src.QueueDepths != nil {
		if depths, err := c.src.QueueDepths(ctx); err != nil {
			failed("sqs_queue_messages", err)
		} else {
			for account, d := range depths {
				ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(d.Visible), account, "visible")
				ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(d.InFlight), account, "in_flight")
			}
		}
	}
	if c.src.StoreBytes != nil {
		if n, err := c.src.StoreBytes(ctx); err != nil {
			failed("store_bytes", err)
		} else {
			ch <- prometheus.MustNewConstMetric(storeDesc, prometheus.GaugeValue, float64(n))
		}
	}
}

// Answer is a ResponseWriter that notes the status it answered, for
// protocol layers that build a Request record around their handler.
type Answer struct {
	http.ResponseWriter
	Status int // 0 until the header is written
}

func (a *Answer) WriteHeader(status int) {
	if a.Status == 0 {
		a.Status = status
	}
	a.ResponseWriter.WriteHeader(status)
}

func (a *Answer) Write(b []byte) (int, error) {
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
	return a.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (a *Answer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// Flush passes a streaming handler's flush on (the admin API's and the
// console's Server-Sent Events check for http.Flusher).
func (a *Answer) Flush() {
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
	_ = http.NewResponseController(a.ResponseWriter).Flush()
}

// recordedKey marks a request's context with the flag Recorded sets.
type recordedKey struct{}

// Recorded tells Wrap that a protocol layer recorded the request of ctx
// itself, with its operation and account, so Wrap does not record it again.
func Recorded(ctx context.Context) {
	if f, ok := ctx.Value(recordedKey{}).(*atomic.Bool); ok {
		f.Store(true)
	}
}

// Wrap records every request next answers that no protocol layer recorded
// (the S3 file exchange, the admin API, LocalStack's routes, the console,
// requests refused before routing), so each request makes one access log
// line and one count whichever handler answered it. describe names the
// service and operation of such a request; it is called after next
// answered, and should keep operations few (a route, not a path).
func (o *Observer) Wrap(describe func(*http.Request) (service, operation string), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		recorded := new(atomic.Bool)
		answer := &Answer{ResponseWriter: w}
		next.ServeHTTP(answer, r.WithContext(context.WithValue(r.Context(), recordedKey{}, recorded)))
		if recorded.Load() {
			return
		}
		service, op := describe(r)
		o.Record(Request{Service: service, Operation: op, Status: cmp.Or(answer.Status, http.StatusOK), Latency: time.Since(start),
			RequestID: cmp.Or(w.Header().Get("X-Amz-Request-Id"), w.Header().Get("X-Amzn-Requestid"))})
	})
}
