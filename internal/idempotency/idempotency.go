// Package idempotency makes operations with a client token run at most
// once: a retry of the same request gets the first answer back, the same
// token with a different request is a ConflictException.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// ConflictingToken is the message the model documents for a client token
// reused with a different request body.
const ConflictingToken = "Conflicting client token submitted for a new request body."

// Once runs do at most once per (scope, operation, client token), inside tx.
// A retry of the same request gets the first response back in out; the same
// token with a different request is a ConflictException. The remembered
// response commits together with the change it describes.
func Once[Out any](ctx context.Context, tx store.Tx, now time.Time, scope store.Scope, operation, token string, request any, do func() (*Out, error)) (*Out, error) {
	hash, err := requestHash(request)
	if err != nil {
		return nil, fmt.Errorf("idempotency: hash request: %w", err)
	}
	prev, err := tx.GetIdempotency(ctx, scope, operation, token)
	switch {
	case err == nil:
		if prev.RequestHash != hash {
			return nil, apierr.Conflict(ConflictingToken)
		}
		out := new(Out)
		if err := json.Unmarshal(prev.Response, out); err != nil {
			return nil, fmt.Errorf("idempotency: decode remembered response: %w", err)
		}
		return out, nil
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("idempotency: get idempotency record: %w", err)
	}
	out, err := do()
	if err != nil {
		return nil, err
	}
	resp, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("idempotency: encode response: %w", err)
	}
	rec := &store.Idempotency{Scope: scope, Operation: operation, Token: token, RequestHash: hash, Response: resp, CreatedAt: now}
	if err := tx.PutIdempotency(ctx, rec); err != nil {
		return nil, fmt.Errorf("idempotency: put idempotency record: %w", err)
	}
	return out, nil
}

// Run runs do in a write transaction of st at most once per (scope,
// operation, token), with Once's replay and conflict rules.
func Run[Out any](ctx context.Context, st store.Store, now time.Time, scope store.Scope, operation, token string, request any, do func(tx store.Tx) (*Out, error)) (*Out, error) {
	var out *Out
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = Once(ctx, tx, now, scope, operation, token, request, func() (*Out, error) { return do(tx) })
		return err
	})
	return out, err
}

func requestHash(request any) (string, error) {
	b, err := json.Marshal(request)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
