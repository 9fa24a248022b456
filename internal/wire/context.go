package wire

import (
	"context"

	"github.com/cosell/cosell/internal/auth"
)

type ctxKey int

const (
	callerKey ctxKey = iota
	requestIDKey
	decoderKey
)

// CallerFrom returns the verified caller of the request being served.
func CallerFrom(ctx context.Context) auth.Caller {
	c, _ := ctx.Value(callerKey).(auth.Caller)
	return c
}

// RequestIDFrom returns the request id sent back in x-amzn-RequestId.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithCaller returns ctx carrying c, for code that calls handlers directly
// (tests, the simulated AWS side) rather than through HTTP.
func WithCaller(ctx context.Context, c auth.Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}
