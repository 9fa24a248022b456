// Package console is cosell's web console: server-rendered pages, under
// Prefix on the API port, where an engineer sees what an integration did
// (the pipeline, one opportunity's history, the live events) and acts as
// AWS by clicking. It knows no domain of its own: every read calls a
// domain's exported method and every action calls the same code the admin
// API calls (admin.AwsSide, the fault injector, the resetter, ...), so a
// click and a curl line do exactly the same thing.
//
// It is an admin tool: it signs in with the admin token, keeps the session
// in an HttpOnly SameSite=Strict cookie, and refuses cross-origin writes
// (http.CrossOriginProtection), so no other site can drive it through a
// signed-in browser.
package console

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/benefits"
	"github.com/cosell/cosell/internal/channel"
	"github.com/cosell/cosell/internal/faults"
	"github.com/cosell/cosell/internal/quota"
	"github.com/cosell/cosell/internal/revenue"
	"github.com/cosell/cosell/internal/s3bucket"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/sqsqueue"
	"github.com/cosell/cosell/internal/store"
)

// Prefix is the path every console page lives under.
const Prefix = "/console/"

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config is what the console shows and drives. Token "" serves only a page
// that says how to turn the console on; every other field may then be nil.
type Config struct {
	Token    string // the admin token, which is also the console's password
	Region   string
	Accounts []auth.Account
	Clock    admin.Clock
	Selling  *selling.Service  // reads: the Selling API's own operations
	Aws      admin.AwsSide     // the AWS side's actions, as the admin API runs them
	Events   admin.Events      // the live stream and the webhooks' delivery state
	Outbox   store.EventReader // the newest events, read once per page
	Queues   Queues            // the accounts' SQS queues; optional
	Faults   *faults.Injector
	Reset    admin.Resetter
	Quotas   Quotas
	Exchange admin.Exchange
	Objects  Objects
	Logger   *slog.Logger

	// Optional APIs: their pages say "not served" when these are nil.
	Channel      *channel.Service  // reads, as an account's own List calls
	ChannelSide  admin.ChannelSide // AWS answering handshakes, as the admin API does
	Revenue      *revenue.Service
	RevenueSide  admin.RevenueSide
	Benefits     *benefits.Service
	BenefitsSide admin.BenefitsSide
}

// Quotas is the request quota limiter as the console shows and switches it.
type Quotas interface {
	Enabled() bool
	SetEnabled(bool)
	Usage() []quota.Usage
}

// Queues says where each account's SQS event queue stands.
type Queues interface {
	Status(ctx context.Context, account string) (sqsqueue.Status, error)
}

// Objects reads the ACE buckets' files.
type Objects interface {
	ListObjects(ctx context.Context, bucket, prefix string) ([]s3bucket.ObjectInfo, error)
	GetObject(ctx context.Context, bucket, key string) ([]byte, s3bucket.ObjectInfo, error)
}

// sessionCookie holds the signed-in browser's session.
const sessionCookie = "cosell_console"

// maxForm bounds a posted form; the largest is a referral's JSON payload.
const maxForm = 256 << 10

// Mount serves the console on mux: its pages under Prefix and a redirect
// from "/" for browsers. Requests to "/" that are not a browser's (signed,
// or with a query, as SQS's and S3's are) go to aws, which serves "/"
// otherwise.
func Mount(mux *http.ServeMux, cfg Config, aws http.Handler) error {
	h, err := New(cfg)
	if err != nil {
		return err
	}
	mux.Handle(Prefix, h)
	mux.Handle("GET "+strings.TrimSuffix(Prefix, "/"), http.RedirectHandler(Prefix, http.StatusSeeOther))
	mux.Handle("GET /{$}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.URL.RawQuery != "" {
			aws.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
	}))
	return nil
}

// console is the handler's state.
type console struct {
	cfg     Config
	pages   map[string]*template.Template
	session string // the cookie value a signed-in browser holds
}

