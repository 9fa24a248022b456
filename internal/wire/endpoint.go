package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/smithy"
)

// DefaultMaxBody caps request bodies. The largest legitimate Partner
// Central request (a full CreateOpportunity or UpdateOpportunity with every
// list at its model maximum) is a few hundred KiB; 1 MiB leaves room for
// that while keeping a misbehaving client from making the server buffer
// arbitrary amounts before the signature is even checked.
const DefaultMaxBody = 1 << 20

const (
	contentTypeAmzJSON = "application/x-amz-json-1.0"
	contentTypeJSON    = "application/json"
)

// Options configure the handler.
type Options struct {
	Verifier *auth.Verifier
	Logger   *slog.Logger // nil: slog.Default()
	MaxBody  int64        // 0: DefaultMaxBody
	// Admit, when set, runs for every authenticated request that passed
	// validation, just before its handler: quotas and fault injection. An
	// error it returns is the answer (a *Fault, or a domain error such as
	// apierr.Throttled); requests refused earlier never reach it, so they
	// consume no quota.
	Admit func(ctx context.Context, c Call) error
	// Recorder, when set, gets one record per answered request: the access
	// log and metrics.
	Recorder metrics.Recorder
}

// Endpoint serves several services, in the protocols their models name,
// on one endpoint.
type Endpoint struct {
	opts          Options
	byName        map[string]*API // by Service.Name: the X-Amz-Target prefix, the rpcv2 path's service
	bySigningName map[string]*API
}

// NewEndpoint builds the endpoint for apis. Services must differ in name and
// signing name, since both are used to route.
func NewEndpoint(opts Options, apis ...*API) (*Endpoint, error) {
	if opts.Verifier == nil {
		return nil, errors.New("wire: Options.Verifier is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	h := &Endpoint{opts: opts, byName: map[string]*API{}, bySigningName: map[string]*API{}}
	for _, api := range apis {
		if api == nil || api.Service == nil {
			return nil, errors.New("wire: API without a Service")
		}
		s := api.Service
		if h.byName[s.Name] != nil || h.bySigningName[s.SigningName] != nil {
			return nil, fmt.Errorf("wire: service %s (signing name %s) registered twice", s.Name, s.SigningName)
		}
		if api.Errors == 0 {
			return nil, fmt.Errorf("wire: service %s has no ErrorStyle", s.Name)
		}
		if s.Protocol != smithy.AWSJSON10 && s.Protocol != smithy.RPCv2CBOR {
			return nil, fmt.Errorf("wire: service %s speaks %q, which is not served", s.Name, s.Protocol)
		}
		h.byName[s.Name] = api
		h.bySigningName[s.SigningName] = api
	}
	return h, nil
}

// exchange is what one request accumulates for its log line and for the
// panic handler.
type exchange struct {
	requestID string
	proto     protocol
	api       *API
	op        string
	account   string
	status    int
	wrote     bool
	errorCode string // the exception name of an error answer, whatever the protocol
}

// fail answers the error in the request's protocol and notes its name.
func (x *exchange) fail(w http.ResponseWriter, e *wireError) {
	x.errorCode = e.name
	x.proto.writeError(w, e)
}

// record is the exchange as metrics.Recorder takes it; the error code is
// the exception name of the answer (awsJson's X-Amzn-ErrorType;
// rpcv2Cbor carries it only in the body's __type).
func (x *exchange) record(latency time.Duration) metrics.Request {
	r := metrics.Request{Operation: x.op, Account: x.account, Status: x.status, Latency: latency, RequestID: x.requestID,
		ErrorCode: x.errorCode}
	if x.api != nil {
		r.Service = x.api.Service.SigningName
	}
	return r
}

func (h *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	x := &exchange{requestID: uuid.NewString(), proto: protocolOf(r)}
	w.Header().Set("X-Amzn-RequestId", x.requestID)
	rw := &recordingWriter{ResponseWriter: w, x: x}
	defer func() {
		if p := recover(); p != nil {
			h.opts.Logger.Error("panic serving request", "request_id", x.requestID, "op", x.op, "panic", p)
			if !x.wrote {
				x.fail(rw, internalError(x.api, x.requestID))
			}
		}
		if h.opts.Recorder != nil {
			h.opts.Recorder.Record(x.record(time.Since(start)))
			metrics.Recorded(r.Context())
		}
	}()
	ctx := context.WithValue(r.Context(), requestIDKey, x.requestID)
	h.serve(ctx, rw, r, x)
}

// serve runs the pipeline: route, read body, authenticate, validate, admit
// (quotas, faults), handle.
// Nothing past a failed step runs.
func (h *Endpoint) serve(ctx context.Context, w http.ResponseWriter, r *http.Request, x *exchange) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		x.fail(w, coralError(http.StatusMethodNotAllowed, "UnknownOperationException",
			"%s is not supported: operations are called with POST.", r.Method))
		return
	}
	api, op, werr := x.proto.route(h, r)
	if werr != nil {
		x.fail(w, werr)
		return
	}
	x.api, x.op = api, op.Name

	body, werr := h.readBody(r)
	if werr == nil {
		werr = x.proto.checkRequest(r, body)
	}
	if werr != nil {
		x.fail(w, werr)
		return
	}

	caller, err := h.opts.Verifier.Verify(r, body, api.Service.SigningName)
	if err != nil {
		var ae *auth.Error
		if !errors.As(err, &ae) {
			h.writeError(w, x, err) // Verify returns only *auth.Error; anything else is a bug, logged as internal
			return
		}
		x.fail(w, fromAuthError(ae))
		return
	}
	x.account = caller.AccountID
	ctx = WithCaller(ctx, caller)

	// From here on the body is the input's JSON document, whatever the protocol.
	if body, err = x.proto.document(op, body); err != nil {
		h.writeError(w, x, err)
		return
	}
	if api.Validate != nil {
		if err := api.Validate(op, body); err != nil {
			h.writeError(w, x, err)
			return
		}
	}
	if err := h.admit(ctx, x); err != nil {
		h.writeError(w, x, err)
		return
	}
	handle := api.Handlers[op.Name]
	if handle == nil {
		x.fail(w, notImplemented(api.Service, op.Name))
		return
	}
	ctx = context.WithValue(ctx, decoderKey, inputDecoder{op: op, decode: api.Decode})
	out, err := handle(ctx, body)
	if err != nil {
		h.writeError(w, x, err)
		return
	}
	h.writeOutput(w, x, op, out)
}

