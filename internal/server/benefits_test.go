package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const benefitsNS = "com.amazonaws.partnercentralbenefits"

func benefitsCall(t *testing.T, s *Server, op, body string, key ...string) (*http.Response, map[string]any) {
	t.Helper()
	c := signed{target: "PartnerCentralBenefitsService." + op, signingName: "partnercentral-benefits", body: body}
	if len(key) == 2 {
		c.key, c.secret = key[0], key[1]
	}
	return post(t, s, c)
}

// benefitsOK calls op and fails unless it answers 200.
func benefitsOK(t *testing.T, s *Server, op, body string) map[string]any {
	t.Helper()
	res, out := benefitsCall(t, s, op, body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", op, res.StatusCode, out)
	}
	return out
}

// pocBenefit is the Sandbox's POC credits benefit, found by listing.
func pocBenefit(t *testing.T, s *Server) string {
	t.Helper()
	out := benefitsOK(t, s, "ListBenefits", `{"Catalog":"Sandbox","Programs":["POC"]}`)
	list := out["BenefitSummaries"].([]any)
	if len(list) != 1 {
		t.Fatalf("POC benefits %v", list)
	}
	return list[0].(map[string]any)["Id"].(string)
}

// The main flow over HTTP, the partner through the Benefits API and AWS
// through the admin API, with the events on the account's outbox.
func TestServeBenefitsFlow(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	created := benefitsOK(t, s, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"flow","BenefitIdentifier":"`+pocBenefit(t, s)+`",
		"Name":"POC","BenefitApplicationDetails":{"AccountId":"123456789012","CustomerName":"C","UseCase":"A use case long enough to pass.","RequestedAmount":5000}}`)
	id := created["Id"].(string)
	benefitsOK(t, s, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	if code, out := awsCall(t, s, "benefits/applications/Sandbox/111111111111/"+id+"/review", `{"decision":"ACTION_REQUIRED","reasonCodes":["Project Plan Missing"]}`); code != http.StatusOK || out["status"] != "ACTION_REQUIRED" {
		t.Fatalf("action required: %d %v", code, out)
	}
	got := benefitsOK(t, s, "GetBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	benefitsOK(t, s, "AmendBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"fix","Identifier":"`+id+`","Revision":"`+got["Revision"].(string)+`",
		"AmendmentReason":"Reviewer request","Amendments":[{"FieldPath":"$.AccountId","NewValue":"210987654321"}]}`)
	benefitsOK(t, s, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	code, out := awsCall(t, s, "benefits/applications/Sandbox/111111111111/"+id+"/review", `{"decision":"APPROVED","allocations":[{"amount":{"Amount":"4000","CurrencyCode":"USD"},"expiresAt":"2099-01-01T00:00:00Z"}]}`)
	if code != http.StatusOK || out["status"] != "APPROVED" {
		t.Fatalf("approve: %d %v", code, out)
	}
	alloc := out["allocations"].([]any)[0].(string)
	code, out = awsCall(t, s, "benefits/allocations/Sandbox/111111111111/"+alloc, `{"status":"FULFILLED","reason":"Credits redeemed"}`)
	if code != http.StatusOK || out["status"] != "FULFILLED" {
		t.Fatalf("fulfil: %d %v", code, out)
	}
	a := benefitsOK(t, s, "GetBenefitAllocation", `{"Catalog":"Sandbox","Identifier":"`+alloc+`"}`)
	credits := a["FulfillmentDetail"].(map[string]any)["CreditDetails"].(map[string]any)
	if a["Status"] != "FULFILLED" || credits["Codes"].([]any)[0].(map[string]any)["AwsAccountId"] != "210987654321" {
		t.Errorf("allocation %v", a)
	}
	// The model's timestamps are iso8601.
	if a["ExpiresAt"] != "2099-01-01T00:00:00Z" {
		t.Errorf("ExpiresAt %T %v", a["ExpiresAt"], a["ExpiresAt"])
	}
	code, events := call(t, s, http.MethodGet, "/_cosell/events?account=111111111111", "", "tok")
	if code != http.StatusOK {
		t.Fatalf("events: %d %s", code, events)
	}
	for _, want := range []string{"Benefit Application Created", "Benefit Application In Review", "Benefit Application Action Required",
		"Benefit Application Approved", "Benefit Allocation Activated", "Benefit Allocation Fulfilled", `"source":"aws.partnercentral-benefits"`} {
		if !strings.Contains(events, want) {
			t.Errorf("no %s in the events", want)
		}
	}
}

