// Package admin is cosell's own API beside the AWS ones: controls a test
// harness needs and AWS does not have, such as moving the server clock to
// expire invitations. It lives under Prefix, is off unless a token is
// configured, and speaks plain JSON rather than an AWS protocol, so AWS
// SDKs never reach it by accident.
package admin

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/faults"
)

// Prefix is the path every admin route lives under.
const Prefix = "/_cosell/"

// maxBody bounds a request body; admin requests are small commands.
const maxBody = 64 << 10

// Clock is the server clock as the admin API moves it: forward only.
type Clock interface {
	Now() time.Time
	Advance(time.Duration)
}

// Config is what the admin API controls and who may use it.
type Config struct {
	// Token is the bearer token every request must carry; it must not be empty.
	Token string
	Clock Clock
	Mail  Mailbox // optional: without it there is no mail route
	Aws   AwsSide // optional: without it there are no /_cosell/aws/ routes
	// Benefits is optional: without it there are no /_cosell/aws/benefits/ routes.
	Benefits BenefitsSide
	// Faults and Reset are optional: without them there are no faults and
	// reset routes.
	Faults *faults.Injector
	Reset  Resetter
	// Events is optional: without it there are no event, webhook or chaos routes.
	Events Events
	// Exchange is optional: without it there are no /_cosell/aws/ace/ routes.
	Exchange Exchange
	// Channel is optional: without it there are no /_cosell/aws/channel/ routes.
	Channel ChannelSide
	// Revenue is optional: without it there are no /_cosell/aws/revenue/ routes.
	Revenue RevenueSide
}

// New returns the admin API's handler, to be mounted at Prefix.
func New(cfg Config) (http.Handler, error) {
	if cfg.Token == "" {
		return nil, errors.New("admin: an empty token would let anyone in")
	}
	if cfg.Clock == nil {
		return nil, errors.New("admin: no clock to control")
	}
	mux := http.NewServeMux()
	// One line per route; each area keeps its handlers in its own file.
	mux.HandleFunc("GET "+Prefix+"clock", getClock(cfg.Clock))
	mux.HandleFunc("POST "+Prefix+"clock", moveClock(cfg.Clock))
	if cfg.Mail != nil {
		mux.HandleFunc("GET "+Prefix+"mail", getMail(cfg.Mail))
	}
	if cfg.Aws != nil {
		awsRoutes(mux, cfg.Aws)
	}
	if cfg.Exchange != nil {
		aceRoutes(mux, cfg.Exchange)
	}
	if cfg.Channel != nil {
		channelRoutes(mux, cfg.Channel)
	}
	if cfg.Revenue != nil {
		revenueRoutes(mux, cfg.Revenue)
	}
	if cfg.Benefits != nil {
		benefitsRoutes(mux, cfg.Benefits)
	}
	if cfg.Events != nil {
		mux.HandleFunc("GET "+Prefix+"events", listEvents(cfg.Events))
		mux.HandleFunc("GET "+Prefix+"events/stream", StreamEvents(cfg.Events))
		mux.HandleFunc("GET "+Prefix+"events/chaos", getChaos(cfg.Events))
		mux.HandleFunc("PUT "+Prefix+"events/chaos", putChaos(cfg.Events))
		mux.HandleFunc("GET "+Prefix+"webhooks", listWebhooks(cfg.Events))
		mux.HandleFunc("PUT "+Prefix+"webhooks/{id}", putWebhook(cfg.Events))
		mux.HandleFunc("DELETE "+Prefix+"webhooks/{id}", deleteWebhook(cfg.Events))
	}
	if cfg.Faults != nil {
		faultRoutes(mux, cfg.Faults)
	}
	if cfg.Reset != nil {
		mux.HandleFunc("POST "+Prefix+"reset", reset(cfg.Reset))
	}
	mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no admin route "+r.Method+" "+r.URL.Path)
	})
	return RequireToken(cfg.Token, mux), nil
}

// OffMessage is what every admin route answers while the admin API is off.
const OffMessage = "the admin API is off: start cosell serve with --admin-token TOKEN (or COSELL_ADMIN_TOKEN)"

// Off answers every admin route while the API is off: 404 with a plain
// error saying how to turn it on, rather than letting the path fall
// through to an AWS endpoint whose protocol errors would only confuse.
func Off() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, OffMessage)
	})
}

// RequireToken lets through requests bearing the token: a missing token is
// 401, a wrong one 403. Other cosell routes (LocalStack's) share it.
func RequireToken(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch {
		case !ok || got == "":
			w.Header().Set("WWW-Authenticate", `Bearer realm="cosell admin"`)
			writeError(w, http.StatusUnauthorized, "missing Authorization: Bearer <admin token>")
		case subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1:
			writeError(w, http.StatusForbidden, "wrong admin token")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// readJSON decodes a request body strictly: unknown fields are mistakes
// worth reporting, not ignoring.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value in the body")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
