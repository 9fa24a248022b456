package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// awsCall sends one AWS-side admin request and decodes the JSON answer.
func awsCall(t *testing.T, s *Server, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/_cosell/aws/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res.StatusCode, out
}

// The whole AWS-side flow over HTTP in the AWS catalog, where only AWS can
// review: the partner submits with StartEngagementFromOpportunityTask, AWS
// approves and updates its summary through the admin API, the partner
// updates its approved opportunity, and the Selling API shows each side.
func TestServeAwsSideFlow(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	call := func(op, body string) map[string]any {
		t.Helper()
		res, out := sellingCall(t, s, op, body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", op, res.StatusCode, out)
		}
		return out
	}
	created := call("CreateOpportunity", `{"Catalog":"AWS","ClientToken":"flow",
		"Customer":{"Account":{"CompanyName":"Flow Corp","Industry":"Retail","WebsiteUrl":"https://flow.example",
			"Address":{"CountryCode":"US","PostalCode":"98101","StateOrRegion":"Washington","City":"Seattle"}}},
		"Project":{"Title":"Flow data lake","CustomerBusinessProblem":"The customer needs one place for its sales data.",
			"CustomerUseCase":"Business Intelligence & Data Warehouse","DeliveryModels":["SaaS or PaaS"],
			"ExpectedCustomerSpend":[{"Amount":"1000","CurrencyCode":"USD","Frequency":"Monthly","TargetCompany":"AWS"}],
			"SalesActivities":["Initialized discussions with customer"],"OtherSolutionDescription":"Our analytics platform"},
		"LifeCycle":{"Stage":"Qualified","TargetCloseDate":"2030-12-31"}}`)
	id := created["Id"].(string)
	task := call("StartEngagementFromOpportunityTask", `{"Catalog":"AWS","ClientToken":"flow-task","Identifier":"`+id+`","AwsSubmission":{"InvolvementType":"Co-Sell"}}`)
	if task["TaskStatus"] != "COMPLETE" {
		t.Fatalf("task %v", task)
	}

	// The partner cannot approve in the AWS catalog; AWS can.
	code, reviewed := awsCall(t, s, "opportunities/AWS/111111111111/"+id+"/review", `{"status":"Approved"}`)
	if code != http.StatusOK || reviewed["reviewStatus"] != "Approved" {
		t.Fatalf("review: %d %v", code, reviewed)
	}
	got := call("GetOpportunity", `{"Catalog":"AWS","Identifier":"`+id+`"}`)
	if lc := got["LifeCycle"].(map[string]any); lc["ReviewStatus"] != "Approved" || got["LastModifiedDate"] != reviewed["lastModifiedDate"] {
		t.Fatalf("after AWS's approval: %v (review answered %v)", got, reviewed)
	}
	inv := call("GetEngagementInvitation", `{"Catalog":"AWS","Identifier":"`+task["EngagementInvitationId"].(string)+`"}`)
	if inv["Status"] != "ACCEPTED" {
		t.Errorf("AWS's invitation after approval: %v", inv["Status"])
	}

	code, summary := awsCall(t, s, "opportunities/AWS/111111111111/"+id+"/summary", `{
		"LifeCycle":{"Stage":"Technical Validation","NextSteps":"Architecture review on Monday"},
		"OpportunityTeam":[{"Email":"rep@amazon.com","FirstName":"Ria","LastName":"Rep","BusinessTitle":"AWSSalesRep"}],
		"Insights":{"NextBestActions":"Propose a PoC","EngagementScore":"High"}}`)
	if code != http.StatusOK || summary["RelatedOpportunityId"] != id {
		t.Fatalf("summary update: %d %v", code, summary)
	}
	aws := call("GetAwsOpportunitySummary", `{"Catalog":"AWS","RelatedOpportunityIdentifier":"`+id+`"}`)
	lc, _ := aws["LifeCycle"].(map[string]any)
	team, _ := aws["OpportunityTeam"].([]any)
	insights, _ := aws["Insights"].(map[string]any)
	if lc["Stage"] != "Technical Validation" || lc["NextSteps"] != "Architecture review on Monday" || len(team) != 1 ||
		insights["EngagementScore"] != "High" || aws["InvolvementType"] != "Co-Sell" {
		t.Fatalf("GetAwsOpportunitySummary: %v", aws)
	}

	// The partner's update goes on from the LastModifiedDate AWS's update
	// left, which a stale token would not.
	got = call("GetOpportunity", `{"Catalog":"AWS","Identifier":"`+id+`"}`)
	if got["LastModifiedDate"] == reviewed["lastModifiedDate"] {
		t.Errorf("AWS's summary update did not move LastModifiedDate")
	}
	update := `{"Catalog":"AWS","Identifier":"` + id + `","LastModifiedDate":"%s",
		"Customer":` + mustJSON(t, got["Customer"]) + `,"Project":` + mustJSON(t, got["Project"]) + `,
		"LifeCycle":{"Stage":"Technical Validation","TargetCloseDate":"2030-12-31","NextSteps":"Workshop booked"}}`
	if res, out := sellingCall(t, s, "UpdateOpportunity", strings.Replace(update, "%s", reviewed["lastModifiedDate"].(string), 1)); res.StatusCode != http.StatusConflict {
		t.Errorf("update with the LastModifiedDate before AWS's summary update: %d %v", res.StatusCode, out)
	}
	call("UpdateOpportunity", strings.Replace(update, "%s", got["LastModifiedDate"].(string), 1))
	got = call("GetOpportunity", `{"Catalog":"AWS","Identifier":"`+id+`"}`)
	if lc := got["LifeCycle"].(map[string]any); lc["ReviewStatus"] != "Approved" || lc["Stage"] != "Technical Validation" || lc["NextSteps"] != "Workshop booked" {
		t.Errorf("after the partner's update: %v", lc)
	}
	if aws := call("GetAwsOpportunitySummary", `{"Catalog":"AWS","RelatedOpportunityIdentifier":"`+id+`"}`); aws["LifeCycle"].(map[string]any)["NextSteps"] != "Architecture review on Monday" {
		t.Errorf("the partner's update changed AWS's side: %v", aws["LifeCycle"])
	}
}

