package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
)

// fakeAws records what the routes pass on and answers with err when set.
type fakeAws struct {
	got []string
	err error
}

func (f *fakeAws) Review(_ context.Context, catalog, account, id string, r ReviewRequest) (*ReviewOutcome, error) {
	f.got = []string{catalog, account, id, r.Status, r.Comments, r.Reason}
	return &ReviewOutcome{Id: id, ReviewStatus: r.Status}, f.err
}

func (f *fakeAws) UpdateSummary(_ context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error) {
	f.got = []string{catalog, account, id, string(body)}
	return json.RawMessage(`{"Catalog":"` + catalog + `"}`), f.err
}

func (f *fakeAws) Refer(_ context.Context, r ReferralRequest) (*ReferralOutcome, error) {
	f.got = []string{r.Catalog, r.Account, string(r.Lead)}
	return &ReferralOutcome{InvitationId: "engi-1"}, f.err
}

func (f *fakeAws) ExpireInvitation(_ context.Context, catalog, id string) (*InvitationOutcome, error) {
	f.got = []string{catalog, id}
	return &InvitationOutcome{Id: id, Status: "EXPIRED"}, f.err
}

func (f *fakeAws) DecideVerification(_ context.Context, account, typ string, d VerificationRequest) (*VerificationOutcome, error) {
	f.got = []string{account, typ, d.Status, d.Reason}
	return &VerificationOutcome{Type: typ, Status: d.Status}, f.err
}

func (f *fakeAws) AutoReview() AutoReview { return AutoReview{Mode: "off", Delay: "1m0s"} }

func (f *fakeAws) SetAutoReview(_ context.Context, a AutoReview) error {
	f.got = []string{a.Mode, a.Delay}
	return f.err
}

func (f *fakeAws) AddSolution(_ context.Context, r SolutionRequest) (json.RawMessage, error) {
	f.got = []string{r.Catalog, r.Account, r.Name, r.Category, r.Status}
	return json.RawMessage(`{"Id":"S-0000001"}`), f.err
}

func (f *fakeAws) AddListing(_ context.Context, r ListingRequest) (json.RawMessage, error) {
	f.got = []string{r.Catalog, r.Account, r.Kind, r.Name, r.Visibility, r.SolutionId}
	return json.RawMessage(`{"arn":"arn:aws:aws-marketplace:us-east-1:111111111111:AWSMarketplace/Solution/soln-1"}`), f.err
}

func (f *fakeAws) ScoreLead(_ context.Context, catalog, id string, r LeadScoreRequest) (json.RawMessage, error) {
	f.got = []string{catalog, id, r.LeadReadinessScore}
	return json.RawMessage(`{"LeadReadinessScore":"` + r.LeadReadinessScore + `"}`), f.err
}

func awsRequest(t *testing.T, h http.Handler, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: body %q: %v", method, path, rec.Body, err)
	}
	return rec.Code, out
}

