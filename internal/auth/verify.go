package auth

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"time"
)

// MaxClockSkew is how far a request's signing time may be from the server's
// clock, as AWS allows.
const MaxClockSkew = 15 * time.Minute

// Caller is who signed a request.
type Caller struct {
	AccountID   string
	CompanyName string
	AccessKeyID string
	Region      string // the credential scope's region
	SigningName string // the credential scope's service, e.g. "partnercentral-selling"
}

// Verifier checks SigV4 header signatures against a set of accounts.
type Verifier struct {
	Accounts *Accounts
	// Clock is the server's time; nil means time.Now. Tests and the
	// simulated AWS side inject their own.
	Clock func() time.Time
	// Regions, when non-empty, is the only regions a credential scope may
	// name; empty accepts any region, which suits a local endpoint.
	Regions []string
}

const (
	amzDateFormat  = "20060102T150405Z"
	scopeDateFmt   = "20060102"
	scopeTerm      = "aws4_request"
	headerAmzDate  = "X-Amz-Date"
	headerBodyHash = "X-Amz-Content-Sha256"
)

// Verify checks the request's Authorization header over the already-read
// body. The credential scope must name one of signingNames. On failure the
// error is an *Error carrying the exception AWS would answer.
func (v *Verifier) Verify(r *http.Request, body []byte, signingNames ...string) (Caller, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Caller{}, missingToken()
	}
	amzDate, httpDate := r.Header.Get(headerAmzDate), r.Header.Get("Date")
	auth, err := parseAuthorization(header, amzDate != "" || httpDate != "")
	if err != nil {
		return Caller{}, err
	}
	if err := v.checkScope(auth.Scope, signingNames); err != nil {
		return Caller{}, err
	}
	if !slices.Contains(auth.SignedHeaders, "host") {
		return Caller{}, incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}

	signedAt, err := signingTime(amzDate, httpDate)
	if err != nil {
		return Caller{}, err
	}
	if err := v.checkTime(signedAt, auth.Scope); err != nil {
		return Caller{}, err
	}

	account, ok := v.Accounts.ByAccessKey(auth.AccessKeyID)
	if !ok {
		return Caller{}, unrecognizedClient()
	}

	payloadHash := hashHex(body)
	if sent := r.Header.Get(headerBodyHash); sent != "" && sent != payloadHash {
		// The hash is signed, so a mismatch means the body was changed or
		// the client hashed something else; either way the body is not
		// what was signed.
		return Caller{}, invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}

	canonical := canonicalRequest(canonicalInput{
		Method:        r.Method,
		URI:           canonicalURIDoubleEncoded(r.URL.EscapedPath()),
		Query:         canonicalQuery(r.URL.RawQuery),
		Headers:       canonicalHeaders(r, auth.SignedHeaders),
		SignedHeaders: auth.signedRaw,
		PayloadHash:   payloadHash,
	})
	want := signature(account.SecretAccessKey, auth.Scope, stringToSign(signedAt.Format(amzDateFormat), auth.Scope, canonical))
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.Signature)) != 1 {
		return Caller{}, invalidSignature("%s", msgSignatureMismatch)
	}
	return Caller{
		AccountID:   account.AccountID,
		CompanyName: account.CompanyName,
		AccessKeyID: account.AccessKeyID,
		Region:      auth.Scope.Region,
		SigningName: auth.Scope.Service,
	}, nil
}

func (v *Verifier) checkScope(sc scope, signingNames []string) error {
	switch {
	case sc.Terminator != scopeTerm:
		return invalidSignature("Credential should be scoped with a valid terminator: '%s', not '%s'. ", scopeTerm, sc.Terminator)
	case len(signingNames) > 0 && !slices.Contains(signingNames, sc.Service):
		return invalidSignature("Credential should be scoped to correct service: '%s'. ", signingNames[0])
	case sc.Region == "" || (len(v.Regions) > 0 && !slices.Contains(v.Regions, sc.Region)):
		return invalidSignature("Credential should be scoped to a valid region, not '%s'. ", sc.Region)
	}
	return nil
}

// signingTime reads X-Amz-Date, or the HTTP Date header when X-Amz-Date is
// absent, as SigV4 allows.
func signingTime(amzDate, httpDate string) (time.Time, error) {
	if amzDate != "" {
		t, err := time.Parse(amzDateFormat, amzDate)
		if err != nil {
			return time.Time{}, incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", amzDate)
		}
		return t, nil
	}
	t, err := http.ParseTime(httpDate)
	if err != nil {
		return time.Time{}, incomplete("Date must be in RFC 1123 format. Got '%s'.", httpDate)
	}
	return t.UTC(), nil
}

func (v *Verifier) checkTime(signedAt time.Time, sc scope) error {
	if day := signedAt.Format(scopeDateFmt); day != sc.Date {
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", sc.Date, day, signedAt.Format(amzDateFormat))
	}
	now := time.Now
	if v.Clock != nil {
		now = v.Clock
	}
	t := now().UTC()
	switch {
	case signedAt.Before(t.Add(-MaxClockSkew)):
		return invalidSignature("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			signedAt.Format(amzDateFormat), t.Add(-MaxClockSkew).Format(amzDateFormat), t.Format(amzDateFormat))
	case signedAt.After(t.Add(MaxClockSkew)):
		return invalidSignature("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			signedAt.Format(amzDateFormat), t.Add(MaxClockSkew).Format(amzDateFormat), t.Format(amzDateFormat))
	}
	return nil
}
