// Package webhook delivers events to HTTP receivers a partner configures:
// each event is POSTed as its EventBridge JSON, signed with the webhook's
// secret, and a 2xx answer acknowledges it. The configurations are kept
// in the store, so they survive restarts.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/events/pattern"
	"github.com/cosell/cosell/internal/store"
)

// Headers of every delivery.
const (
	HeaderSignature  = "X-Cosell-Signature" // "sha256=" + hex HMAC-SHA256 of the body keyed with the secret
	HeaderEventID    = "X-Cosell-Event-Id"
	HeaderDetailType = "X-Cosell-Detail-Type"
	HeaderSeq        = "X-Cosell-Seq" // the event's position in the outbox, for deduplication and ordering
)

// Errors callers tell apart.
var (
	ErrInvalid  = errors.New("webhook: invalid configuration")
	ErrNotFound = errors.New("webhook: no such webhook")
)

// Config is one webhook.
type Config struct {
	ID      string          `json:"id"`
	Account string          `json:"account"`
	URL     string          `json:"url"`
	Secret  string          `json:"secret,omitempty"`
	Pattern json.RawMessage `json:"pattern,omitempty"` // an EventBridge pattern (see package pattern); absent matches every event
}

var validID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Validate checks c and returns its parsed pattern.
func (c Config) Validate() (pattern.Pattern, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
	}
	if !validID.MatchString(c.ID) {
		return pattern.Pattern{}, bad("id %q: want 1 to 64 letters, digits, '.', '_' or '-'", c.ID)
	}
	if c.Account == "" {
		return pattern.Pattern{}, bad("account is required: a webhook receives one account's events")
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return pattern.Pattern{}, bad("url %q: want an absolute http or https URL", c.URL)
	}
	if c.Secret == "" {
		return pattern.Pattern{}, bad("secret is required: receivers check the signature made with it")
	}
	p, err := pattern.Parse(c.Pattern)
	if err != nil {
		return pattern.Pattern{}, bad("%v", err)
	}
	return p, nil
}

// SettingName holds every webhook as one JSON list in the server scope:
// the store has no listing of settings, and the list is small.
const SettingName = "events-webhooks"

// Load returns the configured webhooks, ordered by ID.
func Load(ctx context.Context, r store.Reader) ([]Config, error) {
	var all []Config
	if _, err := store.ReadJSONSetting(ctx, r, store.Scope{}, SettingName, &all); err != nil {
		return nil, fmt.Errorf("webhook: stored configuration: %w", err)
	}
	return all, nil
}

// Put adds or replaces c inside tx, and reports whether it replaced one.
func Put(ctx context.Context, tx store.Tx, c Config) (replaced bool, err error) {
	if _, err := c.Validate(); err != nil {
		return false, err
	}
	all, err := Load(ctx, tx)
	if err != nil {
		return false, err
	}
	i, found := slices.BinarySearchFunc(all, c.ID, func(w Config, id string) int { return strings.Compare(w.ID, id) })
	if found {
		all[i] = c
	} else {
		all = slices.Insert(all, i, c)
	}
	return found, save(ctx, tx, all)
}

// Delete removes the webhook id inside tx.
func Delete(ctx context.Context, tx store.Tx, id string) error {
	all, err := Load(ctx, tx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(w Config) bool { return w.ID == id })
	if i < 0 {
		return ErrNotFound
	}
	return save(ctx, tx, slices.Delete(all, i, i+1))
}

func save(ctx context.Context, tx store.Tx, all []Config) error {
	return store.WriteJSONSetting(ctx, tx, store.Scope{}, SettingName, all)
}

// Sign is the value of HeaderSignature for body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// DefaultTimeout bounds one delivery: a receiver that hangs counts as a
// failure and is retried, rather than stalling its webhook forever.
const DefaultTimeout = 10 * time.Second

// Sink POSTs events to one webhook.
type Sink struct {
	URL    string
	Secret string
	Client *http.Client // nil: a client with DefaultTimeout
}

// Deliver sends e; only a 2xx answer acknowledges it.
func (s *Sink) Deliver(ctx context.Context, e store.Event) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(e.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cosell-events")
	req.Header.Set(HeaderSignature, Sign(s.Secret, e.Body))
	req.Header.Set(HeaderEventID, e.ID)
	req.Header.Set(HeaderDetailType, e.DetailType)
	req.Header.Set(HeaderSeq, strconv.FormatInt(e.Seq, 10))
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	// Read a little of the answer so the connection can be reused, and to
	// say why a receiver refused.
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s: %s", res.Status, bytes.TrimSpace(answer))
	}
	return nil
}
