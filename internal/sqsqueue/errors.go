package sqsqueue

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/cosell/cosell/internal/auth"
)

// apiError is an SQS error as the JSON protocol answers it: the shape name
// in "__type", and the awsQuery code in x-amzn-query-error, which
// query-compatible SDKs (aws-sdk-go-v2's SQS among them) report as the
// error code and use to pick the modelled error type.
type apiError struct {
	Status  int
	Type    string // the shape name, e.g. "QueueDoesNotExist"
	Query   string // the awsQuery code; "" when it is Type
	Message string
	Server  bool // the service's fault ("Receiver"), not the caller's
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func senderError(typ, query, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: typ, Query: query, Message: fmt.Sprintf(format, args...)}
}

// The errors cosell answers, with SQS's codes and wording.
func queueDoesNotExist() *apiError {
	return senderError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

func invalidAddress(url string) *apiError {
	return senderError("InvalidAddress", "", "The address %s is not valid for this endpoint.", url)
}

func invalidParameter(format string, args ...any) *apiError {
	return senderError("InvalidParameterValue", "", format, args...)
}

func missingParameter(name string) *apiError {
	return senderError("MissingParameter", "", "The request must contain the parameter %s.", name)
}

func unsupported(op string) *apiError {
	return senderError("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", "cosell's event queue does not support %s.", op)
}

func batchError(name string, format string, args ...any) *apiError {
	return senderError(name, "AWS.SimpleQueueService."+name, format, args...)
}

// queueError models the queue's own errors; any other is the server's.
func queueError(err error, receiptHandle string) *apiError {
	switch {
	case errors.Is(err, errInvalidHandle), errors.Is(err, errStaleHandle):
		return senderError("ReceiptHandleIsInvalid", "", "The input receipt handle %q is not a valid receipt handle: %v.", receiptHandle, err)
	case errors.Is(err, errNotInFlight):
		return senderError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "The message referred to is not in flight.")
	}
	var api *apiError
	if errors.As(err, &api) {
		return api
	}
	return &apiError{Status: http.StatusInternalServerError, Type: "InternalError", Message: "We encountered an internal error. Please try again.", Server: true}
}

// authError models a failed signature check.
func authError(err error) *apiError {
	var a *auth.Error
	if !errors.As(err, &a) {
		return queueError(err, "")
	}
	return &apiError{Status: a.Status, Type: a.Code, Query: a.QueryCode(), Message: a.Message}
}

func writeError(w http.ResponseWriter, e *apiError) {
	query, fault := e.Query, "Sender"
	if query == "" {
		query = e.Type
	}
	if e.Server {
		fault = "Receiver"
	}
	w.Header().Set("x-amzn-query-error", query+";"+fault)
	writeJSON(w, e.Status, map[string]string{"__type": "com.amazonaws.sqs#" + e.Type, "message": e.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"__type":"com.amazonaws.sqs#InternalError","message":"response encoding"}`)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
