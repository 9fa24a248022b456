package wire

import "github.com/cosell/cosell/internal/apierr"

// reason is the Reason member for the domain's reason: the Benefits model's
// enum spells a request that breaks the model fieldValidationFailed (its
// BUSINESS_VALIDATION_FAILED is the shared one); other styles send it as is.
func (s ErrorStyle) reason(domain string) string {
	if s == BenefitsErrors && domain == apierr.ReasonRequestValidation {
		return "fieldValidationFailed"
	}
	return domain
}

// benefitsFieldError is one entry of the Benefits API's FieldList; its
// codes are the Selling ones the shared validator emits.
type benefitsFieldError struct {
	Name    string `json:"Name"`
	Message string `json:"Message"`
	Code    string `json:"Code,omitempty"`
}

func benefitsFieldList(fields []apierr.FieldError) []benefitsFieldError {
	list := make([]benefitsFieldError, len(fields))
	for i, f := range fields {
		list[i] = benefitsFieldError{Name: f.FieldName, Message: f.Message, Code: f.Code}
	}
	return list
}
