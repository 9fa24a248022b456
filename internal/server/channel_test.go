package server

import (
	"net/http"
	"strings"
	"testing"
)

const (
	channelName = "partnercentral-channel"
	channelNS   = "com.amazonaws.partnercentralchannel"
)

func channelCall(t *testing.T, s *Server, op, body string, key ...string) (*http.Response, map[string]any) {
	t.Helper()
	c := signed{target: "PartnerCentralChannel." + op, signingName: channelName, body: body}
	if len(key) == 2 {
		c.key, c.secret = key[0], key[1]
	}
	return post(t, s, c)
}

// TestChannelErrorsOnTheWire checks the Channel API's own error shape:
// the model's namespace and camelCase members, with the resource a
// conflict is about.
func TestChannelErrorsOnTheWire(t *testing.T) {
	s := startServer(t, Config{})
	res, body := channelCall(t, s, "CreateProgramManagementAccount", `{"catalog":"Sandbox","program":"SOLUTION_PROVIDER","displayName":"PMA","accountId":"12345"}`)
	assertException(t, res, body, http.StatusBadRequest, channelNS, "ValidationException")
	fields, _ := body["fieldList"].([]any)
	if body["reason"] != "REQUEST_VALIDATION_FAILED" || body["message"] == nil || len(fields) != 1 || fields[0].(map[string]any)["name"] != "accountId" {
		t.Errorf("validation body %v", body)
	}
	if _, has := body["Message"]; has {
		t.Errorf("body has a PascalCase Message: %v", body)
	}

	create := `{"catalog":"Sandbox","program":"SOLUTION_PROVIDER","displayName":"PMA","accountId":"222222222222"}`
	res, body = channelCall(t, s, "CreateProgramManagementAccount", create)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %v", res.StatusCode, body)
	}
	id := body["programManagementAccountDetail"].(map[string]any)["id"].(string)
	res, body = channelCall(t, s, "CreateProgramManagementAccount", create)
	assertException(t, res, body, http.StatusConflict, channelNS, "ConflictException")
	if body["resourceId"] != id || body["resourceType"] != "ProgramManagementAccount" {
		t.Errorf("conflict body %v", body)
	}

	res, body = channelCall(t, s, "ListTagsForResource", `{"resourceArn":"arn:aws:partnercentral:us-east-1:111111111111:catalog/Sandbox/program-management-account/pma-0000000000000"}`)
	assertException(t, res, body, http.StatusNotFound, channelNS, "ResourceNotFoundException")
	res, body = channelCall(t, s, "ListTagsForResource", `{"resourceArn":"arn:aws:partnercentral:us-east-1:111111111111:catalog/Sandbox/program-management-account/`+id+`"}`, "test2", "test2")
	assertException(t, res, body, http.StatusForbidden, channelNS, "AccessDeniedException")
}

// TestChannelQuotasAndFaults: the documented rates apply per operation
// with --quotas aws, and fault rules name the service by its signing name.
func TestChannelQuotasAndFaults(t *testing.T) {
	s := startServer(t, Config{Quotas: QuotasAWS, AdminToken: "tok"})
	throttled := 0
	for range 8 {
		res, body := channelCall(t, s, "ListProgramManagementAccounts", `{"catalog":"Sandbox"}`)
		if res.StatusCode == http.StatusTooManyRequests {
			assertException(t, res, body, http.StatusTooManyRequests, channelNS, "ThrottlingException")
			if msg, _ := body["message"].(string); !strings.HasPrefix(msg, "Rate exceeded") {
				t.Errorf("throttling message %q", msg)
			}
			throttled++
		}
	}
	if throttled == 0 {
		t.Errorf("8 back-to-back reads at 5/s were never throttled")
	}

	code, out := call(t, s, http.MethodPut, "/_cosell/faults", `[{"service":"partnercentral-channel","operation":"ListRelationships","errorCode":"ValidationException"}]`, "tok")
	if code != http.StatusOK {
		t.Fatalf("faults: %d %s", code, out)
	}
	res, body := channelCall(t, s, "ListRelationships", `{"catalog":"Sandbox"}`)
	assertException(t, res, body, http.StatusBadRequest, channelNS, "ValidationException")
	if body["reason"] != "REQUEST_VALIDATION_FAILED" || body["message"] == nil {
		t.Errorf("fault body %v, want the required reason and a message", body)
	}
}

// TestChannelAwsSideRoutes drives a handshake to an account the server
// does not serve, which only the AWS side can answer.
func TestChannelAwsSideRoutes(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	_, body := channelCall(t, s, "CreateProgramManagementAccount", `{"catalog":"Sandbox","program":"DISTRIBUTION","displayName":"PMA","accountId":"333333333333"}`)
	pma := body["programManagementAccountDetail"].(map[string]any)["id"].(string)
	res, body := channelCall(t, s, "CreateChannelHandshake", `{"catalog":"Sandbox","handshakeType":"PROGRAM_MANAGEMENT_ACCOUNT","associatedResourceIdentifier":"`+pma+`"}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create handshake: %d %v", res.StatusCode, body)
	}
	id := body["channelHandshakeDetail"].(map[string]any)["id"].(string)
	base := "/_cosell/aws/channel/handshakes/Sandbox/" + id
	if code, out := call(t, s, http.MethodGet, base, "", "tok"); code != http.StatusOK || !strings.Contains(out, `"status":"PENDING"`) {
		t.Errorf("read: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodPost, base+"/accept", "", "tok"); code != http.StatusOK || !strings.Contains(out, `"status":"ACCEPTED"`) {
		t.Errorf("accept: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodPost, base+"/reject", "", "tok"); code != http.StatusConflict {
		t.Errorf("reject after accept: %d %s, want 409", code, out)
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/aws/channel/handshakes/Sandbox/ch-0000000000000/expire", "", "tok"); code != http.StatusNotFound {
		t.Errorf("expire an unknown handshake: %d %s, want 404", code, out)
	}
	_, body = channelCall(t, s, "ListProgramManagementAccounts", `{"catalog":"Sandbox"}`)
	if items := body["items"].([]any); items[0].(map[string]any)["status"] != "ACTIVE" {
		t.Errorf("PMA after the AWS side accepted: %v", items[0])
	}
}

// TestChannelScopedReset: the owner's PMAs go with its catalog; a
// handshake between two accounts stays for both.
func TestChannelScopedReset(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	_, body := channelCall(t, s, "CreateProgramManagementAccount", `{"catalog":"Sandbox","program":"DISTRIBUTION","displayName":"PMA","accountId":"222222222222"}`)
	pma := body["programManagementAccountDetail"].(map[string]any)["id"].(string)
	channelCall(t, s, "CreateChannelHandshake", `{"catalog":"Sandbox","handshakeType":"PROGRAM_MANAGEMENT_ACCOUNT","associatedResourceIdentifier":"`+pma+`"}`)
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset?account=111111111111&catalog=Sandbox", "", "tok"); code != http.StatusOK {
		t.Fatalf("reset: %d %s", code, out)
	}
	_, body = channelCall(t, s, "ListProgramManagementAccounts", `{"catalog":"Sandbox"}`)
	if items, _ := body["items"].([]any); len(items) != 0 {
		t.Errorf("PMAs after the owner's reset: %v", items)
	}
	_, body = channelCall(t, s, "ListChannelHandshakes", `{"catalog":"Sandbox","handshakeType":"PROGRAM_MANAGEMENT_ACCOUNT","participantType":"RECEIVER"}`, "test2", "test2")
	if items, _ := body["items"].([]any); len(items) != 1 {
		t.Errorf("the receiver's handshakes after the sender's reset: %v", body)
	}
}
