// Package sts answers STS GetCallerIdentity on cosell's endpoint, in the
// query protocol the AWS CLI and SDKs speak to STS: scripts and tools call
// it first to learn which account their credentials belong to.
package sts

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/auth"
)

// SigningName is STS's SigV4 service name; requests signed for it are
// STS's.
const SigningName = "sts"

// version is the only API version STS has.
const version = "2011-06-15"

// namespace is the XML namespace of every STS answer.
const namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// maxRequestBytes bounds a request body; GetCallerIdentity's is a few
// dozen bytes.
const maxRequestBytes = 64 << 10

// IsSTSRequest reports whether r is signed for STS.
func IsSTSRequest(r *http.Request) bool {
	return auth.SigningName(r.Header.Get("Authorization")) == SigningName
}

// Handler answers STS requests signed with the accounts' keys.
type Handler struct{ Verifier *auth.Verifier }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString()
	w.Header().Set("x-amzn-RequestId", requestID)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeError(w, requestID, senderError(http.StatusBadRequest, "MalformedInput", "The request body could not be read: %v", err))
		return
	}
	caller, err := h.Verifier.Verify(r, body, SigningName)
	if err != nil {
		var a *auth.Error
		if !errors.As(err, &a) {
			a = &auth.Error{Code: auth.CodeInvalidSignature, Status: http.StatusForbidden, Message: err.Error()}
		}
		writeError(w, requestID, senderError(a.Status, a.QueryCode(), "%s", a.Message))
		return
	}
	if apiErr := checkAction(r.Method, r.URL.RawQuery, body); apiErr != nil {
		writeError(w, requestID, apiErr)
		return
	}
	writeXML(w, http.StatusOK, getCallerIdentityResponse{
		Namespace: namespace,
		Result: callerIdentity{
			// cosell's keys are each account's one long-term credential:
			// the root user's, whose UserId is the account id.
			Arn:     "arn:aws:iam::" + caller.AccountID + ":root",
			UserID:  caller.AccountID,
			Account: caller.AccountID,
		},
		RequestID: requestID,
	})
}

// otherActions are STS's operations cosell does not serve.
var otherActions = map[string]bool{
	"AssumeRole": true, "AssumeRoleWithSAML": true, "AssumeRoleWithWebIdentity": true, "AssumeRoot": true,
	"DecodeAuthorizationMessage": true, "GetAccessKeyInfo": true, "GetDelegatedAccessToken": true,
	"GetFederationToken": true, "GetSessionToken": true, "GetWebIdentityToken": true,
}

// checkAction reads the query parameters, from the form body of a POST or
// the query string of a GET, and accepts only GetCallerIdentity of STS's
// one version.
func checkAction(method, rawQuery string, body []byte) *apiError {
	raw := rawQuery
	if method == http.MethodPost {
		raw = string(body)
	} else if method != http.MethodGet {
		return senderError(http.StatusBadRequest, "InvalidAction", "STS answers POST requests with a form body, or GET requests with a query string, not %s.", method)
	}
	params, err := url.ParseQuery(raw)
	if err != nil {
		return senderError(http.StatusBadRequest, "MalformedQueryString", "The request parameters could not be parsed: %v", err)
	}
	action := params.Get("Action")
	switch {
	case action == "":
		return senderError(http.StatusBadRequest, "MissingAction", "Missing Action")
	case params.Get("Version") != version:
		return senderError(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s", action, params.Get("Version"))
	case otherActions[action]:
		// AWS has no error for this; an InvalidAction that says so is
		// what a client can act on.
		return senderError(http.StatusBadRequest, "InvalidAction", "cosell serves only GetCallerIdentity of STS, not %s.", action)
	case action != "GetCallerIdentity":
		return senderError(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s", action, version)
	}
	return nil
}

type getCallerIdentityResponse struct {
	XMLName   xml.Name       `xml:"GetCallerIdentityResponse"`
	Namespace string         `xml:"xmlns,attr"`
	Result    callerIdentity `xml:"GetCallerIdentityResult"`
	RequestID string         `xml:"ResponseMetadata>RequestId"`
}

type callerIdentity struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

// apiError is an STS error as the query protocol answers it.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func senderError(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Namespace string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	writeXML(w, e.Status, errorResponse{Namespace: namespace, Type: "Sender", Code: e.Code, Message: e.Message, RequestID: requestID})
}

// writeXML answers v as text/xml.
func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil { // the shapes above always marshal
		http.Error(w, "response encoding", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header[:len(xml.Header)-1]+"\n")
	_, _ = w.Write(b)
	_, _ = io.WriteString(w, "\n")
}
