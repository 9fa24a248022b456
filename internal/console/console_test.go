package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

// These tests drive the console over HTTP against a whole server, so what
// they check is what a browser gets: sign-in, the refusal of cross-origin
// writes, keyset paging, and that each form changes what the Selling API
// then answers (the console calls the same domain code as the admin API).

const (
	account = "111111111111"
	catalog = "Sandbox"
)

// browser is an HTTP client that keeps cookies and does not follow
// redirects, so a test sees each 303 and where it points.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form as the console's own pages do: same origin.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	return b.postFrom(b.base, path, form)
}

func (b *browser) postFrom(origin, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	return b.do(req)
}

// signIn signs the browser in with the server's admin token.
func (b *browser) signIn() {
	b.t.Helper()
	res, _ := b.post("/console/login", url.Values{"token": {servertest.AdminToken}, "next": {"/console/pipeline"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/pipeline" {
		b.t.Fatalf("sign in: HTTP %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// outcome is the message an action's redirect carries back to the page.
func outcome(t *testing.T, res *http.Response) (ok, failed string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("action answered HTTP %d, want a 303 back to the page", res.StatusCode)
	}
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("ok"), u.Query().Get("error")
}

func mustSucceed(t *testing.T, res *http.Response) string {
	t.Helper()
	ok, failed := outcome(t, res)
	if failed != "" {
		t.Fatalf("action failed: %s", failed)
	}
	return ok
}

// seeded starts a server over a data directory holding n generated
// opportunities of account in the Sandbox.
func seeded(t *testing.T, n int) *servertest.Server {
	t.Helper()
	dir := t.TempDir()
	if _, err := server.SeedOpportunities(context.Background(), server.Config{DataDir: dir}, account, catalog, n, nil); err != nil {
		t.Fatal(err)
	}
	return servertest.Start(t, server.Config{DataDir: dir})
}

func TestWithoutAnAdminTokenTheConsoleSaysHowToTurnItOn(t *testing.T) {
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	defer func() { stop(); <-done }()
	b := newBrowser(t, srv.URL())
	res, _ := b.get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/" {
		t.Fatalf("GET /: HTTP %d to %q, want a redirect to the console", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := b.get("/console/pipeline")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "--admin-token") {
		t.Fatalf("console without a token: HTTP %d\n%s", res.StatusCode, body)
	}
	res, _ = b.post("/console/login", url.Values{"token": {""}})
	if res.StatusCode == http.StatusSeeOther {
		t.Fatal("an empty token signed in to a console that is off")
	}
}

func TestSignIn(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())

	res, _ := b.get("/console/pipeline?account=" + account)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/login?next=") {
		t.Fatalf("signed out: HTTP %d to %q, want the login page", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = b.post("/console/aws/clock", url.Values{"advance": {"1h"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("signed-out action: HTTP %d, want 401", res.StatusCode)
	}
	res, body := b.post("/console/login", url.Values{"token": {"wrong"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "not the admin token") {
		t.Fatalf("wrong token: HTTP %d", res.StatusCode)
	}
	// A next outside the console is not followed.
	res, _ = b.post("/console/login", url.Values{"token": {servertest.AdminToken}, "next": {"//evil.example/"}})
	if res.Header.Get("Location") != "/console/pipeline" {
		t.Fatalf("redirected to %q after sign-in", res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "cosell_console" {
			session = c
		}
	}
	switch {
	case session == nil:
		t.Fatal("no session cookie")
	case !session.HttpOnly || session.SameSite != http.SameSiteStrictMode:
		t.Fatalf("session cookie %+v, want HttpOnly and SameSite=Strict", session)
	case session.Value == servertest.AdminToken:
		t.Fatal("the cookie is the admin token itself")
	}
	if res, _ := b.get("/console/pipeline"); res.StatusCode != http.StatusOK {
		t.Fatalf("signed in: HTTP %d", res.StatusCode)
	}
	b.post("/console/logout", nil)
	if res, _ := b.get("/console/pipeline"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after sign-out: HTTP %d, want the login page", res.StatusCode)
	}
}

// A page another site serves cannot make a signed-in browser act: the
// browser marks its requests cross-site, or names the other origin.
func TestCrossOriginFormsAreRefused(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())
	b.signIn()
	before := serverClock(t, srv)

	res, _ := b.postFrom("http://evil.example", "/console/aws/clock", url.Values{"advance": {"24h"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin: HTTP %d, want 403", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/console/aws/clock", strings.NewReader("advance=24h"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, _ := b.do(req); res.StatusCode != http.StatusForbidden {
		t.Fatalf("Sec-Fetch-Site cross-site: HTTP %d, want 403", res.StatusCode)
	}
	res, _ = b.postFrom("http://evil.example", "/console/login", url.Values{"token": {servertest.AdminToken}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin sign-in: HTTP %d, want 403", res.StatusCode)
	}
	// The clock follows real time; a refused form would have added a day.
	if after := serverClock(t, srv); after.Sub(before) > time.Hour {
		t.Fatalf("a refused form moved the clock: %s -> %s", before, after)
	}
	if ok := mustSucceed(t, first(b.post("/console/aws/clock", url.Values{"advance": {"24h"}}))); !strings.Contains(ok, "server clock is now") {
		t.Fatalf("same-origin form: %q", ok)
	}
	// An action never sends the browser off the console.
	for _, back := range []string{"http://evil.example/console/aws", "//evil.example/console/aws", "/elsewhere"} {
		res, _ := b.post("/console/aws/clock", url.Values{"advance": {"1s"}, "back": {back}})
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/console/") {
			t.Errorf("back %q redirected to %q", back, loc)
		}
	}
}

func serverClock(t *testing.T, srv *servertest.Server) time.Time {
	t.Helper()
	var c struct{ Now time.Time }
	if err := json.Unmarshal(srv.Admin(http.MethodGet, "/_cosell/clock", ""), &c); err != nil {
		t.Fatal(err)
	}
	return c.Now
}

func first(res *http.Response, _ string) *http.Response { return res }

var opportunityLink = regexp.MustCompile(`href="/console/opportunities/Sandbox/111111111111/(O[0-9]+)"`)
var nextLink = regexp.MustCompile(`rel="next" href="([^"]+)"`)

// The table pages by keyset through the domain's own NextToken: every
// opportunity once, 50 to a page, in the order asked for.
func TestTablePagesThroughEveryOpportunityOnce(t *testing.T) {
	srv := seeded(t, 120)
	b := newBrowser(t, srv.URL())
	b.signIn()
	seen := map[string]bool{}
	var order []string
	path := "/console/pipeline/table?account=" + account + "&catalog=Sandbox&sort=Identifier&order=ASCENDING"
	pages := 0
	for path != "" {
		pages++
		res, body := b.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page %d: HTTP %d\n%s", pages, res.StatusCode, body)
		}
		ids := opportunityLink.FindAllStringSubmatch(body, -1)
		if len(ids) > 50 {
			t.Fatalf("page %d has %d rows, want at most 50", pages, len(ids))
		}
		for _, m := range ids {
			if seen[m[1]] {
				t.Fatalf("%s listed twice", m[1])
			}
			seen[m[1]] = true
			order = append(order, m[1])
		}
		path = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 120 || pages != 3 {
		t.Fatalf("%d opportunities on %d pages, want 120 on 3", len(seen), pages)
	}
	for i := 1; i < len(order); i++ {
		if len(order[i]) < len(order[i-1]) || (len(order[i]) == len(order[i-1]) && order[i] < order[i-1]) {
			t.Fatalf("%s listed after %s in ascending identifier order", order[i], order[i-1])
		}
	}
}

func TestTableFiltersAsListOpportunitiesDoes(t *testing.T) {
	srv := seeded(t, 60)
	b := newBrowser(t, srv.URL())
	b.signIn()
	c := srv.SellingClient("test", "test")
	want, err := c.ListOpportunities(context.Background(), &api.ListOpportunitiesRequest{Catalog: catalog, MaxResults: ptr(int32(50)),
		LifeCycleReviewStatus: []api.ReviewStatus{api.ReviewStatusApproved}, LifeCycleStage: []api.Stage{api.StageProspect, api.StageLaunched}})
	if err != nil {
		t.Fatal(err)
	}
	_, body := b.get("/console/pipeline/table?account=" + account + "&catalog=Sandbox&review=Approved&stage=Prospect&stage=Launched")
	got := opportunityLink.FindAllStringSubmatch(body, -1)
	if len(got) != len(want.OpportunitySummaries) {
		t.Fatalf("table shows %d, ListOpportunities %d", len(got), len(want.OpportunitySummaries))
	}
	for i, s := range want.OpportunitySummaries {
		if got[i][1] != *s.Id {
			t.Fatalf("row %d is %s, ListOpportunities says %s", i, got[i][1], *s.Id)
		}
	}
	// A filter the model refuses gets the API's message, not a 500.
	res, body := b.get("/console/pipeline/table?account=" + account + "&catalog=Sandbox&modifiedAfter=yesterday")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "YYYY-MM-DD") {
		t.Fatalf("bad date: HTTP %d", res.StatusCode)
	}
	res, _ = b.get("/console/pipeline/table?account=" + account + "&catalog=Sandbox&stage=Nowhere")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown stage: HTTP %d, want 400", res.StatusCode)
	}
	res, _ = b.get("/console/pipeline/table?account=" + account + "&catalog=Sandbox&next=forged")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("forged page token: HTTP %d, want 400", res.StatusCode)
	}
}

func TestBoardShowsEachStageAndRedrawsAlone(t *testing.T) {
	srv := seeded(t, 40)
	b := newBrowser(t, srv.URL())
	b.signIn()
	res, body := b.get("/console/pipeline?account=" + account + "&catalog=Sandbox")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("board: HTTP %d", res.StatusCode)
	}
	for _, stage := range api.Stage("").Values() {
		if !strings.Contains(body, ">"+string(stage)+" <") {
			t.Errorf("no column for %s", stage)
		}
	}
	if n := len(opportunityLink.FindAllString(body, -1)); n == 0 || n > 7*12 {
		t.Fatalf("%d cards on the board", n)
	}
	_, fragment := b.get("/console/pipeline?account=" + account + "&catalog=Sandbox&fragment=1")
	if strings.Contains(fragment, "<html") || !strings.Contains(fragment, `class="board"`) {
		t.Fatalf("the fragment is not the board alone:\n%.300s", fragment)
	}
}

// submitted finds a Submitted opportunity through the table's filter.
func submitted(t *testing.T, b *browser) string {
	t.Helper()
	_, body := b.get("/console/pipeline/table?account=" + account + "&catalog=Sandbox&review=Submitted")
	m := opportunityLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no Submitted opportunity among the seeded ones")
	}
	return m[1]
}

func TestActionsGoThroughTheDomain(t *testing.T) {
	srv := seeded(t, 60)
	b := newBrowser(t, srv.URL())
	b.signIn()
	// No retries: a test that expects a throttled call must see it fail.
	c := srv.SellingClient("test", "test", func(o *sellingclient.Options) { o.Retry.MaxAttempts = 1 })
	ctx := context.Background()
	id := submitted(t, b)
	page := "/console/opportunities/Sandbox/" + account + "/" + id

	t.Run("review", func(t *testing.T) {
		ok := mustSucceed(t, first(b.post("/console/aws/review", url.Values{"catalog": {catalog}, "account": {account}, "id": {id}, "status": {"Approved"}, "back": {page}})))
		if ok != "AWS reviewed "+id+": Approved" {
			t.Fatalf("outcome %q", ok)
		}
		got, err := c.GetOpportunity(ctx, &api.GetOpportunityRequest{Catalog: catalog, Identifier: id})
		if err != nil {
			t.Fatal(err)
		}
		if *got.LifeCycle.ReviewStatus != api.ReviewStatusApproved {
			t.Fatalf("ReviewStatus %s after the console approved it", *got.LifeCycle.ReviewStatus)
		}
		// Approving again is the domain's conflict, shown on the page.
		if _, failed := outcome(t, first(b.post("/console/aws/review", url.Values{"catalog": {catalog}, "account": {account}, "id": {id}, "status": {"Approved"}, "back": {page}}))); !strings.Contains(failed, "is Approved") {
			t.Fatalf("second approval: error %q", failed)
		}
		_, body := b.get(page)
		if !strings.Contains(body, `id="review-status" class="badge badge-approved">Approved<`) {
			t.Fatal("the opportunity page does not show Approved")
		}
		if !strings.Contains(body, "<strong>Opportunity Updated</strong>") {
			t.Fatal("the opportunity page lists no Opportunity Updated event")
		}
	})

	t.Run("AWS fields", func(t *testing.T) {
		mustSucceed(t, first(b.post("/console/aws/summary", url.Values{"catalog": {catalog}, "account": {account}, "id": {id}, "back": {page},
			"summary": {`{"LifeCycle": {"NextSteps": "Console next steps"}}`}})))
		got, err := c.GetAwsOpportunitySummary(ctx, &api.GetAwsOpportunitySummaryRequest{Catalog: catalog, RelatedOpportunityIdentifier: id})
		if err != nil {
			t.Fatal(err)
		}
		if got.LifeCycle == nil || got.LifeCycle.NextSteps == nil || *got.LifeCycle.NextSteps != "Console next steps" {
			t.Fatalf("AWS summary life cycle %+v", got.LifeCycle)
		}
		if _, failed := outcome(t, first(b.post("/console/aws/summary", url.Values{"catalog": {catalog}, "account": {account}, "id": {id}, "summary": {`{"Nope": 1}`}}))); failed == "" {
			t.Fatal("an unknown AWS field was accepted")
		}
	})

	t.Run("referral and expiry", func(t *testing.T) {
		_, awsPage := b.get("/console/aws?account=" + account + "&catalog=Sandbox")
		sample := regexp.MustCompile(`(?s)<textarea id="referral-payload" name="payload"[^>]*>(.*?)</textarea>`).FindStringSubmatch(awsPage)
		if sample == nil {
			t.Fatal("no referral payload on the AWS page")
		}
		payload := strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(sample[1])
		ok := mustSucceed(t, first(b.post("/console/aws/refer", url.Values{"catalog": {catalog}, "account": {account}, "kind": {"opportunity"}, "payload": {payload}})))
		inv := regexp.MustCompile(`OpportunityInvitation (engi-[0-9a-z]+)`).FindStringSubmatch(ok)
		if inv == nil {
			t.Fatalf("referral outcome %q names no invitation", ok)
		}
		got, err := c.GetEngagementInvitation(ctx, &api.GetEngagementInvitationRequest{Catalog: catalog, Identifier: inv[1]})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == nil || *got.Status != api.InvitationStatusPending {
			t.Fatalf("referred invitation status %v, want PENDING", got.Status)
		}
		lead := regexp.MustCompile(`(?s)<template id="lead-sample">(.*?)</template>`).FindStringSubmatch(awsPage)
		if lead == nil {
			t.Fatal("no lead sample on the AWS page")
		}
		leadPayload := strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(lead[1])
		if ok := mustSucceed(t, first(b.post("/console/aws/refer", url.Values{"catalog": {catalog}, "account": {account}, "kind": {"lead"}, "payload": {leadPayload}}))); !strings.Contains(ok, "LeadInvitation") {
			t.Fatalf("lead referral outcome %q", ok)
		}
		mustSucceed(t, first(b.post("/console/aws/expire", url.Values{"catalog": {catalog}, "invitation": {inv[1]}})))
		got, err = c.GetEngagementInvitation(ctx, &api.GetEngagementInvitationRequest{Catalog: catalog, Identifier: inv[1]})
		if err != nil {
			t.Fatal(err)
		}
		if *got.Status != api.InvitationStatusExpired {
			t.Fatalf("expired invitation status %s", *got.Status)
		}
	})

	t.Run("fault rule", func(t *testing.T) {
		mustSucceed(t, first(b.post("/console/operations/faults", url.Values{"operation": {"ListSolutions"}, "errorCode": {"ThrottlingException"}})))
		_, err := c.ListSolutions(ctx, &api.ListSolutionsRequest{Catalog: catalog})
		if err == nil || !strings.Contains(err.Error(), "Throttling") {
			t.Fatalf("ListSolutions under a fault rule: %v", err)
		}
		// Editing puts the changed rule in its place: now it fails GetOpportunity instead.
		_, form := b.get("/console/operations?edit=0")
		if !strings.Contains(form, `name="replace" value="0"`) || !strings.Contains(form, `name="operation" value="ListSolutions"`) {
			t.Fatal("the edit form is not filled with the rule")
		}
		mustSucceed(t, first(b.post("/console/operations/faults", url.Values{"replace": {"0"}, "operation": {"GetOpportunity"}, "errorCode": {"InternalServerException"}, "latency": {"5ms"}})))
		if got := string(srv.Admin(http.MethodGet, "/_cosell/faults", "")); !strings.Contains(got, `"operation":"GetOpportunity"`) || strings.Contains(got, "ListSolutions") || !strings.Contains(got, `"latency":"5ms"`) {
			t.Fatalf("rules after the edit: %s", got)
		}
		if _, err := c.ListSolutions(ctx, &api.ListSolutionsRequest{Catalog: catalog}); err != nil {
			t.Fatalf("ListSolutions after its rule was edited away: %v", err)
		}
		mustSucceed(t, first(b.post("/console/operations/faults/clear", nil)))
		if _, err := c.ListSolutions(ctx, &api.ListSolutionsRequest{Catalog: catalog}); err != nil {
			t.Fatalf("after clearing the rules: %v", err)
		}
		if _, failed := outcome(t, first(b.post("/console/operations/faults", url.Values{"probability": {"2"}}))); failed == "" {
			t.Fatal("a probability of 2 was accepted")
		}
	})

	t.Run("chaos and quotas", func(t *testing.T) {
		mustSucceed(t, first(b.post("/console/operations/chaos", url.Values{"duplicate": {"0.5"}, "seed": {"7"}})))
		if got := string(srv.Admin(http.MethodGet, "/_cosell/events/chaos", "")); !strings.Contains(got, `"duplicate":0.5`) {
			t.Fatalf("chaos after the form: %s", got)
		}
		mustSucceed(t, first(b.post("/console/operations/chaos", url.Values{"off": {"1"}})))
		mustSucceed(t, first(b.post("/console/operations/quotas", url.Values{"enabled": {"on"}})))
		throttled := false
		for range 20 {
			_, err := c.ListSolutions(ctx, &api.ListSolutionsRequest{Catalog: catalog})
			throttled = throttled || (err != nil && strings.Contains(err.Error(), "Throttling"))
		}
		if !throttled {
			t.Fatal("20 reads at once with quotas on, none throttled (the read quota is 10 a second)")
		}
		_, body := b.get("/console/operations")
		if !strings.Contains(body, "<td>"+account+"</td><td>read</td>") {
			t.Fatal("the operations page shows no read usage for the account")
		}
		mustSucceed(t, first(b.post("/console/operations/quotas", nil)))
		for range 20 {
			if _, err := c.ListSolutions(ctx, &api.ListSolutionsRequest{Catalog: catalog}); err != nil {
				t.Fatalf("quotas off: %v", err)
			}
		}
	})

	t.Run("reset", func(t *testing.T) {
		if _, failed := outcome(t, first(b.post("/console/operations/reset", url.Values{"account": {account}, "catalog": {catalog}, "confirm": {"yes"}}))); failed == "" {
			t.Fatal("a reset without the account typed went through")
		}
		if _, err := c.GetOpportunity(ctx, &api.GetOpportunityRequest{Catalog: catalog, Identifier: id}); err != nil {
			t.Fatalf("the refused reset removed %s: %v", id, err)
		}
		mustSucceed(t, first(b.post("/console/operations/reset", url.Values{"account": {account}, "catalog": {catalog}, "confirm": {account}})))
		if _, err := c.GetOpportunity(ctx, &api.GetOpportunityRequest{Catalog: catalog, Identifier: id}); err == nil {
			t.Fatalf("%s is still there after the reset", id)
		}
	})
}

func TestPagesDraw(t *testing.T) {
	srv := seeded(t, 20)
	b := newBrowser(t, srv.URL())
	b.signIn()
	for path, status := range map[string]int{
		"/console/":                          http.StatusSeeOther,
		"/console/pipeline":                  http.StatusOK,
		"/console/aws":                       http.StatusOK,
		"/console/events":                    http.StatusOK,
		"/console/events?account=" + account: http.StatusOK,
		"/console/operations":                http.StatusOK,
		"/console/accounts":                  http.StatusOK,
		"/console/ace":                       http.StatusOK,
		"/console/ace?bucket=ace-apn-1111111-beta-us-west-2":     http.StatusOK,
		"/console/ace?bucket=nobody":                             http.StatusNotFound,
		"/console/opportunities/Sandbox/" + account + "/O999999": http.StatusNotFound,
		"/console/nowhere":                                       http.StatusNotFound,
		"/console/static/console.css":                            http.StatusOK,
	} {
		if res, body := b.get(path); res.StatusCode != status {
			t.Errorf("GET %s: HTTP %d, want %d\n%.400s", path, res.StatusCode, status, body)
		}
	}
	if _, body := b.get("/console/events"); !strings.Contains(body, "<tr><td>"+account+"</td><td>event #0</td><td>0</td>") {
		t.Error("the events page does not show the account's SQS queue")
	}
	_, body := b.get("/console/accounts")
	if !strings.Contains(body, "AWS_SECRET_ACCESS_KEY=test ") {
		t.Error("the accounts page does not show the keys")
	}
}

func ptr[T any](v T) *T { return &v }
