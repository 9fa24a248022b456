package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	api "github.com/cosell/cosell/api/revenue"
	revenueclient "github.com/cosell/cosell/client/revenue"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
)

// channelCall sends one signed Channel API request as the account of the
// "test" key and decodes the answer.
func channelCall(t *testing.T, srv *servertest.Server, op, body string) map[string]any {
	t.Helper()
	return signedCall(t, srv, "PartnerCentralChannel."+op, "partnercentral-channel", body)
}

// signedCall sends one SigV4-signed awsJson 1.0 request as the account of
// the "test" key and decodes the answer, failing the test unless it is 200.
func signedCall(t *testing.T, srv *servertest.Server, target, signingName, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
		req, hex.EncodeToString(sum[:]), signingName, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: HTTP %d %s", target, res.StatusCode, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestChannelPageAnswersHandshakesAsTheAdminAPIDoes(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())
	b.signIn()
	pma := channelCall(t, srv, "CreateProgramManagementAccount", `{"catalog":"Sandbox","program":"DISTRIBUTION","displayName":"Console PMA","accountId":"333333333333"}`)
	pmaID := pma["programManagementAccountDetail"].(map[string]any)["id"].(string)
	handshake := func() string {
		out := channelCall(t, srv, "CreateChannelHandshake", `{"catalog":"Sandbox","handshakeType":"PROGRAM_MANAGEMENT_ACCOUNT","associatedResourceIdentifier":"`+pmaID+`"}`)
		return out["channelHandshakeDetail"].(map[string]any)["id"].(string)
	}
	id := handshake()
	page := "/console/channel?" + url.Values{"account": {account}, "catalog": {catalog}}.Encode()
	res, body := b.get(page)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="hs-`+id+`"`) || !strings.Contains(body, "Console PMA") ||
		!strings.Contains(body, `value="accept">Accept as receiver`) {
		t.Fatalf("the channel page does not list handshake %s and its PMA with actions: HTTP %d\n%.3000s", id, res.StatusCode, body)
	}
	act := func(id, action string) (string, string) {
		return outcome(t, first(b.post("/console/channel/handshake", url.Values{"catalog": {catalog}, "id": {id}, "action": {action}, "back": {page}})))
	}
	if ok, failed := act(id, "accept"); failed != "" || !strings.Contains(ok, "ACCEPTED") {
		t.Fatalf("accept: ok %q error %q", ok, failed)
	}
	// The domain saw it: the PMA is active, as after the admin API's accept.
	list := channelCall(t, srv, "ListProgramManagementAccounts", `{"catalog":"Sandbox"}`)
	if st := list["items"].([]any)[0].(map[string]any)["status"]; st != "ACTIVE" {
		t.Errorf("PMA after the console accepted its handshake: %v", st)
	}
	if _, failed := act(id, "reject"); failed == "" {
		t.Errorf("rejecting an accepted handshake succeeded")
	}
	if _, failed := act("ch-0000000000000", "expire"); failed == "" {
		t.Error("expiring an unknown handshake succeeded")
	}
	if res, _ := b.post("/console/channel/handshake", url.Values{"catalog": {catalog}, "id": {id}, "action": {"cancel"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown action: HTTP %d, want 400", res.StatusCode)
	}
	_, body = b.get(page)
	if strings.Contains(body, "nil") {
		t.Errorf("the page prints a missing value as nil:\n%.4000s", body)
	}
	if !strings.Contains(body, `<span class="badge badge-accepted">ACCEPTED</span>`) {
		t.Error("the page does not show the handshake accepted")
	}
}

func TestEventsPageOffersEverySource(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())
	b.signIn()
	_, body := b.get("/console/events")
	for _, source := range []string{"selling", "account", "channel", "benefits"} {
		if !strings.Contains(body, `<option value="aws.partnercentral-`+source+`">`) {
			t.Errorf("the source filter does not offer aws.partnercentral-%s", source)
		}
	}
}

func TestRevenuePageAddsProductsAndSettlesTasks(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())
	b.signIn()
	page := "/console/revenue?" + url.Values{"account": {account}, "catalog": {catalog}}.Encode()
	ok := mustSucceed(t, first(b.post("/console/revenue/product", url.Values{"account": {account}, "catalog": {catalog},
		"id": {"prod-console000001"}, "name": {"Console product"}, "back": {page}})))
	if !strings.Contains(ok, account) {
		t.Errorf("add product: %q", ok)
	}
	if got := string(srv.Admin(http.MethodGet, "/_cosell/aws/revenue/products/Sandbox/"+account, "")); !strings.Contains(got, "prod-console000001") {
		t.Fatalf("the admin API does not list the product the console added: %s", got)
	}
	if _, failed := outcome(t, first(b.post("/console/revenue/product", url.Values{"account": {account}, "catalog": {catalog}, "id": {"not-a-product"}}))); failed == "" {
		t.Error("a malformed product id was accepted")
	}

	ctx := context.Background()
	c := revenueclient.New(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *revenueclient.Options) { o.BaseEndpoint = srv.URL(); o.RateLimit.Disabled = true })
	a, err := c.CreateRevenueAttribution(ctx, &api.CreateRevenueAttributionInput{Catalog: catalog, Name: "Console deal",
		TenancyModel: api.TenancyModelMultiTenant, ProductIdentifier: aws.String("prod-console000001")})
	if err != nil {
		t.Fatal(err)
	}
	now := serverClock(t, srv)
	if _, err := c.StartRevenueAttributionAllocationsTask(ctx, &api.StartRevenueAttributionAllocationsTaskInput{Catalog: catalog,
		RevenueAttributionIdentifier: a.Id, RevenueAttributionRevision: "1", RevenueShareAllocations: []api.RevenueShareAllocation{{
			Action: api.RevenueAttributionAllocationActionCreate, EntityType: api.EntityTypeOffer, EntityIdentifier: "offer-abc",
			CustomerAwsAccountId: "123456789012", RevenueSharePercent: "10",
			EffectiveFrom: now.Format(time.DateOnly), EffectiveUntil: now.AddDate(0, 1, 0).Format(time.DateOnly)}}}); err != nil {
		t.Fatal(err)
	}
	_, body := b.get(page)
	if !strings.Contains(body, "Console product") || !strings.Contains(body, a.Id) || !strings.Contains(body, "IN_PROGRESS") ||
		!strings.Contains(body, `action="/console/revenue/settle"`) {
		t.Fatalf("the revenue page does not show the product, the attribution and its task in progress:\n%.4000s", body)
	}
	if strings.Contains(body, "nil") {
		t.Errorf("the page prints a missing value as nil:\n%.4000s", body)
	}
	mustSucceed(t, first(b.post("/console/revenue/settle", url.Values{"account": {account}, "catalog": {catalog}, "attribution": {a.Id},
		"errorCode": {"INTERNAL_ERROR"}, "back": {page}})))
	task, err := c.GetRevenueAttributionAllocationsTask(ctx, &api.GetRevenueAttributionAllocationsTaskInput{Catalog: catalog, RevenueAttributionIdentifier: a.Id})
	if err != nil || task.Status != api.RevenueAttributionAllocationTaskStatusFailed || task.ErrorDetailList[0].ErrorCode != "INTERNAL_ERROR" {
		t.Fatalf("the task after the console settled it: %+v %v", task, err)
	}
	if _, failed := outcome(t, first(b.post("/console/revenue/settle", url.Values{"account": {account}, "catalog": {catalog}, "attribution": {a.Id}}))); failed == "" {
		t.Error("settling a task no longer in progress succeeded")
	}
}

func benefitsCall(t *testing.T, srv *servertest.Server, op, body string) map[string]any {
	t.Helper()
	return signedCall(t, srv, "PartnerCentralBenefitsService."+op, "partnercentral-benefits", body)
}

func TestBenefitsPageReviewsApplicationsAsTheAdminAPIDoes(t *testing.T) {
	srv := servertest.Start(t, server.Config{})
	b := newBrowser(t, srv.URL())
	b.signIn()
	list := benefitsCall(t, srv, "ListBenefits", `{"Catalog":"Sandbox","Programs":["POC"],"Status":["ACTIVE"]}`)
	benefit := list["BenefitSummaries"].([]any)[0].(map[string]any)["Id"].(string)
	created := benefitsCall(t, srv, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"console-1","Name":"Console POC","BenefitIdentifier":"`+benefit+`",
		"BenefitApplicationDetails":{"AccountId":"123456789012","CustomerName":"Example Corp","UseCase":"Prove the analytics platform on the customer's data lake.","RequestedAmount":5000}}`)
	id := created["Id"].(string)
	benefitsCall(t, srv, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	status := func() map[string]any {
		return benefitsCall(t, srv, "GetBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	}
	page := "/console/benefits?" + url.Values{"account": {account}, "catalog": {catalog}}.Encode()
	res, body := b.get(page)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="app-`+id+`"`) || !strings.Contains(body, `<option value="APPROVED">`) {
		t.Fatalf("the benefits page does not offer a review of %s: HTTP %d\n%.3000s", id, res.StatusCode, body)
	}
	review := func(form url.Values) (string, string) {
		form.Set("account", account)
		form.Set("catalog", catalog)
		form.Set("id", id)
		form.Set("back", page)
		return outcome(t, first(b.post("/console/benefits/review", form)))
	}
	if _, failed := review(url.Values{"decision": {"ACTION_REQUIRED"}, "reason": {"Attach the SOW."}, "reasonCodes": {"MISSING_DOCUMENTATION, OTHER"}}); failed != "" {
		t.Fatalf("action required: %s", failed)
	}
	if got := status(); got["Status"] != "ACTION_REQUIRED" || len(got["StatusReasonCodes"].([]any)) != 2 {
		t.Fatalf("after action required: %v", got)
	}
	if _, failed := review(url.Values{"decision": {"APPROVED"}, "allocations": {"not json"}}); failed == "" {
		t.Error("approving with malformed allocations succeeded")
	}
	if _, failed := review(url.Values{"decision": {"REJECTED"}, "reason": {"Out of budget."}}); failed != "" {
		t.Fatalf("reject: %s", failed)
	}
	if got := status(); got["Status"] != "REJECTED" {
		t.Fatalf("after reject: %v", got)
	}

	// A second application, approved with one allocation, then fulfilled.
	created = benefitsCall(t, srv, "CreateBenefitApplication", `{"Catalog":"Sandbox","ClientToken":"console-2","Name":"Console POC 2","BenefitIdentifier":"`+benefit+`",
		"BenefitApplicationDetails":{"AccountId":"123456789012","CustomerName":"Example Corp","UseCase":"Prove the analytics platform on the customer's data lake.","RequestedAmount":5000}}`)
	id = created["Id"].(string)
	benefitsCall(t, srv, "SubmitBenefitApplication", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`)
	if _, failed := review(url.Values{"decision": {"APPROVED"}, "allocations": {`[{"name":"Console grant"}]`}}); failed != "" {
		t.Fatalf("approve: %s", failed)
	}
	allocs := benefitsCall(t, srv, "ListBenefitAllocations", `{"Catalog":"Sandbox"}`)["BenefitAllocationSummaries"].([]any)
	if len(allocs) != 1 || allocs[0].(map[string]any)["Name"] != "Console grant" {
		t.Fatalf("allocations after approval: %v", allocs)
	}
	alloc := allocs[0].(map[string]any)["Id"].(string)
	if _, body = b.get(page); !strings.Contains(body, `id="alloc-`+alloc+`"`) || !strings.Contains(body, `value="FULFILLED">Fulfil`) {
		t.Fatalf("the page does not offer to fulfil %s", alloc)
	}
	if strings.Contains(body, "nil") {
		t.Errorf("the page prints a missing value as nil:\n%.4000s", body)
	}
	ok := mustSucceed(t, first(b.post("/console/benefits/allocation", url.Values{"account": {account}, "catalog": {catalog}, "id": {alloc}, "status": {"FULFILLED"}, "back": {page}})))
	if !strings.Contains(ok, "FULFILLED") {
		t.Errorf("fulfil: %q", ok)
	}
	got := benefitsCall(t, srv, "GetBenefitAllocation", `{"Catalog":"Sandbox","Identifier":"`+alloc+`"}`)
	if got["Status"] != "FULFILLED" {
		t.Errorf("allocation after the console fulfilled it: %v", got["Status"])
	}
	if _, failed := outcome(t, first(b.post("/console/benefits/allocation", url.Values{"account": {account}, "catalog": {catalog}, "id": {alloc}, "status": {"GONE"}}))); failed == "" {
		t.Error("an unknown allocation status was accepted")
	}
}
