package auth

import (
	"strings"
)

// algorithm is the only signing algorithm accepted. SigV4a
// (AWS4-ECDSA-P256-SHA256) is for multi-region endpoints, which Partner
// Central does not have.
const algorithm = "AWS4-HMAC-SHA256"

// authorization is a parsed Authorization header.
type authorization struct {
	AccessKeyID   string
	Scope         scope
	SignedHeaders []string // lower-case names, in the client's order
	signedRaw     string   // SignedHeaders exactly as sent; it goes into the canonical request verbatim
	Signature     string
}

// scope is the credential scope: date/region/service/aws4_request.
type scope struct {
	Date       string // YYYYMMDD
	Region     string
	Service    string
	Terminator string
}

func (s scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + s.Terminator
}

// parseAuthorization parses a SigV4 Authorization header. hasDate says
// whether the request carries X-Amz-Date or Date, because AWS reports a
// missing date together with missing header parameters in one message.
func parseAuthorization(header string, hasDate bool) (*authorization, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if strings.HasPrefix(alg, "AWS4-") && alg != algorithm {
		return nil, incomplete("Unsupported AWS 'algorithm': '%s'.", alg)
	}
	if alg != algorithm {
		// Not SigV4 at all (e.g. "Bearer ..."): every parameter is missing.
		rest = ""
	}
	params := map[string]string{}
	if strings.TrimSpace(rest) != "" {
		for _, part := range strings.Split(rest, ",") {
			part = strings.TrimSpace(part)
			key, value, ok := strings.Cut(part, "=")
			if !ok {
				return nil, incomplete("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, header)
			}
			params[key] = value
		}
	}

	var missing strings.Builder
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[name] == "" {
			missing.WriteString("Authorization header requires '" + name + "' parameter. ")
		}
	}
	if !hasDate {
		missing.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if missing.Len() > 0 {
		return nil, incomplete("%sAuthorization=%s", missing.String(), header)
	}

	a := &authorization{Signature: params["Signature"], signedRaw: params["SignedHeaders"]}
	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" {
		return nil, incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", params["Credential"])
	}
	a.AccessKeyID = cred[0]
	a.Scope = scope{Date: cred[1], Region: cred[2], Service: cred[3], Terminator: cred[4]}

	for _, name := range strings.Split(a.signedRaw, ";") {
		if name == "" {
			return nil, incomplete("SignedHeaders must be a ';'-separated list of header names, got '%s' in Authorization header: '%s'.", a.signedRaw, header)
		}
		a.SignedHeaders = append(a.SignedHeaders, strings.ToLower(name))
	}
	return a, nil
}

// SigningName returns the service name in the request's credential scope,
// or "" when the request has no parsable SigV4 Authorization header. The
// wire layer uses it to route "POST /<Operation>" requests, which carry no
// X-Amz-Target; the signature is verified later.
func SigningName(authorizationHeader string) string {
	a, err := parseAuthorization(authorizationHeader, true)
	if err != nil {
		return ""
	}
	return a.Scope.Service
}
