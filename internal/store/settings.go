package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// ReadJSONSetting decodes the setting name of scope into v. found is
// false, and v untouched, when the setting was never written.
func ReadJSONSetting(ctx context.Context, r Reader, scope Scope, name string, v any) (found bool, err error) {
	raw, err := r.GetSetting(ctx, scope, name)
	if errors.Is(err, ErrNotFound) || (err == nil && raw == "") {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("store: setting %s: %w", name, err)
	}
	return true, nil
}

// WriteJSONSetting stores v, encoded as JSON, as the setting name of scope.
func WriteJSONSetting(ctx context.Context, tx Tx, scope Scope, name string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: setting %s: %w", name, err)
	}
	return tx.PutSetting(ctx, scope, name, string(raw))
}
