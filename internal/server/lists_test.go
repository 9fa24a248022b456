package server

import (
	"net/http"
	"testing"

	"github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/smithy"
)

// Every listing answers "nothing found" the same way: each list member of
// its output present, as [] (ListOpportunities always did; the invitation
// and task listings used to leave theirs out).
func TestEmptyListingsAnswerEmptyArrays(t *testing.T) {
	s := startServer(t, Config{})
	cases := []struct {
		service    *smithy.Service
		signing    string
		op, body   string
		listMember string
	}{
		{selling.Service, "partnercentral-selling", "ListOpportunities", `{"Catalog":"Sandbox"}`, "OpportunitySummaries"},
		{selling.Service, "partnercentral-selling", "ListEngagements", `{"Catalog":"Sandbox"}`, "EngagementSummaryList"},
		{selling.Service, "partnercentral-selling", "ListEngagementInvitations", `{"Catalog":"Sandbox","ParticipantType":"RECEIVER"}`, "EngagementInvitationSummaries"},
		{selling.Service, "partnercentral-selling", "ListEngagementByAcceptingInvitationTasks", `{"Catalog":"Sandbox"}`, "TaskSummaries"},
		{selling.Service, "partnercentral-selling", "ListEngagementFromOpportunityTasks", `{"Catalog":"Sandbox"}`, "TaskSummaries"},
		{selling.Service, "partnercentral-selling", "ListOpportunityFromEngagementTasks", `{"Catalog":"Sandbox"}`, "TaskSummaries"},
		{selling.Service, "partnercentral-selling", "ListResourceSnapshotJobs", `{"Catalog":"Sandbox"}`, "ResourceSnapshotJobSummaries"},
		{selling.Service, "partnercentral-selling", "ListEngagementResourceAssociations", `{"Catalog":"Sandbox"}`, "EngagementResourceAssociationSummaries"},
		{account.Service, "partnercentral-account", "ListConnectionInvitations", `{"Catalog":"Sandbox"}`, "ConnectionInvitationSummaries"},
		{account.Service, "partnercentral-account", "ListConnections", `{"Catalog":"Sandbox"}`, "ConnectionSummaries"},
		{account.Service, "partnercentral-account", "ListPartners", `{"Catalog":"Sandbox"}`, "PartnerSummaryList"},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			res, out := post(t, s, signed{target: tc.service.Name + "." + tc.op, body: tc.body, signingName: tc.signing})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d %v", res.StatusCode, out)
			}
			if list, ok := out[tc.listMember].([]any); !ok || len(list) != 0 {
				t.Fatalf("%s is %#v in %v, want []", tc.listMember, out[tc.listMember], out)
			}
			for _, m := range tc.service.Operations[tc.op].Output.Members {
				if m.Target.Kind == smithy.KindList {
					if _, ok := out[m.Name].([]any); !ok {
						t.Errorf("list member %s is %#v, want an array", m.Name, out[m.Name])
					}
				}
			}
		})
	}
}
