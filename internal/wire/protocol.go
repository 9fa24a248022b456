package wire

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/cborjson"
	"github.com/cosell/cosell/internal/smithy"
)

// protocol is how one wire protocol frames requests and responses. The
// pipeline between (signature, validation, admission, handlers, logging) is
// the Endpoint's and the same for every protocol: a protocol turns a request
// body into the JSON document validators and handlers read, and the JSON
// document of an output or error into its own response.
type protocol interface {
	// route finds the API and operation a request addresses.
	route(h *Endpoint, r *http.Request) (*API, *smithy.Operation, *wireError)
	// checkRequest checks the protocol's headers once the body is read.
	checkRequest(r *http.Request, body []byte) *wireError
	// document turns a request body into the input's JSON document.
	document(op *smithy.Operation, body []byte) ([]byte, error)
	// writeOutput answers success with the output's JSON document (nil: none).
	writeOutput(w http.ResponseWriter, op *smithy.Operation, doc []byte) error
	// writeError answers an error.
	writeError(w http.ResponseWriter, e *wireError)
}

// protocolOf picks the protocol a request speaks from its path: only
// smithy-rpc-v2-cbor addresses operations as .../service/S/operation/O.
func protocolOf(r *http.Request) protocol {
	if _, _, ok := rpcV2Path(r.URL.Path); ok {
		return rpcV2CBOR{}
	}
	p := awsJSON{contentType: contentTypeAmzJSON}
	if mediaType(r.Header.Get("Content-Type")) == contentTypeJSON {
		p.contentType = contentTypeJSON // mirrored, as AWS does for its Postman collection's requests
	}
	return p
}

// awsJSON is awsJson1_0.
type awsJSON struct {
	contentType string // of responses
}

// route finds the operation: from X-Amz-Target ("Service.Operation") as
// SDKs send it, or from the path ("/Operation") as AWS's Postman collection
// calls the real endpoint, taking the service from the credential scope.
func (p awsJSON) route(h *Endpoint, r *http.Request) (*API, *smithy.Operation, *wireError) {
	var api *API
	var opName string
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		service, name, ok := strings.Cut(target, ".")
		api, opName = h.byName[service], name
		if !ok || api == nil || api.Service.Protocol != smithy.AWSJSON10 {
			return nil, nil, unknownOperation("Unknown X-Amz-Target %q: expected <Service>.<Operation> for one of the served services.", target)
		}
	} else {
		opName = strings.TrimPrefix(r.URL.Path, "/")
		if opName == "" || strings.Contains(opName, "/") {
			return nil, nil, unknownOperation("No operation given: send X-Amz-Target: <Service>.<Operation> or POST /<Operation>.")
		}
		api = h.jsonAPIForPath(r, opName)
		if api == nil {
			return nil, nil, unknownOperation("Unknown operation %s.", opName)
		}
	}
	op := api.Service.Operations[opName]
	if op == nil {
		return nil, nil, unknownOperation("Unknown operation %s for service %s.", opName, api.Service.Name)
	}
	return api, op, nil
}

// jsonAPIForPath picks the awsJson service of a path-routed request: the
// one its credential scope names, or, when that names none of ours (the
// signature check will then report the wrong scope), the only service that
// has the operation.
func (h *Endpoint) jsonAPIForPath(r *http.Request, opName string) *API {
	if api := h.bySigningName[auth.SigningName(r.Header.Get("Authorization"))]; api != nil {
		if api.Service.Protocol != smithy.AWSJSON10 {
			return nil
		}
		return api
	}
	var found *API
	for _, api := range h.byName {
		if api.Service.Protocol == smithy.AWSJSON10 && api.Service.Operations[opName] != nil {
			if found != nil {
				return nil
			}
			found = api
		}
	}
	return found
}

// checkRequest accepts what SDKs send and what AWS's Postman collection
// sends ("application/json; charset=UTF-8").
func (awsJSON) checkRequest(r *http.Request, _ []byte) *wireError {
	return checkContentType(r.Header.Get("Content-Type"))
}

func (awsJSON) document(_ *smithy.Operation, body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return []byte("{}"), nil // an empty body is an input with no members set
	}
	return body, nil
}

func (p awsJSON) writeOutput(w http.ResponseWriter, _ *smithy.Operation, doc []byte) error {
	writeBody(w, http.StatusOK, p.contentType, doc)
	return nil
}

func (p awsJSON) writeError(w http.ResponseWriter, e *wireError) { e.write(w, p.contentType) }