func newAwsAPI(t *testing.T, f *fakeAws) http.Handler {
	t.Helper()
	h, err := New(Config{Token: token, Clock: clock.NewManual(), Aws: f})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Each route hands the path and body to the AWS side as they came.
func TestAwsRoutesPassRequestsOn(t *testing.T) {
	f := &fakeAws{}
	h := newAwsAPI(t, f)
	for _, c := range []struct {
		method, path, body string
		want               []string
	}{
		{"POST", "/_cosell/aws/opportunities/AWS/111111111111/O1/review", `{"status":"Action Required","comments":"c","reason":"r"}`, []string{"AWS", "111111111111", "O1", "Action Required", "c", "r"}},
		{"POST", "/_cosell/aws/opportunities/Sandbox/111111111111/O2/summary", `{"Insights":{"EngagementScore":"High"}}`, []string{"Sandbox", "111111111111", "O2", `{"Insights":{"EngagementScore":"High"}}`}},
		{"POST", "/_cosell/aws/referrals", `{"catalog":"AWS","account":"222222222222","lead":{"Customer":{}}}`, []string{"AWS", "222222222222", `{"Customer":{}}`}},
		{"POST", "/_cosell/aws/invitations/AWS/engi-1/expire", ``, []string{"AWS", "engi-1"}},
		{"POST", "/_cosell/aws/verifications/111111111111/BUSINESS_VERIFICATION", `{"status":"FAILED","reason":"no"}`, []string{"111111111111", "BUSINESS_VERIFICATION", "FAILED", "no"}},
		{"POST", "/_cosell/aws/auto-review", `{"mode":"rules","delay":"5s"}`, []string{"rules", "5s"}},
		{"POST", "/_cosell/aws/solutions", `{"catalog":"Sandbox","account":"111111111111","name":"N","category":"Software Products"}`, []string{"Sandbox", "111111111111", "N", "Software Products", ""}},
		{"POST", "/_cosell/aws/listings", `{"catalog":"AWS","account":"111111111111","kind":"Solution","name":"N","solutionId":"S-1"}`, []string{"AWS", "111111111111", "Solution", "N", "", "S-1"}},
		{"POST", "/_cosell/aws/engagements/Sandbox/eng-1/lead-insights", `{"LeadReadinessScore":"High"}`, []string{"Sandbox", "eng-1", "High"}},
	} {
		f.got = nil
		if code, out := awsRequest(t, h, c.method, c.path, c.body); code != http.StatusOK {
			t.Errorf("%s %s: %d %v", c.method, c.path, code, out)
		}
		if strings.Join(f.got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s %s passed on %q, want %q", c.method, c.path, f.got, c.want)
		}
	}
	if code, out := awsRequest(t, h, "GET", "/_cosell/aws/auto-review", ""); code != http.StatusOK || out["mode"] != "off" {
		t.Errorf("GET auto-review: %d %v", code, out)
	}
}

// The domains' errors become 4xx by kind, with the fields at fault; a
// body the route cannot read never reaches the AWS side.
func TestAwsRoutesErrors(t *testing.T) {
	f := &fakeAws{}
	h := newAwsAPI(t, f)
	review := "/_cosell/aws/opportunities/AWS/1/O1/review"
	for _, c := range []struct {
		err  error
		want int
	}{
		{apierr.RequestInvalid(apierr.FieldError{FieldName: "lifeCycle.reviewStatus", Code: "INVALID_VALUE", Message: "bad"}), http.StatusBadRequest},
		{apierr.NotFound("Opportunity O1 does not exist."), http.StatusNotFound},
		{apierr.Conflict("Opportunity O1 is Approved."), http.StatusConflict},
		{BadRequest("summary: unknown field"), http.StatusBadRequest},
		{context.DeadlineExceeded, http.StatusInternalServerError},
	} {
		f.err = c.err
		code, out := awsRequest(t, h, "POST", review, `{"status":"Approved"}`)
		if code != c.want || out["error"] == "" {
			t.Errorf("%v: %d %v, want %d", c.err, code, out, c.want)
		}
	}
	f.err = apierr.RequestInvalid(apierr.FieldError{FieldName: "lifeCycle.reviewStatus", Code: "INVALID_VALUE", Message: "bad"})
	if _, out := awsRequest(t, h, "POST", review, `{"status":"x"}`); !strings.Contains(string(mustMarshal(t, out["fields"])), "lifeCycle.reviewStatus") {
		t.Errorf("fields not listed: %v", out)
	}
	f.err, f.got = nil, nil
	for _, c := range []struct{ path, body string }{
		{review, `{"status":"Approved","extra":1}`},
		{review, `not json`},
		{"/_cosell/aws/referrals", `{"account":"222222222222"}`},
	} {
		if code, out := awsRequest(t, h, "POST", c.path, c.body); code != http.StatusBadRequest || f.got != nil {
			t.Errorf("%s %s: %d %v (passed on %q)", c.path, c.body, code, out, f.got)
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
