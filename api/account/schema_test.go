package account

import "testing"

func TestServiceSchema(t *testing.T) {
	if Service.Name != "PartnerCentralAccount" || Service.SigningName != "partnercentral-account" || Service.Version != "2025-04-04" {
		t.Fatalf("service identity: %+v", Service)
	}
	if n := len(Service.Operations); n != 34 {
		t.Fatalf("%d operations, want 34", n)
	}
	for name, op := range Service.Operations {
		if op.Name != name || op.Input == nil || len(op.Errors) == 0 {
			t.Errorf("%s: incomplete operation %+v", name, op)
		}
	}
	if Service.ErrorsByName["ValidationException"].Member("ErrorDetails") == nil {
		t.Error("Account ValidationException carries ErrorDetails")
	}
}
