package selling

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// conflictingToken is the message the model documents for a client token
// reused with a different request body.
const conflictingToken = "Conflicting client token submitted for a new request body."

// once runs do at most once per (scope, operation, client token), inside tx.
// A retry of the same request gets the first response back in out; the same
// token with a different request is a ConflictException. The remembered
// response commits together with the change it describes.
func once[Out any](ctx context.Context, tx store.Tx, now time.Time, scope store.Scope, operation, token string, request any, do func() (*Out, error)) (*Out, error) {
	hash, err := requestHash(request)
	if err != nil {
		return nil, internal("hash request", err)
	}
	prev, err := tx.GetIdempotency(ctx, scope, operation, token)
	switch {
	case err == nil:
		if prev.RequestHash != hash {
			return nil, apierr.Conflict(conflictingToken)
		}
		out := new(Out)
		if err := json.Unmarshal(prev.Response, out); err != nil {
			return nil, internal("decode remembered response", err)
		}
		return out, nil
	case !errors.Is(err, store.ErrNotFound):
		return nil, internal("get idempotency record", err)
	}
	out, err := do()
	if err != nil {
		return nil, err
	}
	resp, err := json.Marshal(out)
	if err != nil {
		return nil, internal("encode response", err)
	}
	rec := &store.Idempotency{Scope: scope, Operation: operation, Token: token, RequestHash: hash, Response: resp, CreatedAt: now}
	if err := tx.PutIdempotency(ctx, rec); err != nil {
		return nil, internal("put idempotency record", err)
	}
	return out, nil
}

// idempotent is an operation with a client token: do runs in a write
// transaction at most once per (scope, operation, token), with once's
// replay and conflict rules.
func idempotent[Out any](ctx context.Context, s *Service, scope store.Scope, operation, token string, request any, do func(tx store.Tx) (*Out, error)) (*Out, error) {
	var out *Out
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = once(ctx, tx, s.now(), scope, operation, token, request, func() (*Out, error) { return do(tx) })
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
