package auth

import (
	"fmt"
	"net/http"
)

// Error is an authentication failure, shaped like the errors AWS's request
// front end (Coral) answers before any operation runs. Code is the short
// exception name that becomes the "__type" on the wire.
type Error struct {
	Code    string
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The exception names AWS JSON services use for signature problems.
const (
	CodeMissingToken        = "MissingAuthenticationTokenException"
	CodeIncompleteSignature = "IncompleteSignatureException"
	CodeUnrecognizedClient  = "UnrecognizedClientException"
	CodeInvalidSignature    = "InvalidSignatureException"
)

// queryCodes are the signature errors' names in the query protocol (STS,
// and SQS's x-amzn-query-error).
var queryCodes = map[string]string{
	CodeMissingToken:        "MissingAuthenticationToken",
	CodeIncompleteSignature: "IncompleteSignature",
	CodeUnrecognizedClient:  "InvalidClientTokenId",
	CodeInvalidSignature:    "SignatureDoesNotMatch",
}

// QueryCode is the error's code as query-protocol services answer it.
func (e *Error) QueryCode() string {
	if c, ok := queryCodes[e.Code]; ok {
		return c
	}
	return e.Code
}

// AWS's wording, kept verbatim so clients that match on messages behave alike.
const (
	msgMissingToken      = "Missing Authentication Token"
	msgUnrecognized      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

func missingToken() *Error {
	return &Error{Code: CodeMissingToken, Status: http.StatusForbidden, Message: msgMissingToken}
}

func incomplete(format string, args ...any) *Error {
	return &Error{Code: CodeIncompleteSignature, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func unrecognizedClient() *Error {
	return &Error{Code: CodeUnrecognizedClient, Status: http.StatusForbidden, Message: msgUnrecognized}
}

func invalidSignature(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidSignature, Status: http.StatusForbidden, Message: fmt.Sprintf(format, args...)}
}
