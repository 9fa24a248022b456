package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// S3 signs differently from the JSON services (AWS docs, "Authenticating
// Requests (AWS Signature Version 4)" in the S3 API reference):
//   - the canonical URI is the path URI-encoded once, with no dot-segment or
//     empty-segment removal;
//   - the payload hash is whatever x-amz-content-sha256 declares: a hex
//     SHA-256 of the body, UNSIGNED-PAYLOAD, or one of the aws-chunked
//     streaming modes, whose body carries its own framing (and signatures);
//   - a request may instead be presigned: the signature travels in the query.

// S3ServiceName is the signing name S3 requests are scoped to.
const S3ServiceName = "s3"

// The x-amz-content-sha256 values that are not a hex hash.
const (
	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// MaxPresignExpiry is the longest X-Amz-Expires S3 accepts: one week.
const MaxPresignExpiry = 7 * 24 * time.Hour

// Presigned-URL query parameters.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
	queryContentSHA256 = "X-Amz-Content-Sha256"
)

// S3Request is a request whose signature VerifyS3 accepted. Its body has
// not been read: ReadBody reads, decodes and checks it against what the
// signature promised.
type S3Request struct {
	Caller Caller
	// PayloadMode is the x-amz-content-sha256 the request was signed with
	// (UNSIGNED-PAYLOAD for presigned URLs).
	PayloadMode string

	// What the chunk and trailer signatures of a streaming upload chain from.
	key       []byte
	amzDate   string
	scope     scope
	seed      string
	decodedLn string // x-amz-decoded-content-length as sent
}

// PresignedSigningName returns the service in a presigned URL's credential
// scope, or "" when the query carries none. Like SigningName, it routes a
// request before its signature is verified.
func PresignedSigningName(query url.Values) string {
	cred := strings.Split(query.Get(queryCredential), "/")
	if len(cred) != 5 {
		return ""
	}
	return cred[3]
}

