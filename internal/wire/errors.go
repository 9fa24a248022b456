package wire

import (
	"fmt"
	"net/http"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/smithy"
)

// ErrorStyle is how a service shapes its modelled exceptions.
type ErrorStyle uint8

const (
	// SellingErrors: ValidationException carries ErrorList[{FieldName,
	// Message, Code}]; other exceptions carry Message, and Reason only
	// where the shape has one and the domain set it. The namespace is the
	// one the real service reports in x-amzn-ErrorType
	// ("ValidationException:http://internal.amazon.com/coral/com.amazon.partnerintegrationapi.common/"
	// in AWS's own captures), not the model's.
	SellingErrors ErrorStyle = iota + 1
	// AccountErrors: every exception with a Reason member gets one (the
	// model makes it required); ValidationException carries ErrorDetails
	// as a list of FieldValidationError / BusinessValidationError unions.
	// No capture of this service's errors exists, so the namespace is the
	// model's own.
	AccountErrors
	// ChannelErrors: the Channel API's camelCase members (message, reason,
	// fieldList[{name, code, message}], resourceId, resourceType,
	// quotaCode) in the model's namespace; see errors_channel.go.
	ChannelErrors
	// FieldListErrors: ValidationException carries a Reason and FieldList
	// [{Name, Message, Code}], Code from the model's FieldValidationCode
	// enum; other exceptions carry Message and Reason where the shape has
	// one (Revenue Measurement). The namespace is the model's own, so
	// __type is the exception's absolute shape id as rpcv2Cbor asks.
	FieldListErrors
	// BenefitsErrors: ValidationException carries the model's own Reason
	// enum (fieldValidationFailed for a request that breaks the model,
	// BUSINESS_VALIDATION_FAILED for a business rule) and FieldList[{Name,
	// Message, Code}] with the full code set the validator emits;
	// ServiceQuotaExceededException carries ResourceId, ResourceType and
	// QuotaCode from the domain. The namespace is the model's own; see
	// errors_benefits.go.
	BenefitsErrors
)

// coralNamespace is where AWS's request front end puts the errors it
// raises before an operation runs (authentication, routing, body parsing).
const coralNamespace = "com.amazon.coral.service"

func (s ErrorStyle) namespace(svc *smithy.Service) string {
	switch s {
	case AccountErrors:
		return "com.amazonaws.partnercentralaccount"
	case FieldListErrors, BenefitsErrors:
		return svc.Namespace
	case ChannelErrors:
		return channelNamespace
	}
	return "com.amazon.partnerintegrationapi.common"
}

// memberNames are the names the style gives the members most exceptions
// share.
func (s ErrorStyle) memberNames() (message, reason string) {
	if s == ChannelErrors {
		return "message", "reason"
	}
	return "Message", "Reason"
}

// wireError is an error ready to be written: status, exception name, the
// namespace that qualifies it and the body members besides "__type".
type wireError struct {
	status    int
	name      string
	namespace string
	members   map[string]any
}

// coralError is a front-end error. Its message member is lower-case
// "message", as AWS's front end writes it; SDKs read either spelling.
func coralError(status int, name, format string, args ...any) *wireError {
	return &wireError{status: status, name: name, namespace: coralNamespace,
		members: map[string]any{"message": fmt.Sprintf(format, args...)}}
}

func fromAuthError(e *auth.Error) *wireError {
	return coralError(e.Status, e.Code, "%s", e.Message)
}

func unknownOperation(format string, args ...any) *wireError {
	return coralError(http.StatusBadRequest, "UnknownOperationException", format, args...)
}

func serializationError(msg string) *wireError {
	return &wireError{status: http.StatusBadRequest, name: "SerializationException", namespace: coralNamespace,
		members: map[string]any{"Message": msg}}
}

func notImplemented(service *smithy.Service, op string) *wireError {
	return coralError(http.StatusNotImplemented, "NotImplementedException",
		"%s.%s is part of the model but cosell does not implement it yet.", service.Name, op)
}

// kindExceptions maps each domain error kind to the modelled exception it
// becomes, with the status used when a model carries no @httpError.
var kindExceptions = map[apierr.Kind]struct {
	name   string
	status int
}{
	apierr.KindValidation:           {"ValidationException", http.StatusBadRequest},
	apierr.KindConflict:             {"ConflictException", http.StatusConflict},
	apierr.KindNotFound:             {"ResourceNotFoundException", http.StatusNotFound},
	apierr.KindAccessDenied:         {"AccessDeniedException", http.StatusForbidden},
	apierr.KindThrottling:           {"ThrottlingException", http.StatusTooManyRequests},
	apierr.KindServiceQuotaExceeded: {"ServiceQuotaExceededException", http.StatusPaymentRequired},
	apierr.KindInternal:             {"InternalServerException", http.StatusInternalServerError},
}

const internalErrorName = "InternalServerException"

// internalError hides the cause from the client; the caller logs it under
// the same request id.
func internalError(api *API, requestID string) *wireError {
	ns, message := coralNamespace, "Message"
	status := http.StatusInternalServerError
	if api != nil {
		ns = api.Errors.namespace(api.Service)
		status = modelStatus(api.Service, internalErrorName, status)
		message, _ = api.Errors.memberNames()
	}
	return &wireError{status: status, name: internalErrorName, namespace: ns,
		members: map[string]any{message: "An internal error occurred. Request ID: " + requestID}}
}

