package auth

import (
	"fmt"
	"net/http"
)

// The error codes S3 answers for authentication and payload problems. S3
// speaks its own codes (in an XML <Error>), not the JSON services' exception
// names, so VerifyS3 and S3Request.ReadBody return *Error values carrying these.
const (
	S3AccessDenied                      = "AccessDenied"
	S3AuthorizationHeaderMalformed      = "AuthorizationHeaderMalformed"
	S3AuthorizationQueryParametersError = "AuthorizationQueryParametersError"
	S3EntityTooLarge                    = "EntityTooLarge"
	S3IncompleteBody                    = "IncompleteBody"
	S3InvalidAccessKeyID                = "InvalidAccessKeyId"
	S3InvalidArgument                   = "InvalidArgument"
	S3InvalidRequest                    = "InvalidRequest"
	S3RequestTimeTooSkewed              = "RequestTimeTooSkewed"
	S3SignatureDoesNotMatch             = "SignatureDoesNotMatch"
	S3ContentSHA256Mismatch             = "XAmzContentSHA256Mismatch"
)

// S3's wording, kept verbatim so clients that match on messages behave alike.
const (
	msgS3AccessDenied      = "Access Denied"
	msgS3InvalidAccessKey  = "The AWS Access Key Id you provided does not exist in our records."
	msgS3SignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgS3TimeTooSkewed     = "The difference between the request time and the current time is too large."
	msgS3Expired           = "Request has expired"
	msgS3NotYetValid       = "Request is not valid yet"
	msgS3NoDate            = "AWS authentication requires a valid Date or x-amz-date header"
	msgS3UnsupportedAuth   = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	msgS3ContentMismatch   = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgS3TooLarge          = "Your proposed upload exceeds the maximum allowed size"
	msgS3Incomplete        = "The request body terminated unexpectedly"
	msgS3QueryParams       = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)

func s3Error(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

func s3AccessDenied(msg string) *Error {
	return s3Error(S3AccessDenied, http.StatusForbidden, "%s", msg)
}

func s3HeaderMalformed(format string, args ...any) *Error {
	return s3Error(S3AuthorizationHeaderMalformed, http.StatusBadRequest, "The authorization header is malformed; "+format, args...)
}

func s3QueryMalformed(format string, args ...any) *Error {
	return s3Error(S3AuthorizationQueryParametersError, http.StatusBadRequest, format, args...)
}

func s3SignatureMismatch() *Error {
	return s3Error(S3SignatureDoesNotMatch, http.StatusForbidden, "%s", msgS3SignatureMismatch)
}

func s3BadRequest(code, format string, args ...any) *Error {
	return s3Error(code, http.StatusBadRequest, format, args...)
}
