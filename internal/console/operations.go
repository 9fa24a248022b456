package console

import (
	"errors"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/admin"
	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/faults"
	"github.com/cosell/cosell/internal/quota"
	"github.com/cosell/cosell/internal/s3bucket"
)

// Operations: the levers a test harness pulls, each through the same code
// the admin API uses — fault rules (faults.Injector), the event chaos
// knobs (admin.Events), request quotas, resets (admin.Resetter) — and what
// the server holds: the ACE buckets' files and the accounts with their
// keys.

// maxFileShown bounds how much of an ACE file the page prints.
const maxFileShown = 64 << 10

func (c *console) operationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"operations", c.operationsPage)
	mux.HandleFunc("POST "+Prefix+"operations/faults", c.addFault)
	mux.HandleFunc("POST "+Prefix+"operations/faults/remove", c.removeFault)
	mux.HandleFunc("POST "+Prefix+"operations/faults/clear", c.clearFaults)
	mux.HandleFunc("POST "+Prefix+"operations/chaos", c.setChaos)
	mux.HandleFunc("POST "+Prefix+"operations/quotas", c.switchQuotas)
	mux.HandleFunc("POST "+Prefix+"operations/reset", c.reset)
	mux.HandleFunc("POST "+Prefix+"operations/ace/export", c.aceExport)
	mux.HandleFunc("GET "+Prefix+"accounts", c.accountsPage)
	mux.HandleFunc("GET "+Prefix+"ace", c.acePage)
	mux.HandleFunc("GET "+Prefix+"ace/file", c.aceFile)
}

// shownRule is a fault rule as the page lists and edits it.
type shownRule struct {
	Index int
	faults.Rule
	Probability string // "" for always
	Latency     string // a Go duration, "" for none
}

func showRule(i int, rule faults.Rule) shownRule {
	r := shownRule{Index: i, Rule: rule}
	if rule.Probability != nil {
		r.Probability = strconv.FormatFloat(*rule.Probability, 'f', -1, 64)
	}
	if rule.Latency != 0 {
		r.Latency = time.Duration(rule.Latency).String()
	}
	return r
}

type operationsData struct {
	Rules       []shownRule
	Editing     *shownRule // the rule ?edit= names, loaded into the form
	Blank       shownRule  // what the form to add a rule starts with
	Chaos       chaos.Knobs
	QuotasKnown bool
	QuotasOn    bool
	Usage       []quota.Usage
	ErrorCodes  []string
}

// errorCodes a fault rule offers in its menu; the field takes any code.
var errorCodes = []string{"ThrottlingException", "InternalServerException", "ServiceQuotaExceededException", "AccessDeniedException", "ValidationException", "ResourceNotFoundException", "ConflictException"}

func (c *console) operationsPage(w http.ResponseWriter, r *http.Request) {
	d := operationsData{Chaos: c.cfg.Events.Chaos(), ErrorCodes: errorCodes, Blank: shownRule{Rule: faults.Rule{ErrorCode: "ThrottlingException"}}}
	for i, rule := range c.cfg.Faults.Rules() {
		d.Rules = append(d.Rules, showRule(i, rule))
	}
	if i, err := strconv.Atoi(r.URL.Query().Get("edit")); err == nil && i >= 0 && i < len(d.Rules) {
		d.Editing = &d.Rules[i]
	}
	if c.cfg.Quotas != nil {
		d.QuotasKnown, d.QuotasOn, d.Usage = true, c.cfg.Quotas.Enabled(), c.cfg.Quotas.Usage()
	}
	c.render(w, r, http.StatusOK, "operations", page{Title: "Operations", Nav: "operations", Data: &d})
}

// ruleOf reads a fault rule from the form; empty fields match anything.
func ruleOf(r *http.Request) (faults.Rule, error) {
	f := r.PostForm
	rule := faults.Rule{
		Service: strings.TrimSpace(f.Get("service")), Operation: strings.TrimSpace(f.Get("operation")),
		Account: strings.TrimSpace(f.Get("ruleAccount")), Region: strings.TrimSpace(f.Get("region")),
		ErrorCode: strings.TrimSpace(f.Get("errorCode")),
	}
	if v := strings.TrimSpace(f.Get("statusCode")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return rule, errors.New("status code: want a number such as 503")
		}
		rule.StatusCode = n
	}
	if v := strings.TrimSpace(f.Get("probability")); v != "" {
		p, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return rule, errors.New("probability: want a number from 0 to 1")
		}
		rule.Probability = &p
	}
	if v := strings.TrimSpace(f.Get("latency")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return rule, errors.New(`latency: want a Go duration such as "250ms"`)
		}
		rule.Latency = faults.Duration(d)
	}
	return rule, nil
}