// VerifyS3 checks an S3 request's SigV4 signature, in its Authorization
// header or its presigned query, against the accounts and the same clock
// rule as Verify. Failures are *Error values with S3's codes.
func (v *Verifier) VerifyS3(r *http.Request) (*S3Request, error) {
	query := r.URL.Query()
	header := r.Header.Get("Authorization")
	presigned := query.Has(queryAlgorithm) || query.Has(queryCredential) || query.Has(querySignature)
	switch {
	case header != "" && presigned:
		return nil, s3BadRequest(S3InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
	case header != "":
		return v.verifyS3Header(r, header)
	case presigned:
		return v.verifyS3Presigned(r, query)
	case query.Has("Signature") || query.Has("AWSAccessKeyId"):
		return nil, s3BadRequest(S3InvalidRequest, "%s", msgS3UnsupportedAuth)
	}
	return nil, s3AccessDenied(msgS3AccessDenied)
}

func (v *Verifier) verifyS3Header(r *http.Request, header string) (*S3Request, error) {
	if alg, _, _ := strings.Cut(strings.TrimSpace(header), " "); alg != algorithm {
		return nil, s3BadRequest(S3InvalidRequest, "%s", msgS3UnsupportedAuth)
	}
	amzDate, httpDate := r.Header.Get(headerAmzDate), r.Header.Get("Date")
	parsed, err := parseAuthorization(header, true)
	if err != nil {
		msg := err.Error()
		if e := (*Error)(nil); errors.As(err, &e) {
			msg = e.Message
		}
		return nil, s3HeaderMalformed("%s", msg)
	}
	if err := v.checkS3Scope(parsed.Scope, s3HeaderMalformed); err != nil {
		return nil, err
	}
	if !slices.Contains(parsed.SignedHeaders, "host") {
		return nil, s3HeaderMalformed("the 'host' header must be signed.")
	}
	mode := r.Header.Get(headerBodyHash)
	if mode == "" {
		return nil, s3BadRequest(S3InvalidRequest, "Missing required header for this request: x-amz-content-sha256")
	}
	if !validPayloadMode(mode) {
		return nil, s3BadRequest(S3InvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	}
	if amzDate == "" && httpDate == "" {
		return nil, s3AccessDenied(msgS3NoDate)
	}
	signedAt, err := signingTime(amzDate, httpDate)
	if err != nil {
		return nil, s3AccessDenied(msgS3NoDate)
	}
	if day := signedAt.Format(scopeDateFmt); day != parsed.Scope.Date {
		return nil, s3HeaderMalformed("Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	account, ok := v.Accounts.ByAccessKey(parsed.AccessKeyID)
	if !ok {
		return nil, s3Error(S3InvalidAccessKeyID, http.StatusForbidden, "%s", msgS3InvalidAccessKey)
	}
	// checkTime also compares the scope's date, which passed above, so any
	// failure left is the clock-skew rule.
	if v.checkTime(signedAt, parsed.Scope) != nil {
		return nil, s3Error(S3RequestTimeTooSkewed, http.StatusForbidden, "%s", msgS3TimeTooSkewed)
	}
	req := newS3Request(account, parsed.Scope, signedAt, mode, r.Header.Get("X-Amz-Decoded-Content-Length"))
	canonical := canonicalRequest(canonicalInput{
		Method:        r.Method,
		URI:           canonicalURIS3(r.URL.Path),
		Query:         canonicalQuery(r.URL.RawQuery),
		Headers:       canonicalHeaders(r, parsed.SignedHeaders),
		SignedHeaders: parsed.signedRaw,
		PayloadHash:   mode,
	})
	if err := req.checkSeed(canonical, parsed.Signature); err != nil {
		return nil, err
	}
	return req, nil
}

func (v *Verifier) verifyS3Presigned(r *http.Request, query url.Values) (*S3Request, error) {
	for _, name := range []string{queryAlgorithm, queryCredential, querySignature, queryDate, querySignedHeaders, queryExpires} {
		if query.Get(name) == "" {
			return nil, s3QueryMalformed("%s", msgS3QueryParams)
		}
	}
	if query.Get(queryAlgorithm) != algorithm {
		return nil, s3QueryMalformed("X-Amz-Algorithm only supports \"%s\"", algorithm)
	}
	cred := strings.Split(query.Get(queryCredential), "/")
	if len(cred) != 5 || cred[0] == "" {
		return nil, s3QueryMalformed("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	sc := scope{Date: cred[1], Region: cred[2], Service: cred[3], Terminator: cred[4]}
	if err := v.checkS3Scope(sc, func(format string, args ...any) *Error {
		return s3QueryMalformed("Error parsing the X-Amz-Credential parameter; "+format, args...)
	}); err != nil {
		return nil, err
	}
	signedAt, err := time.Parse(amzDateFormat, query.Get(queryDate))
	if err != nil {
		return nil, s3QueryMalformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	expires, err := strconv.ParseInt(query.Get(queryExpires), 10, 64)
	switch {
	case err != nil:
		return nil, s3QueryMalformed("X-Amz-Expires should be a number")
	case expires < 0:
		return nil, s3QueryMalformed("X-Amz-Expires must be non-negative")
	case expires > int64(MaxPresignExpiry/time.Second):
		return nil, s3QueryMalformed("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	if day := signedAt.Format(scopeDateFmt); day != sc.Date {
		return nil, s3QueryMalformed("Invalid credential date \"%s\". This date is not the same as X-Amz-Date: \"%s\".", sc.Date, day)
	}
	signedRaw := query.Get(querySignedHeaders)
	signed := strings.Split(strings.ToLower(signedRaw), ";")
	if !slices.Contains(signed, "host") {
		return nil, s3QueryMalformed("Query-string authentication requires the 'host' header to be signed.")
	}
	account, ok := v.Accounts.ByAccessKey(cred[0])
	if !ok {
		return nil, s3Error(S3InvalidAccessKeyID, http.StatusForbidden, "%s", msgS3InvalidAccessKey)
	}
	now := v.now()
	switch {
	case now.After(signedAt.Add(time.Duration(expires) * time.Second)):
		return nil, s3AccessDenied(msgS3Expired)
	case signedAt.After(now.Add(MaxClockSkew)):
		return nil, s3AccessDenied(msgS3NotYetValid)
	}
	mode := query.Get(queryContentSHA256)
	if mode == "" {
		mode = UnsignedPayload
	}
	req := newS3Request(account, sc, signedAt, mode, r.Header.Get("X-Amz-Decoded-Content-Length"))
	canonical := canonicalRequest(canonicalInput{
		Method:        r.Method,
		URI:           canonicalURIS3(r.URL.Path),
		Query:         canonicalQuery(withoutSignature(r.URL.RawQuery)),
		Headers:       canonicalHeaders(r, signed),
		SignedHeaders: signedRaw,
		PayloadHash:   mode,
	})
	if err := req.checkSeed(canonical, query.Get(querySignature)); err != nil {
		return nil, err
	}
	return req, nil
}

// checkS3Scope applies the scope rules of Verify with S3's service name,
// worded by malformed (header and query auth word them differently).
func (v *Verifier) checkS3Scope(sc scope, malformed func(string, ...any) *Error) error {
	switch {
	case sc.Terminator != scopeTerm:
		return malformed("incorrect terminal \"%s\". This endpoint uses \"%s\".", sc.Terminator, scopeTerm)
	case sc.Service != S3ServiceName:
		return malformed("incorrect service \"%s\". This endpoint belongs to \"%s\".", sc.Service, S3ServiceName)
	case sc.Region == "" || (len(v.Regions) > 0 && !slices.Contains(v.Regions, sc.Region)):
		return malformed("the region '%s' is wrong.", sc.Region)
	}
	return nil
}

func (v *Verifier) now() time.Time {
	if v.Clock != nil {
		return v.Clock().UTC()
	}
	return time.Now().UTC()
}

func newS3Request(account Account, sc scope, signedAt time.Time, mode, decodedLength string) *S3Request {
	return &S3Request{
		Caller: Caller{
			AccountID:   account.AccountID,
			CompanyName: account.CompanyName,
			AccessKeyID: account.AccessKeyID,
			Region:      sc.Region,
			SigningName: sc.Service,
		},
		PayloadMode: mode,
		key:         signingKey(account.SecretAccessKey, sc),
		amzDate:     signedAt.Format(amzDateFormat),
		scope:       sc,
		decodedLn:   decodedLength,
	}
}

// checkSeed compares the request's signature; it is also the seed a
// streaming upload's first chunk signature chains from.
func (s *S3Request) checkSeed(canonical, sent string) error {
	want := signWithKey(s.key, stringToSign(s.amzDate, s.scope, canonical))
	if subtle.ConstantTimeCompare([]byte(want), []byte(sent)) != 1 {
		return s3SignatureMismatch()
	}
	s.seed = want
	return nil
}

// canonicalURIS3 encodes the decoded path once, keeping '/' and every
// segment as sent (S3 keys may contain "//", "." and "..").
func canonicalURIS3(path string) string {
	if path == "" {
		return "/"
	}
	return uriEncode(path, true)
}

// withoutSignature drops X-Amz-Signature from a raw query: a presigned
// URL's canonical query is everything but the signature itself.
func withoutSignature(rawQuery string) string {
	parts := strings.Split(rawQuery, "&")
	kept := parts[:0]
	for _, part := range parts {
		name, _, _ := strings.Cut(part, "=")
		if unescapeQuery(name) != querySignature {
			kept = append(kept, part)
		}
	}
	return strings.Join(kept, "&")
}

func validPayloadMode(mode string) bool {
	switch mode {
	case UnsignedPayload, StreamingSigned, StreamingSignedTrailer, StreamingUnsignedTrailer:
		return true
	}
	return isHexSHA256(mode)
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
