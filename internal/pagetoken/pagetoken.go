// Package pagetoken makes the opaque NextToken values list operations return.
// A token carries the position to resume from and is bound, by an HMAC, to
// the request it continues (caller, catalog, operation, filters and sort):
// a tampered token, or one replayed with a different request, is refused.
package pagetoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cosell/cosell/internal/apierr"
)

// prefix mimics the look of real Partner Central tokens ("AAMA-...") so code
// that logs or length-checks tokens sees something familiar.
const prefix = "AAMA-"

const macSize = 16

// ErrInvalid means the token was not made by this server for this request.
var ErrInvalid = errors.New("pagetoken: invalid token")

// Codec signs and checks tokens with one server key.
type Codec struct {
	key []byte
}

// New returns a codec keyed by key (at least 32 random bytes).
func New(key []byte) *Codec { return &Codec{key: append([]byte(nil), key...)} }

// Encode returns a token holding state, bound to binding — a string that
// identifies the request the token continues.
func (c *Codec) Encode(binding string, state any) (string, error) {
	body, err := json.Marshal(state)
	if err != nil {
		return "", err
	}
	raw := append(body, c.mac(binding, body)...)
	return prefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

// Decode checks token against binding and unmarshals its state into out.
func (c *Codec) Decode(binding, token string, out any) error {
	rest, ok := strings.CutPrefix(token, prefix)
	if !ok {
		return ErrInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) <= macSize {
		return ErrInvalid
	}
	body, sum := raw[:len(raw)-macSize], raw[len(raw)-macSize:]
	if !hmac.Equal(sum, c.mac(binding, body)) {
		return ErrInvalid
	}
	if err := json.Unmarshal(body, out); err != nil {
		return ErrInvalid
	}
	return nil
}

func (c *Codec) mac(binding string, body []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	h.Write([]byte(binding))
	h.Write([]byte{0})
	h.Write(body)
	return h.Sum(nil)[:macSize]
}

// Binding identifies a list request for its NextTokens: the caller, the
// catalog, the operation and every filter and sort. strip clears, on a
// copy of the request, the members that may change from page to page
// (NextToken, MaxResults).
func Binding[R any](account, catalog, operation string, in *R, strip func(*R)) (string, error) {
	req := *in
	strip(&req)
	b, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("pagetoken: bind %s: %w", operation, err)
	}
	return account + "\x00" + catalog + "\x00" + operation + "\x00" + string(b), nil
}

// Invalid is the ValidationException both APIs answer for a NextToken
// that is malformed, tampered with, or from another request.
func Invalid() error {
	return apierr.RequestInvalid(apierr.FieldError{
		FieldName: "nextToken", Code: apierr.CodeInvalidValue,
		Message: "The NextToken is invalid or does not belong to this request; start the listing again without a NextToken.",
	})
}
