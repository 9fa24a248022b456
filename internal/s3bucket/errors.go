package s3bucket

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/cosell/cosell/internal/auth"
)

// s3Error is an error answered in S3's XML <Error> shape.
type s3Error struct {
	Code    string
	Status  int
	Message string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

// S3's codes and wording (S3 API reference, "Error responses").
var (
	errAccessDenied     = &s3Error{"AccessDenied", http.StatusForbidden, "Access Denied"}
	errNoSuchBucket     = &s3Error{"NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist"}
	errNoSuchKey        = &s3Error{"NoSuchKey", http.StatusNotFound, "The specified key does not exist."}
	errMethodNotAllowed = &s3Error{"MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."}
	errMalformedXML     = &s3Error{"MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"}
	errKeyTooLong       = &s3Error{"KeyTooLongError", http.StatusBadRequest, "Your key is too long"}
	errInvalidURI       = &s3Error{"InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI."}
	errTooLarge         = &s3Error{"EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size"}
	errInvalidDigest    = &s3Error{"InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified is not valid."}
	errInternal         = &s3Error{"InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again."}
)

func badRequest(code, message string) *s3Error {
	return &s3Error{code, http.StatusBadRequest, message}
}

func notImplemented(message string) *s3Error {
	return &s3Error{"NotImplemented", http.StatusNotImplemented, message}
}

// asS3Error gives every error its S3 answer: auth failures keep their S3
// code, the store's not-found errors become NoSuchBucket/NoSuchKey, and
// anything else is an InternalError.
func asS3Error(err error) *s3Error {
	var s3e *s3Error
	var ae *auth.Error
	switch {
	case errors.As(err, &s3e):
		return s3e
	case errors.As(err, &ae):
		return &s3Error{ae.Code, ae.Status, ae.Message}
	case errors.Is(err, ErrNoSuchBucket):
		return errNoSuchBucket
	case errors.Is(err, ErrNoSuchKey):
		return errNoSuchKey
	}
	return errInternal
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId"`
	HostID    string   `xml:"HostId"`
}

// writeError answers e; a HEAD answer has no body, as in S3.
func writeError(w *response, r *http.Request, e *s3Error, resource string) {
	if r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	writeXML(w, e.Status, errorBody{Code: e.Code, Message: e.Message, Resource: resource, RequestID: w.requestID, HostID: w.hostID})
}

// writeXML answers v as an S3 XML document.
func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil { // our own response types always marshal
		status, body = http.StatusInternalServerError, nil
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(body)
}