// addFault adds the form's rule, or with "replace" set puts it in place
// of the rule at that index, keeping the evaluation order.
func (c *console) addFault(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	rule, err := ruleOf(r)
	if err != nil {
		done(w, r, Prefix+"operations", "", err)
		return
	}
	replace := r.PostForm.Get("replace")
	if replace == "" {
		done(w, r, Prefix+"operations", "fault rule added", c.cfg.Faults.Add([]faults.Rule{rule}))
		return
	}
	rules := c.cfg.Faults.Rules()
	i, err := strconv.Atoi(replace)
	if err != nil || i < 0 || i >= len(rules) {
		done(w, r, Prefix+"operations", "", errors.New("that rule is gone; the list has changed since the page was drawn"))
		return
	}
	rules[i] = rule
	done(w, r, Prefix+"operations", "fault rule saved", c.cfg.Faults.Set(rules))
}

// removeFault removes the rule at the form's index, as listed when the
// page was drawn; a list that changed since is refused rather than
// guessed at.
func (c *console) removeFault(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	rules := c.cfg.Faults.Rules()
	i, err := strconv.Atoi(r.PostForm.Get("index"))
	if err != nil || i < 0 || i >= len(rules) {
		done(w, r, Prefix+"operations", "", errors.New("that rule is gone; the list has changed since the page was drawn"))
		return
	}
	done(w, r, Prefix+"operations", "fault rule removed", c.cfg.Faults.Remove(rules[i:i+1]))
}

func (c *console) clearFaults(w http.ResponseWriter, r *http.Request) {
	done(w, r, Prefix+"operations", "every fault rule removed", c.cfg.Faults.Set(nil))
}

func (c *console) setChaos(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	var k chaos.Knobs
	var err error
	num := func(name string) float64 {
		v, perr := strconv.ParseFloat(strings.TrimSpace(f.Get(name)), 64)
		if perr != nil && strings.TrimSpace(f.Get(name)) != "" {
			err = errors.Join(err, errors.New(name+": want a number"))
		}
		return v
	}
	k.Duplicate = num("duplicate")
	k.DropThenRedeliver = num("dropThenRedeliver")
	k.ReorderWindow = int(num("reorderWindow"))
	k.Seed = uint64(num("seed"))
	if v := strings.TrimSpace(f.Get("delay")); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil {
			err = errors.Join(err, errors.New(`delay: want a Go duration such as "2s"`))
		}
		k.Delay = chaos.Duration(d)
	}
	if f.Get("off") != "" {
		k, err = chaos.Knobs{}, nil
	}
	if err == nil {
		err = c.cfg.Events.SetChaos(r.Context(), k)
	}
	done(w, r, Prefix+"operations", "event chaos knobs set", err)
}

func (c *console) switchQuotas(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	if c.cfg.Quotas == nil {
		done(w, r, Prefix+"operations", "", errors.New("this server has no quota limiter"))
		return
	}
	on := r.PostForm.Get("enabled") == "on"
	c.cfg.Quotas.SetEnabled(on)
	state := "off"
	if on {
		state = "on: AWS's per-account request quotas apply"
	}
	done(w, r, Prefix+"operations", "quotas "+state, nil)
}

// reset empties the server or one account's catalog. The form asks the
// user to type what is being reset, so a stray click resets nothing.
func (c *console) reset(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	account, catalog, confirm := f.Get("account"), f.Get("catalog"), strings.TrimSpace(f.Get("confirm"))
	if f.Get("scope") == "all" {
		if confirm != "everything" {
			done(w, r, Prefix+"operations", "", errors.New(`nothing was reset: type "everything" to confirm a whole reset`))
			return
		}
		done(w, r, Prefix+"operations", "the whole server was reset", c.cfg.Reset.ResetAll(r.Context()))
		return
	}
	if confirm != account {
		done(w, r, Prefix+"operations", "", errors.New("nothing was reset: type the account id ("+account+") to confirm"))
		return
	}
	err := c.cfg.Reset.ResetScope(r.Context(), account, catalog)
	done(w, r, Prefix+"operations", "account "+account+"'s "+catalog+" catalog was reset", err)
}

