// Package sqsqueue serves each account's Partner Central events as an SQS
// queue, over the AWS JSON 1.0 protocol the SDKs speak to SQS: a consumer
// written for an SQS queue behind an EventBridge rule runs against cosell
// unchanged. Messages are the outbox's events (see state.go); delivery is
// at least once, with SQS's visibility timeout and receive counts.
package sqsqueue

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/validate"
)

// SigningName is the SigV4 service of SQS requests.
const SigningName = "sqs"

// targetPrefix starts every X-Amz-Target SQS's JSON protocol sends.
const targetPrefix = "AmazonSQS."

// maxRequestBytes bounds a request body; SQS's own limit is 256 KiB of
// message plus the request around it.
const maxRequestBytes = 1 << 20

// pollEvery is how often a long poll looks again without being woken:
// visibility timeouts run out, and writes of another process are not
// notified.
const pollEvery = time.Second

// Config is what the queues are served from.
type Config struct {
	Store    store.Store
	Verifier *auth.Verifier
	Clock    clock.Clock
	Region   string                 // of the queues' ARNs
	Changed  func() <-chan struct{} // closed when the outbox grows; nil polls only
	Recorder metrics.Recorder       // nil records nothing
}

// Handler answers SQS requests.
type Handler struct {
	cfg    Config
	queues *Queues

	stopOnce sync.Once
	stopped  chan struct{}
}

// Depth is the message counts of account's queue: visible, and received
// but neither deleted nor expired.
func (h *Handler) Depth(ctx context.Context, account string) (visible, inFlight int, err error) {
	return h.queues.Counts(ctx, account)
}

// New returns a Handler over cfg.
func New(cfg Config) *Handler {
	return &Handler{cfg: cfg, queues: &Queues{Store: cfg.Store, Clock: cfg.Clock}, stopped: make(chan struct{})}
}

// Stop ends the long polls in progress, which answer with what they have,
// so a server shutting down need not wait out their 20 seconds.
func (h *Handler) Stop() { h.stopOnce.Do(func() { close(h.stopped) }) }

// IsSQSRequest tells whether r is signed for SQS.
func IsSQSRequest(r *http.Request) bool {
	return auth.SigningName(r.Header.Get("Authorization")) == SigningName
}

// call is one request being answered.
type call struct {
	ctx     context.Context
	account string
	baseURL string // scheme and host the client reached, for queue URLs
	body    []byte
}

// operation answers one SQS operation with its output shape.
type operation func(h *Handler, c *call) (any, *apiError)

// operations are the SQS operations cosell serves; the others answer
// UnsupportedOperation.
var operations = map[string]operation{
	"GetQueueUrl":             (*Handler).getQueueURL,
	"ListQueues":              (*Handler).listQueues,
	"ReceiveMessage":          (*Handler).receiveMessage,
	"DeleteMessage":           (*Handler).deleteMessage,
	"DeleteMessageBatch":      (*Handler).deleteMessageBatch,
	"ChangeMessageVisibility": (*Handler).changeMessageVisibility,
	"GetQueueAttributes":      (*Handler).getQueueAttributes,
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start, id := time.Now(), uuid.NewString()
	w.Header().Set("x-amzn-RequestId", id)
	answer := &metrics.Answer{ResponseWriter: w}
	var rec metrics.Request
	h.serve(answer, r, &rec)
	if h.cfg.Recorder != nil {
		rec.Service, rec.Status, rec.Latency, rec.RequestID = SigningName, answer.Status, time.Since(start), id
		rec.ErrorCode, _, _ = strings.Cut(w.Header().Get("x-amzn-query-error"), ";")
		h.cfg.Recorder.Record(rec)
		metrics.Recorded(r.Context())
	}
}

// serve answers r, noting the operation and the caller in rec.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rec *metrics.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeError(w, invalidParameter("The request body could not be read: %v.", err))
		return
	}
	caller, err := h.cfg.Verifier.Verify(r, body, SigningName)
	if err != nil {
		writeError(w, authError(err))
		return
	}
	rec.Account = caller.AccountID
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if r.Method != http.MethodPost || !ok {
		writeError(w, senderError("InvalidAction", "", "The action or operation requested is invalid. Send POST / with X-Amz-Target: AmazonSQS.<Operation>."))
		return
	}
	op, ok := operations[name]
	if !ok {
		writeError(w, unsupported(name))
		return
	}
	rec.Operation = name
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	out, apiErr := op(h, &call{ctx: r.Context(), account: caller.AccountID, baseURL: scheme + "://" + r.Host, body: body})
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// decode reads the request's input shape.
func (c *call) decode(in any) *apiError {
	if len(c.body) == 0 {
		return nil
	}
	if err := validate.CheckUTF8(c.body); err != nil {
		return senderError("SerializationException", "", "%v.", err)
	}
	if err := json.Unmarshal(c.body, in); err != nil {
		return senderError("SerializationException", "", "The request body is not valid JSON for this operation: %v.", err)
	}
	return nil
}

// queueURL is the URL of the caller's queue.
func (c *call) queueURL() string { return c.baseURL + "/" + c.account + "/" + QueueName }

// checkQueue accepts a QueueUrl naming the caller's queue, whatever host
// it was built with (clients reach cosell under many names).
func (c *call) checkQueue(queueURL string) *apiError {
	if queueURL == "" {
		return missingParameter("QueueUrl")
	}
	u, err := url.Parse(queueURL)
	if err != nil {
		return invalidAddress(queueURL)
	}
	account, name, ok := strings.Cut(strings.Trim(u.Path, "/"), "/")
	switch {
	case !ok || account == "" || name == "" || strings.Contains(name, "/"):
		return invalidAddress(queueURL)
	case account != c.account || name != QueueName:
		return queueDoesNotExist()
	}
	return nil
}

// wait blocks until the outbox may have changed, d passes, the request
// ends or the handler stops; it returns false for the last two.
func (h *Handler) wait(ctx context.Context, changed <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-h.stopped:
		return false
	case <-changed:
	case <-t.C:
	}
	return true
}

// changed is the channel the next outbox append closes; nil never closes.
func (h *Handler) changed() <-chan struct{} {
	if h.cfg.Changed == nil {
		return nil
	}
	return h.cfg.Changed()
}

// Status is where account's queue stands (Queues.Status).
func (h *Handler) Status(ctx context.Context, account string) (Status, error) {
	return h.queues.Status(ctx, account)
}