// Errors in the Benefits model's own shapes.
func TestServeBenefitsErrors(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	res, body := benefitsCall(t, s, "GetBenefitApplication", `{"Catalog":"Sandbox","Identifier":"benappl-00000000000000"}`)
	assertException(t, res, body, http.StatusNotFound, benefitsNS, "ResourceNotFoundException")
	res, body = benefitsCall(t, s, "GetBenefitApplication", `{"Catalog":"Sandbox","Identifier":"nope"}`)
	assertException(t, res, body, http.StatusBadRequest, benefitsNS, "ValidationException")
	list, _ := body["FieldList"].([]any)
	if body["Reason"] != "fieldValidationFailed" || len(list) != 1 || list[0].(map[string]any)["Name"] == "" || list[0].(map[string]any)["Code"] != "INVALID_STRING_FORMAT" {
		t.Errorf("model validation: %v", body)
	}
	created := benefitsOK(t, s, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"e","BenefitIdentifier":"`+pocBenefit(t, s)+`"}`)
	res, body = benefitsCall(t, s, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+created["Id"].(string)+`"}`)
	assertException(t, res, body, http.StatusBadRequest, benefitsNS, "ValidationException")
	if body["Reason"] != "BUSINESS_VALIDATION_FAILED" || len(body["FieldList"].([]any)) != 4 {
		t.Errorf("business validation: %v", body)
	}
	res, body = benefitsCall(t, s, "UpdateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"u","Identifier":"`+created["Id"].(string)+`","Revision":"stale"}`)
	assertException(t, res, body, http.StatusConflict, benefitsNS, "ConflictException")
	// Another account's application is not there for the caller.
	res, body = benefitsCall(t, s, "GetBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+created["Id"].(string)+`"}`, "test2", "test2")
	assertException(t, res, body, http.StatusNotFound, benefitsNS, "ResourceNotFoundException")
	res, body = benefitsCall(t, s, "ListTagsForResource", `{"resourceArn":"`+created["Arn"].(string)+`"}`, "test2", "test2")
	assertException(t, res, body, http.StatusForbidden, benefitsNS, "AccessDeniedException")
	// The AWS side refuses what the domain refuses, with its status.
	if code, out := awsCall(t, s, "benefits/applications/Sandbox/111111111111/"+created["Id"].(string)+"/review", `{"decision":"APPROVED"}`); code != http.StatusBadRequest {
		t.Errorf("approving a draft: %d %v", code, out)
	}
	if code, out := awsCall(t, s, "benefits/applications/Sandbox/111111111111/"+created["Id"].(string)+"/review", `{"decision":"APPROVED","typo":1}`); code != http.StatusBadRequest {
		t.Errorf("unknown member: %d %v", code, out)
	}
}

// Resets: a scoped one removes the account's applications in that catalog
// and restarts its quota count; a full one also restores the catalog.
func TestServeBenefitsResets(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	poc := pocBenefit(t, s)
	benefitsOK(t, s, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"r","BenefitIdentifier":"`+poc+`"}`)
	count := func() int {
		return len(benefitsOK(t, s, "ListBenefitApplications", `{"Catalog":"Sandbox"}`)["BenefitApplicationSummaries"].([]any))
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset?account=111111111111&catalog=AWS", "", "tok"); code != http.StatusOK || count() != 1 {
		t.Fatalf("reset of the other catalog: %d %s, %d applications", code, out, count())
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset?account=111111111111&catalog=Sandbox", "", "tok"); code != http.StatusOK || count() != 0 {
		t.Fatalf("scoped reset: %d %s, %d applications", code, out, count())
	}
	req, _ := json.Marshal(map[string]any{"name": "Extra", "programs": []string{"EXTRA"}, "fulfillmentTypes": []string{"CASH"}})
	if code, out := call(t, s, http.MethodPost, "/_cosell/aws/benefits/catalog/Sandbox", string(req), "tok"); code != http.StatusOK {
		t.Fatalf("add benefit: %d %s", code, out)
	}
	extra := func() int {
		return len(benefitsOK(t, s, "ListBenefits", `{"Catalog":"Sandbox","Programs":["EXTRA"]}`)["BenefitSummaries"].([]any))
	}
	if extra() != 1 {
		t.Fatal("the added benefit is not listed")
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset", "", "tok"); code != http.StatusOK || extra() != 0 || pocBenefit(t, s) != poc {
		t.Fatalf("full reset: %d %s", code, out)
	}
}