// The admin API answers the AWS-side routes' mistakes with 4xx and a
// message; the domains' field errors come with it.
func TestServeAwsSideErrors(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	for _, c := range []struct {
		path, body string
		want       int
	}{
		{"opportunities/AWS/111111111111/O999/review", `{"status":"Approved"}`, http.StatusNotFound},
		{"opportunities/AWS/111111111111/O999/review", `{"status":"Done"}`, http.StatusBadRequest},
		{"opportunities/Moon/111111111111/O999/review", `{"status":"Approved"}`, http.StatusBadRequest},
		{"opportunities/AWS/111111111111/O999/review", `{"verdict":"Approved"}`, http.StatusBadRequest},
		{"opportunities/AWS/111111111111/O999/summary", `{"LifeCycle":{"Stage":"Sold"}}`, http.StatusBadRequest},
		{"referrals", `{"catalog":"AWS","account":"999999999999","lead":{}}`, http.StatusNotFound},
		{"referrals", `{"catalog":"AWS"}`, http.StatusBadRequest},
		{"invitations/AWS/engi-0000000000000/expire", ``, http.StatusNotFound},
		{"verifications/111111111111/BUSINESS_VERIFICATION", `{"status":"REJECTED"}`, http.StatusNotFound},
		{"auto-review", `{"mode":"sometimes"}`, http.StatusBadRequest},
	} {
		code, out := awsCall(t, s, c.path, c.body)
		if code != c.want || out["error"] == "" {
			t.Errorf("%s %s: %d %v, want %d with an error", c.path, c.body, code, out, c.want)
		}
	}
	if _, out := awsCall(t, s, "opportunities/AWS/111111111111/O999/summary", `{"LifeCycle":{"Stage":"Sold"}}`); !strings.Contains(mustJSON(t, out["fields"]), "lifeCycle.stage") {
		t.Errorf("the field at fault is not named: %v", out)
	}
}

// The automatic reviewer is switched on through the admin API and decides
// a Sandbox submission on the first read after its delay.
func TestServeAutoReview(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	if code, out := awsCall(t, s, "auto-review", `{"mode":"rules","delay":"0s"}`); code != http.StatusOK || out["mode"] != "rules" || out["delay"] != "0s" {
		t.Fatalf("switch on: %d %v", code, out)
	}
	res, created := sellingCall(t, s, "CreateOpportunity", `{"Catalog":"Sandbox","ClientToken":"auto",
		"Customer":{"Account":{"CompanyName":"Auto Corp","Industry":"Retail","WebsiteUrl":"https://auto.example","Address":{"CountryCode":"DE","PostalCode":"10115"}}},
		"Project":{"Title":"Auto","CustomerBusinessProblem":"A business problem long enough.","CustomerUseCase":"Business Intelligence & Data Warehouse",
			"DeliveryModels":["SaaS or PaaS"],"ExpectedCustomerSpend":[{"Amount":"10","CurrencyCode":"USD","Frequency":"Monthly","TargetCompany":"AWS"}],
			"SalesActivities":["Initialized discussions with customer"],"OtherSolutionDescription":"Ours"},
		"LifeCycle":{"Stage":"Prospect","TargetCloseDate":"2030-12-31"}}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: %v", created)
	}
	id := created["Id"].(string)
	if res, out := sellingCall(t, s, "SubmitOpportunity", `{"Catalog":"Sandbox","Identifier":"`+id+`","InvolvementType":"For Visibility Only"}`); res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %v", out)
	}
	_, got := sellingCall(t, s, "GetOpportunity", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	if st := got["LifeCycle"].(map[string]any)["ReviewStatus"]; st != "Approved" {
		t.Errorf("with no delay the first read shows %v, want Approved", st)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