// smithy-rpc-v2-cbor.
const (
	contentTypeCBOR      = "application/cbor"
	smithyProtocolHeader = "Smithy-Protocol"
	smithyProtocolRPCv2  = "rpc-v2-cbor"
)

type rpcV2CBOR struct{}

// rpcV2Path splits {prefix}/service/<Service>/operation/<Operation>: the
// protocol routes on the last four segments, whatever comes before.
func rpcV2Path(path string) (service, op string, ok bool) {
	segs := strings.Split(path, "/")
	if len(segs) < 5 {
		return "", "", false
	}
	tail := segs[len(segs)-4:]
	if tail[0] != "service" || tail[2] != "operation" || tail[1] == "" || tail[3] == "" {
		return "", "", false
	}
	return tail[1], tail[3], true
}

// route accepts the service by its shape name or its namespaced form
// (com.example.Service), as the protocol asks servers to.
func (rpcV2CBOR) route(h *Endpoint, r *http.Request) (*API, *smithy.Operation, *wireError) {
	service, opName, _ := rpcV2Path(r.URL.Path)
	if ns, name, ok := cutLast(service, "."); ok {
		if api := h.byName[name]; api != nil && api.Service.Namespace == ns {
			service = name
		}
	}
	api := h.byName[service]
	if api == nil || api.Service.Protocol != smithy.RPCv2CBOR {
		return nil, nil, rpcV2NotFound("Unknown service %s: no smithy-rpc-v2-cbor service of that name is served here.", service)
	}
	op := api.Service.Operations[opName]
	if op == nil {
		return nil, nil, rpcV2NotFound("Unknown operation %s for service %s.", opName, api.Service.Name)
	}
	return api, op, nil
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}

// rpcV2NotFound answers a path that names no served operation, with 404 as
// Smithy's own server implementations do.
func rpcV2NotFound(format string, args ...any) *wireError {
	return coralError(http.StatusNotFound, "UnknownOperationException", format, args...)
}

// checkRequest enforces the protocol's headers: smithy-protocol must say
// rpc-v2-cbor, X-Amz-Target (which would route as awsJson) must be absent,
// and a body must be declared as CBOR.
func (rpcV2CBOR) checkRequest(r *http.Request, body []byte) *wireError {
	if r.Header.Get("X-Amz-Target") != "" || r.Header.Get("X-Amzn-Target") != "" {
		return unknownOperation("smithy-rpc-v2-cbor requests must not carry X-Amz-Target or X-Amzn-Target: the path names the operation.")
	}
	if got := r.Header.Get(smithyProtocolHeader); got != smithyProtocolRPCv2 {
		return unknownOperation("Missing or unsupported smithy-protocol header %q: send smithy-protocol: %s.", got, smithyProtocolRPCv2)
	}
	if ct := r.Header.Get("Content-Type"); len(body) > 0 && mediaType(ct) != contentTypeCBOR {
		return serializationError("Unsupported Content-Type " + quoteHeader(ct) + ": a smithy-rpc-v2-cbor body is sent as " + contentTypeCBOR + ".")
	}
	return nil
}

func quoteHeader(v string) string { return "\"" + strings.ReplaceAll(v, "\"", "'") + "\"" }

func (rpcV2CBOR) document(op *smithy.Operation, body []byte) ([]byte, error) {
	return cborDocument(op, body)
}

// writeOutput sends a Unit output as no body and no Content-Type; any other
// output, even one with no member set, as a CBOR map.
func (rpcV2CBOR) writeOutput(w http.ResponseWriter, op *smithy.Operation, doc []byte) error {
	w.Header().Set(smithyProtocolHeader, smithyProtocolRPCv2)
	if op.Output == nil {
		writeBody(w, http.StatusOK, "", nil)
		return nil
	}
	if len(doc) == 0 {
		doc = []byte("{}")
	}
	body, err := cborjson.Encode(op.Output, doc)
	if err != nil {
		return err
	}
	writeBody(w, http.StatusOK, contentTypeCBOR, body)
	return nil
}

// writeError sends the error structure as a CBOR map with __type, the
// absolute shape id clients read the exception from. rpcv2Cbor has no
// X-Amzn-ErrorType header.
func (rpcV2CBOR) writeError(w http.ResponseWriter, e *wireError) {
	w.Header().Set(smithyProtocolHeader, smithyProtocolRPCv2)
	body, err := cborjson.Encode(nil, e.document())
	if err != nil {
		panic(err) // members are strings and plain structs; this cannot fail
	}
	writeBody(w, e.status, contentTypeCBOR, body)
}