// --quotas aws holds the Benefits API to its documented rates.
func TestServeBenefitsQuotas(t *testing.T) {
	s := startServer(t, Config{Quotas: QuotasAWS})
	throttled := 0
	for range 15 {
		res, body := benefitsCall(t, s, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"benappl-00000000000000"}`)
		if res.StatusCode == http.StatusTooManyRequests {
			assertException(t, res, body, http.StatusTooManyRequests, benefitsNS, "ThrottlingException")
			throttled++
		}
	}
	if throttled == 0 {
		t.Error("15 writes at once, none throttled; the rate is 10 per second")
	}
}

// A webhook pattern selects the Benefits API's events by source and
// detail-type like any other.
func TestServeBenefitsEventsReachWebhooks(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok", Events: evFast})
	hook := newEvHook(t, "k", 0)
	evPutHook(t, s, "benefits", `{"account":"111111111111","url":"`+hook.srv.URL+`","secret":"k",
		"pattern":{"source":["aws.partnercentral-benefits"],"detail-type":["Benefit Application In Review"]}}`)
	evCreate(t, s, "not-a-benefit") // a Selling event the pattern leaves out
	created := benefitsOK(t, s, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"wh","BenefitIdentifier":"`+pocBenefit(t, s)+`",
		"BenefitApplicationDetails":{"AccountId":"123456789012","CustomerName":"C","UseCase":"A use case long enough to pass.","RequestedAmount":5000}}`)
	benefitsOK(t, s, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+created["Id"].(string)+`"}`)
	got := hook.waitFor(1)
	detail, _ := got[0]["detail"].(map[string]any)
	app, _ := detail["benefitApplication"].(map[string]any)
	if len(got) != 1 || got[0]["detail-type"] != "Benefit Application In Review" || app["id"] != created["Id"] || app["stage"] != "BUSINESS_REVIEW" {
		t.Fatalf("webhook got %v", got)
	}
}

// Fault rules name the Benefits API by signing name; its errors keep the
// model's namespace and required Reason.
func TestServeBenefitsFaults(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	if code, out := call(t, s, http.MethodPut, "/_cosell/faults", `[{"service":"partnercentral-benefits","operation":"ListBenefits","errorCode":"ValidationException"}]`, "tok"); code != http.StatusOK {
		t.Fatalf("PUT faults: %d %s", code, out)
	}
	res, body := benefitsCall(t, s, "ListBenefits", `{"Catalog":"Sandbox"}`)
	assertException(t, res, body, http.StatusBadRequest, benefitsNS, "ValidationException")
	if body["Reason"] == nil {
		t.Errorf("no Reason, which the model requires: %v", body)
	}
	if res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
		t.Errorf("a Benefits rule failed Selling: %d %v", res.StatusCode, body)
	}
}
