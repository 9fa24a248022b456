package ace

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/validate"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func oneRecord(t *testing.T, kind Kind, body string) Record {
	t.Helper()
	f, err := ParseFile(kind, []byte(body))
	if err != nil || len(f.Records) != 1 {
		t.Fatalf("ParseFile: %v", err)
	}
	return f.Records[0]
}

func TestSamplesParse(t *testing.T) {
	for name, kind := range map[string]Kind{
		"Opportunity-Create-Inbound-Sample.json": KindOpportunity, "Opportunity-Outbound-Sample.json": KindOpportunity,
		"Lead-Outbound-Sample.json": KindLead, "Lead-Update-Inbound-Sample.json": KindLead,
	} {
		f, err := ParseFile(kind, sample(t, name))
		if err != nil || f.SpmsID != "spmsId" || len(f.Records) != 1 {
			t.Errorf("%s: %v %+v", name, err, f)
		}
	}
	for _, name := range []string{"Opoortunity-Results-Success-Sample.json", "Opportunity-Results_With-Errors-Sample.json",
		"Lead-Results-Success-Sample.json", "Lead-Results_With-Errors-Sample.json"} {
		var r Result
		if err := json.Unmarshal(sample(t, name), &r); err != nil || r.FileApnProcessedDT == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseFileRejects(t *testing.T) {
	for name, body := range map[string]string{
		"invalid JSON":      `{"version":"2.0",`,
		"unknown version":   `{"version":"3.0","spmsId":"1","opportunities":[]}`,
		"no spmsId":         `{"version":"2.0","opportunities":[]}`,
		"no records":        `{"version":"2.0","spmsId":"1"}`,
		"records not array": `{"version":"2.0","spmsId":"1","opportunities":{}}`,
		"record not object": `{"version":"2.0","spmsId":"1","opportunities":[1]}`,
		"not an object":     `[]`,
	} {
		if _, err := ParseFile(KindOpportunity, []byte(body)); err == nil || err.Error() == "" {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, v := range []string{`"1"`, `"1.0"`, `"2"`, `"2.0"`, `2.0`} {
		if _, err := ParseFile(KindLead, []byte(`{"version":`+v+`,"spmsId":"397476","leads":[{"currentLeadStage":"Rejected"}]}`)); err != nil {
			t.Errorf("version %s: %v", v, err)
		}
	}
}

func createSample(t *testing.T) Record {
	t.Helper()
	f, err := ParseFile(KindOpportunity, sample(t, "Opportunity-Create-Inbound-Sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	return f.Records[0]
}

func TestNewOpportunityFromSample(t *testing.T) {
	req, problems := NewOpportunity("Sandbox", createSample(t))
	if len(problems) > 0 {
		t.Fatalf("problems: %q", problems)
	}
	req.ClientToken = "token-1"
	body, _ := json.Marshal(req)
	if err := validate.Request(selling.Service.Operations["CreateOpportunity"], body); err != nil {
		t.Fatalf("model validation: %v\n%s", err, body)
	}
	a := req.Customer.Account
	checks := map[string][2]string{
		"catalog":     {req.Catalog, "Sandbox"},
		"natsec":      {string(*req.NationalSecurity), "Yes"},
		"country":     {string(*a.Address.CountryCode), "US"},
		"state":       {*a.Address.StateOrRegion, "Washington"},
		"postal":      {*a.Address.PostalCode, "21043"},
		"industry":    {string(*a.Industry), "Government"},
		"company":     {a.CompanyName, "Test LLC"},
		"duns":        {*a.Duns, "123456789"},
		"useCase":     {*req.Project.CustomerUseCase, "AI Machine Learning and Analytics"},
		"revenue":     {*req.Project.ExpectedCustomerSpend[0].Amount, "123"},
		"frequency":   {string(req.Project.ExpectedCustomerSpend[0].Frequency), "Monthly"},
		"needs":       {strings.Join(stringsOf(req.PrimaryNeedsFromAws), ";"), "Co-Sell - Architectural Validation;Co-Sell - Technical Consultation"},
		"programs":    {strings.Join(req.Project.ApnPrograms, ";"), "WWPS NDPP;P3"},
		"source":      {string(*req.Marketing.Source), "Marketing Activity"},
		"target date": {*req.LifeCycle.TargetCloseDate, "2022-09-24"},
		"contact":     {*req.Customer.Contacts[0].BusinessTitle, "Test Title"},
		"partner rep": {*req.OpportunityTeam[0].FirstName, "PartnerSalesRepFirstName"},
		"partner id":  {*req.PartnerOpportunityIdentifier, "TestIdentifier"},
		"competitor":  {string(*req.Project.CompetitorName), "On-Prem"},
		"type":        {string(*req.OpportunityType), "Flat Renewal"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if req.LifeCycle.Stage != nil {
		t.Errorf("stage is not set on create, got %v", *req.LifeCycle.Stage)
	}
	solutions, products, _ := Associations(createSample(t))
	if !slices.Equal(solutions, []string{"S-XXXXXXX"}) || len(products) != 3 {
		t.Errorf("associations %v %v", solutions, products)
	}
}

func stringsOf[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

// withFields is the create sample with some fields replaced (nil deletes).
func withFields(t *testing.T, changes map[string]any) Record {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(sample(t, "Opportunity-Create-Inbound-Sample.json"), &env); err != nil {
		t.Fatal(err)
	}
	rec := env["opportunities"].([]any)[0].(map[string]any)
	for k, v := range changes {
		if v == nil {
			delete(rec, k)
		} else {
			rec[k] = v
		}
	}
	body, _ := json.Marshal(env)
	return oneRecord(t, KindOpportunity, string(body))
}

func TestNewOpportunityProblems(t *testing.T) {
	cases := []struct {
		name    string
		changes map[string]any
		want    string
	}{
		{"industry picklist", map[string]any{"industry": "Banking"}, "Invalid Data: Select from the predefined Industry Vertical list"},
		{"S3 spelling translates", map[string]any{"industry": "Computers & Electronics", "doesOppBelongToNatSec": "No"}, ""},
		{"multi select item", map[string]any{"deliveryModel": "SaaS or PaaS;Floppy"}, "Invalid Data: Select from the predefined Delivery Model list"},
		{"required", map[string]any{"useCase": nil, "targetCloseDate": nil, "country": nil, "postalCode": nil},
			"Required: Use Case;Target Launch Date;Postal Code;Country"},
		{"US state", map[string]any{"state": nil, "doesOppBelongToNatSec": "No"}, "Missing Required Field: State is required when Country is United States"},
		{"US postal code", map[string]any{"postalCode": "2104"}, "The postal code is invalid for country United States, United States postal code must be in 99999 OR 99999-9999 format."},
		{"revenue zero", map[string]any{"expectedMonthlyAwsRevenue": 0}, "Missing Required Field: Estimated AWS Monthly Recurring Revenue cannot be blank or 0"},
		{"revenue not a number", map[string]any{"expectedMonthlyAwsRevenue": "lots"}, "Invalid Data: Estimated AWS Monthly Recurring Revenue must be a number"},
		{"date", map[string]any{"targetCloseDate": "09/24/2022"}, "Invalid Data: Target Close Date must be a date in YYYY-MM-DD format"},
		{"industry other", map[string]any{"industry": "Other", "doesOppBelongToNatSec": "No"}, "Missing Required Field: Other - Industry Vertical is required when Industry Vertical is Other"},
		{"sales activities", map[string]any{"salesActivities": nil}, "Please enter Pre-sales Activities"},
		{"marketing funds", map[string]any{"isMarketingDevelopmentFunded": nil}, "Marketing Development Funds Used is required when Is Opportunity from Marketing Activity is Yes."},
		{"account id", map[string]any{"awsAccountId": "12345"}, "Invalid Data: Customer AWS Account ID needs to be a 12 digit number"},
		{"no need with co-sell", map[string]any{"partnerPrimaryNeedFromAws": "Do Not Need Support from AWS Sales Rep;Co-Sell - Deal Support"},
			"Invalid Data: Do Not Need Support from AWS Sales Rep cannot be selected together with Co-Sell values"},
	}
	for _, c := range cases {
		_, problems := NewOpportunity("AWS", withFields(t, c.changes))
		if c.want == "" {
			if len(problems) > 0 {
				t.Errorf("%s: %q", c.name, problems)
			}
			continue
		}
		if !slices.Contains(problems, c.want) {
			t.Errorf("%s: problems %q, want %q", c.name, problems, c.want)
		}
	}
}

func currentOpportunity(t *testing.T, review selling.ReviewStatus, stage selling.Stage) *selling.GetOpportunityResponse {
	t.Helper()
	req, problems := NewOpportunity("Sandbox", createSample(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var o selling.GetOpportunityResponse
	b, _ := json.Marshal(req)
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	o.Id = "O1234567"
	o.LastModifiedDate = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	o.CreatedDate = o.LastModifiedDate.Add(-time.Hour)
	o.LifeCycle.ReviewStatus, o.LifeCycle.Stage = &review, &stage
	o.RelatedEntityIdentifiers.Solutions = []string{"S-1"}
	return &o
}

func TestUpdateOpportunity(t *testing.T) {
	cur := currentOpportunity(t, selling.ReviewStatusApproved, selling.StageQualified)
	r := oneRecord(t, KindOpportunity, `{"version":"2.0","spmsId":"1","opportunities":[{"partnerCrmUniqueIdentifier":"TestIdentifier",
		"nextStep":"Call the CIO","city":"Portland","partnerProjectTitle":"Renamed","createdDate":"2020-01-01","status":"Draft"}]}`)
	req, unchanged, problems := UpdateOpportunity(cur, r)
	if unchanged || len(problems) > 0 {
		t.Fatalf("unchanged=%v problems=%q", unchanged, problems)
	}
	if *req.LifeCycle.NextSteps != "Call the CIO" || *req.Customer.Account.Address.City != "Portland" {
		t.Errorf("sent fields not applied: %+v", req.LifeCycle)
	}
	// Not updatable before launch (CSV), read-only, and untouched fields keep the current values.
	if *req.Project.Title == "Renamed" || *req.LifeCycle.ReviewStatus != selling.ReviewStatusApproved ||
		*req.Customer.Account.Address.StateOrRegion != "Washington" || *req.Project.ExpectedCustomerSpend[0].Amount != "123" {
		t.Errorf("unexpected change: title %q status %q", *req.Project.Title, *req.LifeCycle.ReviewStatus)
	}
	if req.Identifier != "O1234567" || !req.LastModifiedDate.Equal(cur.LastModifiedDate) || req.Catalog != "Sandbox" {
		t.Errorf("identity: %+v", req)
	}

	same := oneRecord(t, KindOpportunity, `{"version":"2.0","spmsId":"1","opportunities":[{"city":"Seattle","partnerProjectTitle":"x"}]}`)
	if _, unchanged, _ := UpdateOpportunity(cur, same); !unchanged {
		t.Error("resending the current city is a change")
	}

	inReview := currentOpportunity(t, selling.ReviewStatusInReview, selling.StageProspect)
	if _, _, problems := UpdateOpportunity(inReview, r); !slices.Equal(problems, []string{"Record is not editable."}) {
		t.Errorf("in review: %q", problems)
	}
	launched := currentOpportunity(t, selling.ReviewStatusApproved, selling.StageLaunched)
	req, unchanged, _ = UpdateOpportunity(launched, r)
	if !unchanged || *req.Customer.Account.Address.City != "Seattle" {
		t.Errorf("after launch only the CSV's after-launch fields change")
	}
}

func TestOutboundOpportunityHasEverySampleKey(t *testing.T) {
	var env struct{ Opportunities []map[string]any }
	if err := json.Unmarshal(sample(t, "Opportunity-Outbound-Sample.json"), &env); err != nil {
		t.Fatal(err)
	}
	o := currentOpportunity(t, selling.ReviewStatusApproved, selling.StageQualified)
	title, first, email := selling.AwsMemberBusinessTitlePsm, "Pat", "psm@amazon.com"
	out := OutboundOpportunity(o, &selling.GetAwsOpportunitySummaryResponse{
		OpportunityTeam: []selling.AwsTeamMember{{BusinessTitle: &title, FirstName: &first, Email: &email}}})
	for k := range env.Opportunities[0] {
		if _, ok := out[k]; !ok {
			t.Errorf("outbound record lacks %q", k)
		}
	}
	want := map[string]any{"industry": "Government", "country": "United States", "IsOppFromMarketingActivity": "Yes",
		"partnerPrimaryNeedFromAws": "Co-Sell - Architectural Validation;Co-Sell - Technical Consultation",
		"expectedMonthlyAwsRevenue": 123.0, "apnCrmUniqueIdentifier": "O1234567", "stage": "Qualified", "status": "Approved",
		"lastModifiedDate": "2024-01-02T03:04:05.000Z", "aWSPartnerSuccessManagerName": "Pat", "solutionOffered": []string{"S-1"}}
	for k, v := range want {
		got, _ := json.Marshal(out[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("%s = %s, want %s", k, got, exp)
		}
	}
	if _, err := ParseFile(KindOpportunity, OutboundFile(KindOpportunity, "42", []map[string]any{out})); err != nil {
		t.Errorf("outbound file does not parse: %v", err)
	}
}

func TestOutboundReferralMasks(t *testing.T) {
	exp := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	inv := &selling.GetEngagementInvitationResponse{Id: "engi-1", ExpirationDate: &exp, Payload: &selling.Payload{
		OpportunityInvitation: &selling.OpportunityInvitationPayload{
			Customer: selling.EngagementCustomer{Industry: "Computers and Electronics", CompanyName: "Secret Co",
				WebsiteUrl: "secret.example", CountryCode: "DE"},
			Project: selling.ProjectDetails{Title: "Migration", BusinessProblem: "Needs a move", TargetCompletionDate: "2024-05-01"},
		}}}
	out := OutboundReferral(inv)
	for _, k := range []string{"customerCompanyName", "customerWebsite", "customerEmail", "postalCode"} {
		if out[k] != "Accept To View" {
			t.Errorf("%s = %v, want masked", k, out[k])
		}
	}
	want := map[string]any{"apnCrmUniqueIdentifier": "engi-1", "acceptBy": "2024-02-01T00:00:00.000Z", "partnerAcceptanceStatus": nil,
		"industry": "Computers & Electronics", "country": "Germany", "opportunityOwnership": "AWS Referral", "stage": "Prospect"}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("%s = %v, want %v", k, out[k], v)
		}
	}
}

func TestLeads(t *testing.T) {
	phone := "555"
	lead := &selling.LeadContext{Customer: selling.LeadCustomer{CompanyName: "Acme"},
		Interactions: []selling.LeadInteraction{{SourceType: ref("Event"), SourceId: ref("e1"), SourceName: ref("re:Invent"), CustomerAction: ref("Visited"),
			Contact: selling.LeadContact{FirstName: "Ada", LastName: "L", Email: "ada@acme.example", BusinessTitle: "CTO", Phone: &phone}}}}
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	maskedOut := OutboundLead("eng-1", lead, "Open", true, created, created.Add(96*time.Hour))
	var env struct{ Leads []map[string]any }
	if err := json.Unmarshal(sample(t, "Lead-Outbound-Sample.json"), &env); err != nil {
		t.Fatal(err)
	}
	for k, v := range env.Leads[0] {
		if _, ok := maskedOut[k]; !ok {
			t.Errorf("outbound lead lacks %q", k)
		}
		if v == "Accept To View" && maskedOut[k] != "Accept To View" {
			t.Errorf("%s = %v, want masked", k, maskedOut[k])
		}
	}
	if maskedOut["leadAge"] != 4.0 || maskedOut["currentLeadStage"] != nil {
		t.Errorf("age %v stage %v", maskedOut["leadAge"], maskedOut["currentLeadStage"])
	}
	if open := OutboundLead("eng-1", lead, "Open", false, created, created); open["email"] != "ada@acme.example" || open["company"] != "Acme" {
		t.Errorf("accepted lead is masked: %v", open)
	}

	f, err := ParseFile(KindLead, sample(t, "Lead-Update-Inbound-Sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	updated, unchanged, problems := LeadUpdate(lead, f.Records[0])
	if unchanged || len(problems) > 0 {
		t.Fatalf("unchanged=%v problems=%q", unchanged, problems)
	}
	if *updated.QualificationStatus != "Open" || *updated.Interactions[0].Usecase != "Big Data;IOT" ||
		string(*updated.Customer.Address.CountryCode) != "US" || lead.QualificationStatus != nil {
		t.Errorf("lead update: %+v", updated)
	}
	if _, unchanged, _ := LeadUpdate(updated, f.Records[0]); !unchanged {
		t.Error("the same update twice is a change")
	}
	bad := oneRecord(t, KindLead, `{"version":"1","spmsId":"1","leads":[{"status":"Done"}]}`)
	if _, _, problems := LeadUpdate(lead, bad); !slices.Equal(problems, []string{"Invalid Data: Select from the predefined Status list"}) {
		t.Errorf("bad status: %q", problems)
	}

	for body, want := range map[string][2]bool{
		`{"currentLeadStage":"Accepted","apnCrmUniqueIdentifier":"L1"}`: {true, true},
		`{"currentLeadStage":"Rejected","apnCrmUniqueIdentifier":"L1"}`: {false, true},
		`{"status":"Open"}`: {false, false},
	} {
		accept, ok, problems := LeadAnswer(oneRecord(t, KindLead, `{"version":"1","spmsId":"1","leads":[`+body+`]}`))
		if accept != want[0] || ok != want[1] || len(problems) > 0 {
			t.Errorf("%s: accept=%v ok=%v %q", body, accept, ok, problems)
		}
	}
}

func TestReferralAnswer(t *testing.T) {
	cases := []struct {
		body         string
		accept, ok   bool
		reason       string
		problemCount int
	}{
		{`{"partnerAcceptanceStatus":"Accepted","apnCrmUniqueIdentifier":"O1"}`, true, true, "", 0},
		{`{"partnerAcceptanceStatus":"Rejected","apnCrmUniqueIdentifier":"O1","rejectionReason":"Customer problem unclear"}`, false, true, "Customer problem unclear", 0},
		{`{"partnerAcceptanceStatus":"Rejected","apnCrmUniqueIdentifier":"O1"}`, false, true, "", 1},
		{`{"partnerAcceptanceStatus":"Maybe","apnCrmUniqueIdentifier":"O1"}`, false, true, "", 1},
		{`{"city":"Seattle"}`, false, false, "", 0},
	}
	for _, c := range cases {
		accept, reason, ok, problems := ReferralAnswer(oneRecord(t, KindOpportunity, `{"version":"2.0","spmsId":"1","opportunities":[`+c.body+`]}`))
		if accept != c.accept || ok != c.ok || reason != c.reason || len(problems) != c.problemCount {
			t.Errorf("%s: %v %q %v %q", c.body, accept, reason, ok, problems)
		}
	}
}

func TestResults(t *testing.T) {
	at := time.Date(2023, 5, 28, 15, 21, 22, 331_000_000, time.FixedZone("x", 3600))
	ok, bad := RecordResult{IsSuccess: true}, RecordResult{Errors: []string{"Record is not editable."}}
	for want, records := range map[string][]RecordResult{"ALL": {ok, ok}, "PARTIAL": {ok, bad}, "NONE": {bad}} {
		r := NewResult("s", "opportunity-inbound/x.json", at, records)
		if r.Success != want || r.FileApnProcessedDT != "2023-05-28T14:21:22.331Z" || r.IsApiError {
			t.Errorf("%s: %+v", want, r)
		}
	}
	fe := FileError("s", "lead-inbound/x.json", at, "Invalid JSON")
	body, _ := json.Marshal(fe)
	if !strings.Contains(string(body), `"isApiError":true`) || !strings.Contains(string(body), `"apiErrors":["Invalid JSON"]`) ||
		!strings.Contains(string(body), `"inboundApiResults":null`) {
		t.Errorf("file error: %s", body)
	}
}

func TestNames(t *testing.T) {
	cases := []struct {
		name    string
		ok      bool
		notJSON bool
	}{
		{"deal_01312024235959.json", true, false},
		{"my_deal_01312024000000.json", true, false},
		{"deal.json", false, false},
		{"deal_13312024235959.json", false, false},
		{"deal_01322024235959.json", false, false},
		{"_01312024235959.json", false, false},
		{"deal_0131202423595.json", false, false},
		{"deal_01312024235959.csv", false, true},
		{"deal_01312024235959.JSON", false, true},
		{"deal_01312024235959", false, true},
	}
	for _, c := range cases {
		problem, notJSON := CheckInboundName(c.name)
		if (problem == "") != c.ok || notJSON != c.notJSON {
			t.Errorf("%s: problem %q notJSON %v", c.name, problem, notJSON)
		}
	}
	if k := ResultKey("opportunity-inbound/x_01022024130000.json"); k != "opportunity-inbound-processed-results/x_01022024130000_result.json" {
		t.Error(k)
	}
	if k := ErrorKey("lead-inbound/x.csv"); k != "lead-inbound-processed-results/x.csv.error.json" {
		t.Error(k)
	}
	for _, c := range [][3]string{{"123", "Sandbox", "ace-apn-123-beta-us-west-2"}, {"9-9", "AWS", "ace-apn-9-9-prod-us-west-2"}} {
		b := BucketName(c[0], c[1])
		spms, cat, ok := ParseBucketName(b)
		if b != c[2] || spms != c[0] || cat != c[1] || !ok {
			t.Errorf("%v: %s %s %s %v", c, b, spms, cat, ok)
		}
	}
	for _, b := range []string{"ace-apn--beta-us-west-2", "ace-apn-1-dev-us-west-2", "other", "ace-apn-1-beta-us-east-1"} {
		if _, _, ok := ParseBucketName(b); ok {
			t.Errorf("%s accepted", b)
		}
	}
}

func FuzzParseAndMap(f *testing.F) {
	for _, name := range []string{"Opportunity-Create-Inbound-Sample.json", "Lead-Update-Inbound-Sample.json", "Opportunity-Outbound-Sample.json"} {
		b, _ := os.ReadFile(filepath.Join("testdata", name))
		f.Add(b)
	}
	f.Add([]byte(`{"version":"2","spmsId":1,"opportunities":[{"country":"X","postalCode":[],"expectedMonthlyAwsRevenue":"1e999"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, kind := range []Kind{KindOpportunity, KindLead} {
			file, err := ParseFile(kind, body)
			if err != nil {
				continue
			}
			for _, r := range file.Records {
				NewOpportunity("Sandbox", r)
				ReferralAnswer(r)
				LeadAnswer(r)
				LeadUpdate(&selling.LeadContext{}, r)
			}
		}
	})
}

func ref[T any](v T) *T { return &v }
