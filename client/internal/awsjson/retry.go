package awsjson

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// retryableCodes are the exceptions worth another attempt: the request
// was refused for the moment, not for what it says.
var retryableCodes = map[string]bool{
	"ThrottlingException":     true,
	"InternalServerException": true,
}

// retryable reports whether an attempt that failed with err may be
// repeated: throttling, server errors (5xx) and connection errors; never
// another 4xx, nor the caller's own cancellation.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var meta interface {
		ErrorCode() string
		HTTPStatus() int
	}
	if errors.As(err, &meta) {
		return retryableCodes[meta.ErrorCode()] || meta.HTTPStatus() >= 500
	}
	var conn *connError
	return errors.As(err, &conn)
}

// connError is a failure to exchange a request and its response.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// backoff is the wait before retry number n (1 for the first retry): a
// uniform draw from zero to min(MaxDelay, BaseDelay·2^(n-1)), "full jitter".
func (r Retry) backoff(n int) time.Duration {
	ceiling := r.MaxDelay
	if shift := n - 1; shift < 32 {
		if d := r.BaseDelay << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