// fromDomainError shapes a domain error as api's modelled exception. ok is
// false when err is not a client-facing domain error (the caller answers
// InternalServerException and logs err).
func fromDomainError(api *API, err error) (*wireError, bool) {
	e, ok := apierr.As(err)
	if !ok || e.Kind == apierr.KindInternal {
		return nil, false
	}
	if e.Kind == apierr.KindSerialization {
		return serializationError(e.Message), true
	}
	ex, known := kindExceptions[e.Kind]
	if !known {
		return nil, false
	}
	shape := api.Service.ErrorsByName[ex.name]
	messageKey, reasonKey := api.Errors.memberNames()
	members := map[string]any{messageKey: e.Message}
	if reason := reasonFor(shape, reasonKey, api.Errors.reason(e.Reason)); reason != "" {
		members[reasonKey] = reason
	}
	if e.Kind == apierr.KindValidation && len(e.Fields) > 0 {
		switch api.Errors {
		case AccountErrors:
			members["ErrorDetails"] = accountErrorDetails(e.Fields)
		case ChannelErrors:
			members["fieldList"] = channelFieldList(e.Fields)
		case FieldListErrors:
			members["FieldList"] = fieldList(e.Fields)
		case BenefitsErrors:
			members["FieldList"] = benefitsFieldList(e.Fields)
		default:
			members["ErrorList"] = sellingErrorList(e.Fields)
		}
	}
	switch api.Errors {
	case ChannelErrors:
		addResourceMembers(members, shape, e.Resource, "resourceId", "resourceType", "quotaCode")
	case BenefitsErrors:
		addResourceMembers(members, shape, e.Resource, "ResourceId", "ResourceType", "QuotaCode")
	}
	return &wireError{status: modelStatus(api.Service, ex.name, ex.status), name: ex.name,
		namespace: api.Errors.namespace(api.Service), members: members}, true
}

// reasonFor is the reason member (named member) to send: the domain's when
// the shape has that member, else the first value of the reason enum when
// the model makes it required (the Account API does, for every exception
// that has one), else none.
func reasonFor(shape *smithy.Shape, member, domainReason string) string {
	if shape == nil {
		return domainReason
	}
	m := shape.Member(member)
	switch {
	case m == nil:
		return ""
	case domainReason != "":
		return domainReason
	case m.Required && m.Target != nil && len(m.Target.EnumValues) > 0:
		return m.Target.EnumValues[0]
	}
	return ""
}

func modelStatus(service *smithy.Service, name string, fallback int) int {
	if s := service.ErrorsByName[name]; s != nil && s.Error != nil && s.Error.HTTPStatus != 0 {
		return s.Error.HTTPStatus
	}
	return fallback
}

type sellingFieldError struct {
	FieldName string `json:"FieldName,omitempty"`
	Message   string `json:"Message"`
	Code      string `json:"Code"`
}

func sellingErrorList(fields []apierr.FieldError) []sellingFieldError {
	list := make([]sellingFieldError, len(fields))
	for i, f := range fields {
		list[i] = sellingFieldError{FieldName: f.FieldName, Message: f.Message, Code: f.Code}
	}
	return list
}

// accountValidationError is one member of the Account API's ValidationError
// union: a field problem when the domain named a field, a business rule
// otherwise.
type accountValidationError struct {
	Field    *accountFieldError    `json:"FieldValidationError,omitempty"`
	Business *accountBusinessError `json:"BusinessValidationError,omitempty"`
}

type accountFieldError struct {
	Name    string `json:"Name"`
	Message string `json:"Message"`
	Code    string `json:"Code"`
}

type accountBusinessError struct {
	Message string `json:"Message"`
	Code    string `json:"Code"`
}

func accountErrorDetails(fields []apierr.FieldError) []accountValidationError {
	list := make([]accountValidationError, len(fields))
	for i, f := range fields {
		if f.FieldName == "" {
			list[i].Business = &accountBusinessError{Message: f.Message, Code: f.Code}
			continue
		}
		list[i].Field = &accountFieldError{Name: f.FieldName, Message: f.Message, Code: fieldValidationCode(f.Code)}
	}
	return list
}

// fieldListEntry is one ValidationExceptionField of FieldListErrors.
type fieldListEntry struct {
	Name    string `json:"Name"`
	Message string `json:"Message"`
	Code    string `json:"Code"`
}

func fieldList(fields []apierr.FieldError) []fieldListEntry {
	list := make([]fieldListEntry, len(fields))
	for i, f := range fields {
		list[i] = fieldListEntry{Name: f.FieldName, Message: f.Message, Code: fieldValidationCode(f.Code)}
	}
	return list
}

// fieldValidationCode maps the Selling field codes the shared validator
// emits onto the smaller FieldValidationCode enum of the Account and Revenue
// Measurement APIs.
func fieldValidationCode(code string) string {
	switch code {
	case apierr.CodeDuplicateKeyValue:
		return "DUPLICATE_VALUE"
	case apierr.CodeNotEnoughValues, apierr.CodeValueOutOfRange, apierr.CodeInvalidResourceState:
		return apierr.CodeInvalidValue
	}
	return code
}

// document is the error's JSON body: its members and "__type".
func (e *wireError) document() []byte {
	members := make(map[string]any, len(e.members)+1)
	for k, v := range e.members {
		members[k] = v
	}
	members["__type"] = e.namespace + "#" + e.name
	body, err := encodeJSON(members)
	if err != nil {
		// Members are strings and plain structs; this cannot fail.
		panic(err)
	}
	return body
}

// write sends the error as awsJson does, with AWS's error header.
func (e *wireError) write(w http.ResponseWriter, contentType string) {
	w.Header().Set("X-Amzn-ErrorType", e.name+":http://internal.amazon.com/coral/"+e.namespace+"/")
	writeBody(w, e.status, contentType, e.document())
}