// New returns the console's handler, to be mounted at Prefix.
func New(cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &console{cfg: cfg, pages: pages}
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", cacheFor(time.Hour, http.FileServerFS(static))))
	if cfg.Token == "" {
		mux.HandleFunc(Prefix, c.off)
		return securityHeaders(mux), nil
	}
	if cfg.Clock == nil || cfg.Selling == nil || cfg.Aws == nil || cfg.Events == nil || cfg.Outbox == nil || cfg.Faults == nil || cfg.Reset == nil {
		return nil, errors.New("console: with a token it needs the clock, the Selling domain, the AWS side, the events, faults and reset")
	}
	c.session = sessionValue(cfg.Token)
	mux.HandleFunc("GET "+Prefix+"login", c.loginPage)
	mux.HandleFunc("POST "+Prefix+"login", c.login)
	mux.HandleFunc("POST "+Prefix+"logout", c.logout)
	signedIn := http.NewServeMux()
	c.pipelineRoutes(signedIn)
	c.opportunityRoutes(signedIn)
	c.awsRoutes(signedIn)
	c.channelRoutes(signedIn)
	c.revenueRoutes(signedIn)
	c.benefitsRoutes(signedIn)
	c.eventRoutes(signedIn)
	c.operationRoutes(signedIn)
	signedIn.HandleFunc(Prefix+"{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"pipeline", http.StatusSeeOther)
	})
	signedIn.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "Not found"})
	})
	mux.Handle(Prefix, c.requireSession(signedIn))
	// Cross-origin writes are refused before any handler runs, the login
	// form included (a forged login would sign the victim in as someone
	// else; here it would only be the same admin, but the rule is simple).
	protect := http.NewCrossOriginProtection()
	protect.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "cross-origin request refused: the console only accepts forms from its own pages", http.StatusForbidden)
	}))
	return securityHeaders(protect.Handler(mux)), nil
}

// sessionValue derives the cookie from the token, so the cookie is not the
// token itself and a restart with the same token keeps browsers signed in.
func sessionValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("cosell console session v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (c *console) signedIn(r *http.Request) bool {
	ck, err := r.Cookie(sessionCookie)
	return err == nil && subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.session)) == 1
}

// requireSession sends a browser without a session to the login page, or
// answers 401 to a script or a form post.
func (c *console) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.signedIn(r) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet && r.Header.Get("Accept") != "text/event-stream" {
			http.Redirect(w, r, Prefix+"login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		http.Error(w, "sign in to the console first", http.StatusUnauthorized)
	})
}

func (c *console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", page{Title: "Sign in", Data: safeNext(r.URL.Query().Get("next"))})
}

func (c *console) login(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(c.cfg.Token)) != 1 {
		c.render(w, r, http.StatusForbidden, "login", page{Title: "Sign in", Error: "That is not the admin token this server was started with.", Data: next})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: c.session, Path: Prefix, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *console) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix + "pipeline"
	}
	return next
}

// off is the whole console when no admin token is configured.
func (c *console) off(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "off", page{Title: "Console off"})
}

// securityHeaders keep the pages from being framed by other sites or
// running anything but their own script.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, max-age="+itoa(int(d.Seconds())))
		next.ServeHTTP(w, r)
	})
}

// parseForm reads a posted form, answering 400 when it cannot.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "form: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

// done sends the browser back to a page after an action (post, redirect,
// get), with the outcome in the query for the page to show.
func done(w http.ResponseWriter, r *http.Request, back string, msg string, err error) {
	u, perr := url.Parse(back)
	if perr != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, Prefix) {
		u, _ = url.Parse(Prefix + "pipeline")
	}
	q := u.Query()
	q.Del("ok")
	q.Del("error")
	if err != nil {
		q.Set("error", describe(err))
	} else {
		q.Set("ok", msg)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// describe is an error as a person reads it: a domain error's message and
// the fields it names.
func describe(err error) string {
	e, ok := apierr.As(err)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		b.WriteString(" — " + f.FieldName + ": " + f.Message)
	}
	return b.String()
}
