package wire

import (
	"encoding/json"
	"testing"

	"github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
)

// The Benefits API's exceptions against its real model: the model's
// Reason values, FieldList, and the quota exception's extra members.
func TestBenefitsErrors(t *testing.T) {
	api := &API{Service: benefits.Service, Errors: BenefitsErrors}
	shape := func(err error) (*wireError, string) {
		t.Helper()
		w, ok := fromDomainError(api, err)
		if !ok {
			t.Fatalf("%v is not a client error", err)
		}
		b, _ := json.Marshal(w.members)
		return w, string(b)
	}
	w, body := shape(apierr.RequestInvalid(apierr.FieldError{FieldName: "identifier", Code: apierr.CodeInvalidStringFormat, Message: "bad id"}))
	if w.status != 400 || w.namespace != "com.amazonaws.partnercentralbenefits" || w.name != "ValidationException" ||
		body != `{"FieldList":[{"Name":"identifier","Message":"bad id","Code":"INVALID_STRING_FORMAT"}],"Message":"The request failed validation: bad id","Reason":"fieldValidationFailed"}` {
		t.Errorf("model validation: %d %s %s %s", w.status, w.namespace, w.name, body)
	}
	if _, body = shape(apierr.BusinessInvalid("no", apierr.FieldError{FieldName: "identifier", Code: apierr.CodeInvalidResourceState, Message: "state"})); body != `{"FieldList":[{"Name":"identifier","Message":"state","Code":"INVALID_RESOURCE_STATE"}],"Message":"no","Reason":"BUSINESS_VALIDATION_FAILED"}` {
		t.Errorf("business validation: %s", body)
	}
	w, body = shape(apierr.QuotaExceeded("full").About("BenefitApplication", "111111111111").WithQuotaCode("Q"))
	if w.status != 402 || body != `{"Message":"full","QuotaCode":"Q","ResourceId":"111111111111","ResourceType":"BenefitApplication"}` {
		t.Errorf("quota: %d %s", w.status, body)
	}
	// Members the shape lacks are left out.
	if w, body = shape(apierr.NotFound("gone").About("BenefitApplication", "x")); w.status != 404 || body != `{"Message":"gone"}` {
		t.Errorf("not found: %d %s", w.status, body)
	}
}
