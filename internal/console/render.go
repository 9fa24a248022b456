package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/auth"
)

// page is what every template gets: the layout's parts and the page's own
// Data.
type page struct {
	Title    string
	Nav      string // the section the page belongs to, for the menu
	Scope    scope
	Accounts []auth.Account
	Now      string // the server clock
	OK       string // the outcome of the action that led here
	Error    string
	Data     any
}

// scope is the account and catalog a page looks at, from ?account=&catalog=.
type scope struct {
	Account string
	Catalog string
}

// Catalogs is what the catalog menu offers.
var catalogs = []string{"Sandbox", "AWS"}

// scopeOf reads the page's scope, defaulting to the first account and the
// Sandbox catalog, where integrations are built.
func (c *console) scopeOf(r *http.Request) scope {
	s := scope{Account: r.FormValue("account"), Catalog: r.FormValue("catalog")}
	if s.Account == "" && len(c.cfg.Accounts) > 0 {
		s.Account = c.cfg.Accounts[0].AccountID
	}
	if s.Catalog != "AWS" {
		s.Catalog = "Sandbox"
	}
	return s
}

// Query is the scope as URL parameters, for links.
func (s scope) Query() template.URL {
	return template.URL(url.Values{"account": {s.Account}, "catalog": {s.Catalog}}.Encode())
}

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// render writes a whole page: the layout around the page's "content".
func (c *console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	c.execute(w, r, status, name, "layout", p)
}

// execute writes one template of a page (the layout, or a fragment that
// a script swaps in), buffered so a failing template never sends half a
// page.
func (c *console) execute(w http.ResponseWriter, r *http.Request, status int, name, tmpl string, p page) {
	if p.Scope == (scope{}) {
		p.Scope = c.scopeOf(r)
	}
	p.Accounts = c.cfg.Accounts
	if c.cfg.Clock != nil {
		p.Now = c.cfg.Clock.Now().UTC().Format(time.RFC3339)
	}
	if p.OK == "" {
		p.OK = r.URL.Query().Get("ok")
	}
	if p.Error == "" {
		p.Error = r.URL.Query().Get("error")
	}
	var b bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&b, tmpl, p); err != nil {
		c.cfg.Logger.Error("console: render", "page", name, "err", err)
		http.Error(w, "the console could not draw this page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// failed renders a page that could not get its data.
func (c *console) failed(w http.ResponseWriter, r *http.Request, status int, err error) {
	c.render(w, r, status, "notfound", page{Title: "Something went wrong", Error: describe(err)})
}

var funcs = template.FuncMap{
	"json":  prettyJSON,
	"time":  formatTime,
	"badge": badgeClass,
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"query": func(pairs ...string) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] != "" {
				v.Set(pairs[i], pairs[i+1])
			}
		}
		return template.URL(v.Encode())
	},
	"pathEscape": url.PathEscape,
	"itoa":       itoa,
}

func itoa(n int) string { return strconv.Itoa(n) }

// prettyJSON indents a value, or raw JSON bytes, for a <pre>.
func prettyJSON(v any) string {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err.Error()
		}
		raw = b
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return string(raw)
	}
	return out.String()
}

func formatTime(t any) string {
	switch x := t.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05Z")
	case *time.Time:
		if x == nil {
			return ""
		}
		return x.UTC().Format("2006-01-02 15:04:05Z")
	}
	return fmt.Sprint(t)
}

// badgeClass names a review status's CSS class; the badge always shows
// the status in words too, so it reads without colour.
func badgeClass(status string) string {
	return "badge badge-" + strings.ToLower(strings.NewReplacer(" ", "-").Replace(status))
}
