package server

import (
	"net/http"
	"testing"
)

// An AWS referral over the wire: the Sandbox CreateOpportunity leaves an
// invitation from AWS for the caller, which it can read by ARN and accept
// (an empty 200, as real captures show).
func TestServeAwsReferralInvitation(t *testing.T) {
	s := startServer(t, Config{})
	call := func(op, body string) (int, map[string]any) {
		t.Helper()
		res, out := post(t, s, signed{target: "AWSPartnerCentralSelling." + op, body: body, signingName: "partnercentral-selling"})
		return res.StatusCode, out
	}
	if code, out := call("CreateOpportunity", `{"Catalog":"Sandbox","ClientToken":"r1","Origin":"AWS Referral","Project":{"Title":"New Business Deal - 1"}}`); code != http.StatusOK {
		t.Fatalf("CreateOpportunity %d %v", code, out)
	}
	code, list := call("ListEngagementInvitations", `{"Catalog":"Sandbox","ParticipantType":"RECEIVER","Status":["PENDING"],"Sort":{"SortBy":"InvitationDate","SortOrder":"DESCENDING"}}`)
	summaries, _ := list["EngagementInvitationSummaries"].([]any)
	if code != http.StatusOK || len(summaries) != 1 {
		t.Fatalf("ListEngagementInvitations %d %v", code, list)
	}
	summary := summaries[0].(map[string]any)
	if summary["SenderAwsAccountId"] != "aws" || summary["SenderCompanyName"] != "AWS" || summary["ParticipantType"] != "RECEIVER" {
		t.Errorf("summary %v", summary)
	}
	arn := summary["Arn"].(string)
	code, got := call("GetEngagementInvitation", `{"Catalog":"Sandbox","Identifier":"`+arn+`"}`)
	if code != http.StatusOK || got["EngagementTitle"] != "New Business Deal - 1" || got["Payload"] == nil {
		t.Fatalf("GetEngagementInvitation %d %v", code, got)
	}
	if code, out := call("RejectEngagementInvitation", `{"Catalog":"Sandbox","Identifier":"`+arn+`"}`); code != http.StatusBadRequest || out["Reason"] != "REQUEST_VALIDATION_FAILED" {
		t.Errorf("Reject without a reason %d %v", code, out)
	}
	if code, out := call("AcceptEngagementInvitation", `{"Catalog":"Sandbox","Identifier":"`+arn+`"}`); code != http.StatusOK || len(out) != 0 {
		t.Fatalf("AcceptEngagementInvitation %d %v", code, out)
	}
	if code, out := call("AcceptEngagementInvitation", `{"Catalog":"Sandbox","Identifier":"`+arn+`"}`); code != http.StatusConflict {
		t.Errorf("second accept %d %v", code, out)
	}
	if _, got := call("GetEngagementInvitation", `{"Catalog":"Sandbox","Identifier":"`+arn+`"}`); got["Status"] != "ACCEPTED" || got["ExpirationDate"] != nil {
		t.Errorf("after accept %v", got)
	}
}