func (c *console) accountsPage(w http.ResponseWriter, r *http.Request) {
	var buckets []admin.Bucket
	if c.cfg.Exchange != nil {
		buckets = c.cfg.Exchange.Buckets()
	}
	c.render(w, r, http.StatusOK, "accounts", page{Title: "Accounts", Nav: "accounts", Data: map[string]any{"Buckets": buckets, "Region": c.cfg.Region, "Endpoint": "http://" + r.Host}})
}

// aceFolder is one folder of a bucket with its files.
type aceFolder struct {
	Name  string
	Files []s3bucket.ObjectInfo
}

type aceData struct {
	Buckets []admin.Bucket
	Bucket  string
	Folders []aceFolder
}

// acePage answers GET /console/ace?bucket=: the buckets, and one bucket's
// files by folder (the exchange's inbound, results and outbound folders).
func (c *console) acePage(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Exchange == nil || c.cfg.Objects == nil {
		c.render(w, r, http.StatusOK, "ace", page{Title: "ACE buckets", Nav: "ace", Data: &aceData{}})
		return
	}
	d := aceData{Buckets: c.cfg.Exchange.Buckets(), Bucket: r.URL.Query().Get("bucket")}
	if d.Bucket != "" {
		if !c.knownBucket(d.Bucket) {
			c.render(w, r, http.StatusNotFound, "notfound", page{Title: "No such bucket", Error: "no ACE bucket named " + d.Bucket})
			return
		}
		objects, err := c.cfg.Objects.ListObjects(r.Context(), d.Bucket, "")
		if err != nil {
			c.failed(w, r, http.StatusInternalServerError, err)
			return
		}
		byFolder := map[string]*aceFolder{}
		for _, o := range objects {
			dir := path.Dir(o.Key)
			if byFolder[dir] == nil {
				byFolder[dir] = &aceFolder{Name: dir}
			}
			byFolder[dir].Files = append(byFolder[dir].Files, o)
		}
		for _, f := range byFolder {
			d.Folders = append(d.Folders, *f)
		}
		sort.Slice(d.Folders, func(i, j int) bool { return d.Folders[i].Name < d.Folders[j].Name })
	}
	c.render(w, r, http.StatusOK, "ace", page{Title: "ACE buckets", Nav: "ace", Data: &d})
}

func (c *console) knownBucket(name string) bool {
	for _, b := range c.cfg.Exchange.Buckets() {
		if b.Name == name {
			return true
		}
	}
	return false
}

// aceFile answers GET /console/ace/file?bucket=&key=: one file's content,
// such as a result file saying what became of an inbound record.
func (c *console) aceFile(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
	if c.cfg.Objects == nil || c.cfg.Exchange == nil || !c.knownBucket(bucket) {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "No such bucket", Error: "no ACE bucket named " + bucket})
		return
	}
	body, info, err := c.cfg.Objects.GetObject(r.Context(), bucket, key)
	if err != nil {
		c.render(w, r, http.StatusNotFound, "notfound", page{Title: "No such file", Error: err.Error()})
		return
	}
	truncated := len(body) > maxFileShown
	body = body[:min(len(body), maxFileShown)]
	c.render(w, r, http.StatusOK, "acefile", page{Title: key, Nav: "ace", Data: map[string]any{
		"Bucket": bucket, "Key": key, "Info": info, "Body": string(body), "JSON": prettyJSON(body), "Truncated": truncated,
	}})
}

func (c *console) aceExport(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	if c.cfg.Exchange == nil {
		done(w, r, Prefix+"ace", "", errors.New("this server has no ACE exchange"))
		return
	}
	out, err := c.cfg.Exchange.Export(r.Context(), r.PostForm.Get("account"), r.PostForm.Get("catalog"))
	msg := ""
	if err == nil {
		msg = "exported " + strconv.Itoa(out.Opportunities) + " opportunities and " + strconv.Itoa(out.Leads) + " leads to " + out.Bucket
	}
	done(w, r, Prefix+"ace?bucket="+r.PostForm.Get("bucket"), msg, err)
}