func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mt
}

// checkContentType accepts what SDKs send and what AWS's Postman
// collection sends ("application/json; charset=UTF-8").
func checkContentType(contentType string) *wireError {
	switch mediaType(contentType) {
	case contentTypeAmzJSON, contentTypeJSON:
		return nil
	}
	return serializationError(fmt.Sprintf("Unsupported Content-Type %q: send %s or %s.", contentType, contentTypeAmzJSON, contentTypeJSON))
}

// readBody reads at most MaxBody bytes; a larger body is refused without
// reading the rest.
func (h *Endpoint) readBody(r *http.Request) ([]byte, *wireError) {
	tooLarge := coralError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"Request body is larger than the %d bytes cosell accepts.", h.opts.MaxBody)
	if r.ContentLength > h.opts.MaxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBody+1))
	if err != nil {
		return nil, serializationError("Could not read the request body.")
	}
	if int64(len(body)) > h.opts.MaxBody {
		return nil, tooLarge
	}
	return body, nil
}

// writeError answers a validation or handler error; anything that is not a
// client-facing domain error becomes InternalServerException, logged with
// the request id the client sees.
func (h *Endpoint) writeError(w http.ResponseWriter, x *exchange, err error) {
	if f, ok := asFault(err); ok && x.api != nil {
		x.fail(w, fromFault(x.api, f))
		return
	}
	werr, ok := fromDomainError(x.api, err)
	if !ok {
		h.opts.Logger.Error("internal error", "request_id", x.requestID, "op", x.op, "account", x.account, "err", err)
		werr = internalError(x.api, x.requestID)
	}
	x.fail(w, werr)
}

// writeOutput answers success. Always 200: the model says 204 for a few
// void operations (Start/Stop/DeleteResourceSnapshotJob), but AWS's
// captures of the real service show 200 with an empty body, and SDKs accept
// either.
func (h *Endpoint) writeOutput(w http.ResponseWriter, x *exchange, op *smithy.Operation, out any) {
	var body []byte
	switch v := out.(type) {
	case nil:
	case []byte:
		body = v
	case json.RawMessage:
		body = v
	case jsonAppender:
		body = v.AppendJSON(nil)
	default:
		var err error
		if body, err = encodeJSON(v); err != nil {
			h.writeError(w, x, fmt.Errorf("encoding %s output: %w", op.Name, err))
			return
		}
		if body, err = withEmptyLists(op, body); err != nil {
			h.writeError(w, x, fmt.Errorf("encoding %s output: %w", op.Name, err))
			return
		}
	}
	if op.Output == nil {
		body = nil // a void operation answers an empty body whatever the handler returned
	}
	if err := x.proto.writeOutput(w, op, body); err != nil {
		h.writeError(w, x, fmt.Errorf("encoding %s output: %w", op.Name, err))
	}
}

// withEmptyLists adds each top-level list member of a List operation's
// output that the encoding left out (an optional member is encoded
// omitempty) as [], so every listing answers "nothing found" the same way:
// ListOpportunities and ListEngagements said [] where the invitation and
// task listings said nothing. AWS's captures hold no empty listing; [] is
// the form its non-empty ones take.
func withEmptyLists(op *smithy.Operation, body []byte) ([]byte, error) {
	output := op.Output
	if output == nil || !strings.HasPrefix(op.Name, "List") {
		return body, nil
	}
	var missing []string
	var present map[string]json.RawMessage
	for _, m := range output.Members {
		if m.Target == nil || m.Target.Kind != smithy.KindList {
			continue
		}
		if present == nil {
			if err := json.Unmarshal(body, &present); err != nil {
				return nil, err
			}
		}
		if _, ok := present[m.Name]; !ok {
			missing = append(missing, m.Name)
		}
	}
	if len(missing) == 0 {
		return body, nil
	}
	for _, name := range missing {
		present[name] = json.RawMessage("[]")
	}
	return encodeJSON(present)
}

// encodeJSON is json.Marshal without HTML escaping: values such as
// "Security & Compliance" go out as written, as AWS sends them.
// jsonAppender is an output that writes its own JSON: one assembled from
// JSON the domain stored already encoded (listing pages), which encoding/json
// would otherwise re-scan and re-validate byte by byte.
type jsonAppender interface {
	AppendJSON(dst []byte) []byte
}

func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeBody sends the response; contentType "" sends none (an empty
// rpcv2Cbor body).
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that hung up is not our error
}

// recordingWriter notes the status for the log line and whether the
// response has started, so a late panic does not write twice.
type recordingWriter struct {
	http.ResponseWriter
	x *exchange
}

func (w *recordingWriter) WriteHeader(status int) {
	w.x.status, w.x.wrote = status, true
	w.ResponseWriter.WriteHeader(status)
}
