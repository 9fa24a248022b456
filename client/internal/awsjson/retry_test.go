package awsjson

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"
)

func TestBackoffIsBoundedFullJitter(t *testing.T) {
	r := Retry{BaseDelay: 100 * time.Millisecond, MaxDelay: 20 * time.Second}
	for n, ceiling := range map[int]time.Duration{
		1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 5: 1600 * time.Millisecond,
		9: 20 * time.Second, 100: 20 * time.Second,
	} {
		var longest time.Duration
		for range 2000 {
			d := r.backoff(n)
			if d < 0 || d > ceiling {
				t.Fatalf("retry %d: waited %v, want 0 to %v", n, d, ceiling)
			}
			longest = max(longest, d)
		}
		// Full jitter draws from the whole range, not just near zero.
		if longest < ceiling/2 {
			t.Fatalf("retry %d: 2000 draws all below %v, want some up to %v", n, longest, ceiling)
		}
	}
}

func TestRetryable(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"throttling", ctx, &APIError{Code: "ThrottlingException", StatusCode: 400}, true},
		{"internal", ctx, &APIError{Code: "InternalServerException", StatusCode: 500}, true},
		{"503", ctx, &APIError{Code: "ServiceUnavailable", StatusCode: 503}, true},
		{"conflict", ctx, &APIError{Code: "ConflictException", StatusCode: 409}, false},
		{"signature", ctx, &APIError{Code: "InvalidSignatureException", StatusCode: 403}, false},
		{"connection", ctx, &connError{io.ErrUnexpectedEOF}, true},
		{"cancelled", cancelled, &connError{io.ErrUnexpectedEOF}, false},
		{"encoding", ctx, errors.New("decode response"), false},
	} {
		if got := retryable(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: retryable %v, want %v", tc.name, got, tc.want)
		}
	}
}
