package selling

import (
	"encoding/json"
	"testing"

	"github.com/cosell/cosell/internal/smithy"
)

func TestServiceSchema(t *testing.T) {
	if Service.Name != "AWSPartnerCentralSelling" || Service.SigningName != "partnercentral-selling" ||
		Service.Namespace != "com.amazonaws.partnercentralselling" || Service.Version != "2022-07-26" {
		t.Fatalf("service identity: %+v", Service)
	}
	if n := len(Service.Operations); n != 45 {
		t.Fatalf("%d operations, want 45", n)
	}
	for name, op := range Service.Operations {
		if op.Name != name || op.Input == nil || op.Input.Kind != smithy.KindStructure || len(op.Errors) == 0 || (op.HTTPCode != 200 && op.HTTPCode != 204) {
			t.Errorf("%s: incomplete operation %+v", name, op)
		}
	}
	// Reached only through the Opportunity resource's member operations.
	submit := Service.Operations["SubmitOpportunity"]
	if submit == nil || submit.Output != nil {
		t.Fatalf("SubmitOpportunity should exist with a Unit (nil) output: %+v", submit)
	}
	// botocore's model gives no response code, so even the void
	// DeleteResourceSnapshotJob is 200 (as AWS's captures of void operations are).
	if Service.Operations["DeleteResourceSnapshotJob"].HTTPCode != 200 || Service.Operations["CreateOpportunity"].HTTPCode != 200 {
		t.Error("HTTPCode should be 200 where the model gives no response code")
	}
	create := Service.Operations["CreateOpportunity"]
	if !create.Idempotent || create.ReadOnly {
		t.Error("CreateOpportunity is @idempotent and not @readonly")
	}
	if !Service.Operations["GetOpportunity"].ReadOnly {
		t.Error("GetOpportunity is @readonly")
	}
	catalog := create.Input.Member("Catalog")
	if catalog == nil || !catalog.Required || catalog.Target.Pattern == nil {
		t.Fatalf("CreateOpportunityRequest.Catalog: %+v", catalog)
	}
	if !create.Input.Member("ClientToken").IdempotencyToken {
		t.Error("ClientToken is the idempotency token")
	}
	v := Service.ErrorsByName["ServiceQuotaExceededException"]
	if v == nil || v.Error.HTTPStatus != 402 || v.Error.Fault != "client" {
		t.Errorf("ServiceQuotaExceededException: %+v", v)
	}
	stage := create.Input.Member("LifeCycle").Target.Member("Stage").Target
	if stage.Kind != smithy.KindEnum || stage.EnumValues[0] != "Prospect" {
		t.Errorf("LifeCycle.Stage: %+v", stage)
	}
}

func TestTypesCarryWireNames(t *testing.T) {
	in := `{"Catalog":"Sandbox","ClientToken":"t","LifeCycle":{"Stage":"Prospect","ReviewStatus":"Pending Submission","TargetCloseDate":"2025-10-11"},
	"Project":{"ExpectedCustomerSpend":[{"Amount":"100","CurrencyCode":"USD","Frequency":"Monthly","TargetCompany":"AWS"}]}}`
	var req CreateOpportunityRequest
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if *req.LifeCycle.ReviewStatus != ReviewStatusPendingSubmission || req.Project.ExpectedCustomerSpend[0].CurrencyCode != "USD" {
		t.Fatalf("decoded %+v", req)
	}
	out, err := json.Marshal(GetOpportunityRequest{Catalog: "AWS", Identifier: "O1"})
	if err != nil || string(out) != `{"Catalog":"AWS","Identifier":"O1"}` {
		t.Fatalf("encoded %s %v", out, err)
	}
	if got := len(ReviewStatus("").Values()); got != 6 {
		t.Errorf("%d ReviewStatus values", got)
	}
}
