package account

import (
	"context"

	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// once runs do in a write transaction; with a client token, at most once
// per (scope, operation, token), replaying the first answer to a retry.
// For operations whose ClientToken is optional: without one every request
// runs.
func once[Out any](ctx context.Context, s *Service, scope store.Scope, op string, token *string, request any, do func(tx store.Tx) (*Out, error)) (*Out, error) {
	if token != nil && *token != "" {
		return idempotency.Run(ctx, s.store, s.now(), scope, op, *token, request, do)
	}
	var out *Out
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = do(tx)
		return err
	})
	return out, err
}
