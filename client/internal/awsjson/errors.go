package awsjson

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrorMetadata is what every API error knows about the response that
// carried it. The generated exception types embed it.
type ErrorMetadata struct {
	Code       string // the exception name, without namespace
	StatusCode int
	RequestID  string // x-amzn-RequestId
}

// ErrorCode is the exception name (smithy.APIError).
func (m ErrorMetadata) ErrorCode() string { return m.Code }

// Describe is the text of an error with the given message.
func (m ErrorMetadata) Describe(message string) string {
	return fmt.Sprintf("%s (HTTP %d, request id %s): %s", m.Code, m.StatusCode, m.RequestID, message)
}

// HTTPStatus is the response's status code.
func (m ErrorMetadata) HTTPStatus() int { return m.StatusCode }

// ErrorFault says whose fault the error is (smithy.APIError), by status.
func (m ErrorMetadata) ErrorFault() smithy.ErrorFault {
	if m.StatusCode >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// APIError is an error response the service does not model: an
// authentication failure (UnrecognizedClientException,
// InvalidSignatureException), a front-end error, an unknown code.
type APIError struct {
	Code       string
	Message    string
	StatusCode int
	RequestID  string
}

func (e *APIError) meta() ErrorMetadata {
	return ErrorMetadata{Code: e.Code, StatusCode: e.StatusCode, RequestID: e.RequestID}
}

func (e *APIError) Error() string                 { return e.meta().Describe(e.Message) }
func (e *APIError) ErrorCode() string             { return e.Code }
func (e *APIError) ErrorMessage() string          { return e.Message }
func (e *APIError) ErrorFault() smithy.ErrorFault { return e.meta().ErrorFault() }
func (e *APIError) HTTPStatus() int               { return e.StatusCode }

// OperationError is any failure of a call: it names the operation and how
// many attempts were made, and unwraps to the cause (a typed exception, an
// *APIError, a context or connection error).
type OperationError struct {
	Operation string
	Attempts  int
	Err       error
}

func (e *OperationError) Error() string {
	return fmt.Sprintf("%s: %v (after %d attempt(s))", e.Operation, e.Err, e.Attempts)
}

func (e *OperationError) Unwrap() error { return e.Err }

// errorMetadata reads the code and request id of an error response, the
// way the AWS SDKs do for awsJson: the x-amzn-ErrorType header (anything
// after ':' dropped) or the body's __type (namespace before '#' dropped).
func errorMetadata(res *http.Response, body []byte) (ErrorMetadata, string) {
	var fields struct {
		Type         string `json:"__type"`
		LowerMessage string `json:"message"`
		UpperMessage string `json:"Message"`
	}
	_ = json.Unmarshal(body, &fields) // a body that is not JSON leaves the header, or nothing
	code := res.Header.Get("X-Amzn-ErrorType")
	if code == "" {
		code = fields.Type
	}
	code, _, _ = strings.Cut(code, ":")
	if _, after, found := strings.Cut(code, "#"); found {
		code = after
	}
	message := fields.UpperMessage
	if message == "" {
		message = fields.LowerMessage
	}
	if code == "" {
		code = http.StatusText(res.StatusCode)
	}
	meta := ErrorMetadata{Code: strings.TrimSpace(code), StatusCode: res.StatusCode, RequestID: requestID(res)}
	return meta, message
}

func requestID(res *http.Response) string {
	if id := res.Header.Get("X-Amzn-RequestId"); id != "" {
		return id
	}
	return res.Header.Get("X-Amz-Request-Id")
}

// decodeError builds the error of a failed response: the service's typed
// exception when it models the code, else an *APIError.
func decodeError(svc Service, res *http.Response, body []byte) error {
	meta, message := errorMetadata(res, body)
	if svc.DecodeError != nil {
		if err := svc.DecodeError(meta, body); err != nil {
			return err
		}
	}
	return &APIError{Code: meta.Code, Message: message, StatusCode: meta.StatusCode, RequestID: meta.RequestID}
}

// DecodeException fills a generated exception's fields from an error body.
// A body that does not decode still yields the exception, with what did.
func DecodeException(body []byte, fields any) {
	_ = json.Unmarshal(body, fields)
}
