package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// canonicalInput is everything a canonical request is built from. How the
// URI and the payload hash are derived differs between SigV4 flavours (S3
// encodes the path once, keeps dot segments and allows UNSIGNED-PAYLOAD;
// presigned URLs carry the signature in the query), so callers compute
// those and canonicalRequest only assembles them.
type canonicalInput struct {
	Method        string
	URI           string // already canonical
	Query         string // already canonical
	Headers       string // canonical header block, one "name:value\n" per signed header
	SignedHeaders string
	PayloadHash   string
}

func canonicalRequest(in canonicalInput) string {
	return in.Method + "\n" + in.URI + "\n" + in.Query + "\n" + in.Headers + "\n" + in.SignedHeaders + "\n" + in.PayloadHash
}

// stringToSign is the second SigV4 step.
func stringToSign(amzDate string, sc scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + amzDate + "\n" + sc.String() + "\n" + hex.EncodeToString(sum[:])
}

// signature derives the signing key from the secret and the scope and signs.
func signature(secret string, sc scope, toSign string) string {
	return signWithKey(signingKey(secret, sc), toSign)
}

// signingKey is the key a scope's signatures are made with. S3's streaming
// uploads sign every chunk with it, so it is derived once per request.
func signingKey(secret string, sc scope) []byte {
	key := hmacSHA256([]byte("AWS4"+secret), sc.Date)
	key = hmacSHA256(key, sc.Region)
	key = hmacSHA256(key, sc.Service)
	return hmacSHA256(key, sc.Terminator)
}

func signWithKey(key []byte, toSign string) string {
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonicalURIDoubleEncoded is the canonical URI every service but S3 uses:
// the path as sent (already percent-encoded once), with dot segments and
// empty segments removed, percent-encoded a second time.
func canonicalURIDoubleEncoded(escapedPath string) string {
	var segs []string
	for _, s := range strings.Split(escapedPath, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	p := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(escapedPath, "/") {
		p += "/"
	}
	return uriEncode(p, true)
}

// canonicalQuery sorts the query parameters by encoded name, then value,
// and re-encodes them the strict SigV4 way (space as %20, never '+').
func canonicalQuery(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	type pair struct{ k, v string }
	var pairs []pair
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		pairs = append(pairs, pair{uriEncode(unescapeQuery(k), false), uriEncode(unescapeQuery(v), false)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + p.v)
	}
	return b.String()
}

// unescapeQuery decodes a query component; a malformed escape is kept as
// sent, which then simply fails to match the client's signature.
func unescapeQuery(s string) string {
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// uriEncode percent-encodes every byte except the SigV4 unreserved set
// (A-Z a-z 0-9 - _ . ~), and '/' when keepSlash is set.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalHeaders builds the header block over exactly the headers the
// client listed. Go's server moves Host out of the header map, so it is
// read from r.Host; every other value comes from r.Header, repeated lines
// joined by commas, runs of spaces collapsed.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	return b.String()
}

func headerValue(r *http.Request, name string) string {
	switch name {
	case "host":
		return r.Host
	case "content-length":
		if _, ok := r.Header["Content-Length"]; !ok && r.ContentLength >= 0 {
			return strconv.FormatInt(r.ContentLength, 10)
		}
	}
	sent := r.Header.Values(name)
	values := make([]string, len(sent)) // a copy: Values shares the request's own slice
	for i, v := range sent {
		values[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(values, ",")
}
