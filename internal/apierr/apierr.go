// Package apierr holds the typed errors domain code returns. The wire layer
// maps each Kind once to the service's modelled exception shape; domain code
// never builds wire errors itself.
package apierr

import (
	"errors"
	"fmt"
)

// Kind says which modelled exception an error becomes.
type Kind uint8

const (
	KindValidation Kind = iota + 1
	KindConflict
	KindNotFound
	KindAccessDenied
	KindThrottling
	KindServiceQuotaExceeded
	KindInternal
	// KindSerialization is a body that is not JSON or does not fit the
	// shapes' types; awsJson services answer it with SerializationException.
	KindSerialization
)

// Validation reasons shared by both services' ValidationException.
const (
	ReasonRequestValidation  = "REQUEST_VALIDATION_FAILED"
	ReasonBusinessValidation = "BUSINESS_VALIDATION_FAILED"
)

// Field error codes. The Selling API's ErrorList codes; the Account API maps
// them onto its FieldValidationError codes in the wire layer.
const (
	CodeRequiredFieldMissing = "REQUIRED_FIELD_MISSING"
	CodeInvalidEnumValue     = "INVALID_ENUM_VALUE"
	CodeInvalidStringFormat  = "INVALID_STRING_FORMAT"
	CodeInvalidValue         = "INVALID_VALUE"
	CodeNotEnoughValues      = "NOT_ENOUGH_VALUES"
	CodeTooManyValues        = "TOO_MANY_VALUES"
	CodeInvalidResourceState = "INVALID_RESOURCE_STATE"
	CodeDuplicateKeyValue    = "DUPLICATE_KEY_VALUE"
	CodeValueOutOfRange      = "VALUE_OUT_OF_RANGE"
	CodeActionNotPermitted   = "ACTION_NOT_PERMITTED"
)

// FieldError is one entry of a ValidationException's field list.
type FieldError struct {
	FieldName string // dotted lowerCamel path, e.g. "project.expectedCustomerSpend.estimationUrl"
	Message   string
	Code      string
}

// Error is a domain error that becomes a modelled exception on the wire.
type Error struct {
	Kind    Kind
	Message string
	// Reason is the exception's Reason member where the model has one
	// (ValidationException always; Account API exceptions always).
	Reason string
	Fields []FieldError
	// Resource names what the error is about, for exceptions whose shape
	// carries resourceId, resourceType and quotaCode members.
	Resource Resource
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%d field errors, first: %s: %s)", e.Message, len(e.Fields), e.Fields[0].FieldName, e.Fields[0].Message)
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// RequestInvalid is a ValidationException for a request that breaks the model.
func RequestInvalid(fields ...FieldError) *Error {
	return &Error{Kind: KindValidation, Reason: ReasonRequestValidation, Message: validationMessage(fields), Fields: fields}
}

// BusinessInvalid is a ValidationException for a request that breaks a business rule.
func BusinessInvalid(msg string, fields ...FieldError) *Error {
	return &Error{Kind: KindValidation, Reason: ReasonBusinessValidation, Message: msg, Fields: fields}
}

// Conflict is a ConflictException.
func Conflict(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// NotFound is a ResourceNotFoundException.
func NotFound(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// AccessDenied is an AccessDeniedException.
func AccessDenied(format string, args ...any) *Error {
	return &Error{Kind: KindAccessDenied, Message: fmt.Sprintf(format, args...)}
}

// Throttled is a ThrottlingException.
func Throttled(format string, args ...any) *Error {
	return &Error{Kind: KindThrottling, Message: fmt.Sprintf(format, args...)}
}

// QuotaExceeded is a ServiceQuotaExceededException.
func QuotaExceeded(format string, args ...any) *Error {
	return &Error{Kind: KindServiceQuotaExceeded, Message: fmt.Sprintf(format, args...)}
}

// Serialization is a SerializationException for a malformed request body.
func Serialization(format string, args ...any) *Error {
	return &Error{Kind: KindSerialization, Message: fmt.Sprintf(format, args...)}
}

// WithReason sets the Reason member and returns e.
func (e *Error) WithReason(reason string) *Error {
	e.Reason = reason
	return e
}

func validationMessage(fields []FieldError) string {
	if len(fields) == 1 {
		return "The request failed validation: " + fields[0].Message
	}
	return fmt.Sprintf("The request failed validation: %d errors found, see ErrorList.", len(fields))
}
