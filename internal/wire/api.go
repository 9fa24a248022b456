// Package wire is the awsJson1_0 protocol: it routes requests to
// operations, verifies their signatures, validates and decodes bodies,
// calls handlers and encodes results and errors the way AWS does. It knows
// services only through their Smithy models, never their business.
package wire

import (
	"context"
	"encoding/json"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
)

// Handler runs one operation. body is the request JSON, already checked by
// API.Validate. The result is encoded as the response body: nil means an
// empty body, []byte or json.RawMessage are sent as they are, anything else
// goes through encoding/json.
type Handler func(ctx context.Context, body []byte) (any, error)

// API is one service served by the handler.
type API struct {
	Service *smithy.Service
	// Validate checks a request body against the operation's input shape.
	// It runs for every operation, implemented or not, so clients get the
	// same validation errors AWS gives even where cosell has no handler.
	// nil accepts every body.
	Validate func(op *smithy.Operation, body []byte) error
	// Decode fills an operation's generated input type from a validated
	// body, for handlers built with Op. nil uses encoding/json, which also
	// matches member names case-insensitively; AWS does not, so servers
	// set a case-exact decoder (validate.Decode).
	Decode   func(op *smithy.Operation, body []byte, into any) error
	Handlers map[string]Handler // by operation name
	Errors   ErrorStyle
}

// Op adapts a typed operation function to a Handler: it decodes the body
// into the generated request type and returns the typed output.
func Op[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) Handler {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := decodeInput(ctx, body, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil || out == nil {
			// A nil *Out must not become a non-nil interface holding nil,
			// which would encode as "null".
			return nil, err
		}
		return out, nil
	}
}

// inputDecoder is the API's decoder bound to the operation being served;
// the endpoint puts it in the context for Op.
type inputDecoder struct {
	op     *smithy.Operation
	decode func(op *smithy.Operation, body []byte, into any) error
}

func decodeInput(ctx context.Context, body []byte, into any) error {
	if d, ok := ctx.Value(decoderKey).(inputDecoder); ok && d.decode != nil {
		return d.decode(d.op, body, into)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return apierr.Serialization("%s", serializationMessage(err))
	}
	return nil
}

// serializationMessage says what in the body did not fit, without echoing
// Go type names a client cannot act on.
func serializationMessage(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		if te.Field != "" {
			return "Unexpected " + te.Value + " value for field " + te.Field
		}
		return "Unexpected " + te.Value + " value"
	}
	return "Request body is not valid JSON"
}
