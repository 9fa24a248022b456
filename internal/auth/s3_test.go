package auth

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The credentials, time and scope of the AWS S3 API reference's SigV4
// examples ("Signature calculations ... chunked upload" and "... trailing
// headers"), whose published signatures check this code against AWS's own.
const (
	exampleKey    = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var exampleTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

func exampleVerifier(t testing.TB) *Verifier {
	t.Helper()
	accounts, err := NewAccounts([]Account{{AccountID: "123456789012", AccessKeyID: exampleKey, SecretAccessKey: exampleSecret}})
	if err != nil {
		t.Fatal(err)
	}
	return &Verifier{Accounts: accounts, Clock: fixedClock(exampleTime)}
}

type exampleChunk struct {
	size      int
	signature string
}

// chunkedBody frames 'a' bytes as the AWS examples do; corruptAt >= 0
// changes one payload byte after signing.
func chunkedBody(chunks []exampleChunk, trailer string, corruptAt int) []byte {
	var b bytes.Buffer
	written := 0
	for _, c := range chunks {
		b.WriteString(strconv.FormatInt(int64(c.size), 16) + ";chunk-signature=" + c.signature + "\r\n")
		data := bytes.Repeat([]byte("a"), c.size)
		if corruptAt >= written && corruptAt < written+c.size {
			data[corruptAt-written] = 'b'
		}
		written += c.size
		b.Write(data)
		if c.size > 0 {
			b.WriteString("\r\n")
		}
	}
	if trailer == "" {
		b.WriteString("\r\n")
	} else {
		b.WriteString(trailer)
	}
	return b.Bytes()
}

var signedExample = []exampleChunk{
	{65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"},
	{1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"},
	{0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
}

// exampleStreamingRequest is the AWS example's PUT, as Go's server would
// hand it to a handler.
func exampleStreamingRequest(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", bytes.NewReader(body))
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"+
		"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"+
		"Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
	r.Header.Set("X-Amz-Content-Sha256", StreamingSigned)
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("X-Amz-Decoded-Content-Length", "66560")
	r.Header.Set("Content-Length", "66824")
	return r
}

func wantS3Code(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func TestS3StreamingSignedMatchesAWSExample(t *testing.T) {
	v := exampleVerifier(t)
	body := chunkedBody(signedExample, "", -1)
	if len(body) != 66824 {
		t.Fatalf("framed example is %d bytes, AWS says 66824", len(body))
	}
	r := exampleStreamingRequest(body)
	req, err := v.VerifyS3(r)
	if err != nil {
		t.Fatalf("AWS's example request: %v", err)
	}
	payload, trailers, err := req.ReadBody(r.Body, 1<<20)
	if err != nil {
		t.Fatalf("AWS's example body: %v", err)
	}
	if !bytes.Equal(payload, bytes.Repeat([]byte("a"), 66560)) || len(trailers) != 0 {
		t.Fatalf("decoded %d bytes and trailers %v, want 66560 'a' and none", len(payload), trailers)
	}

	t.Run("a changed byte breaks its chunk's signature", func(t *testing.T) {
		r := exampleStreamingRequest(chunkedBody(signedExample, "", 65540))
		req, err := v.VerifyS3(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = req.ReadBody(r.Body, 1<<20)
		wantS3Code(t, err, S3SignatureDoesNotMatch)
	})
	t.Run("a dropped chunk breaks the chain", func(t *testing.T) {
		r := exampleStreamingRequest(chunkedBody([]exampleChunk{signedExample[1], signedExample[2]}, "", -1))
		req, err := v.VerifyS3(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = req.ReadBody(r.Body, 1<<20)
		wantS3Code(t, err, S3SignatureDoesNotMatch)
	})
	t.Run("a truncated body is incomplete", func(t *testing.T) {
		r := exampleStreamingRequest(body[:40000])
		req, err := v.VerifyS3(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = req.ReadBody(r.Body, 1<<20)
		wantS3Code(t, err, S3IncompleteBody)
	})
	t.Run("a payload over the limit is too large", func(t *testing.T) {
		r := exampleStreamingRequest(body)
		req, err := v.VerifyS3(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = req.ReadBody(r.Body, 66559)
		wantS3Code(t, err, S3EntityTooLarge)
	})
	t.Run("a changed signed header breaks the seed", func(t *testing.T) {
		r := exampleStreamingRequest(body)
		r.Header.Set("X-Amz-Decoded-Content-Length", "66561")
		_, err := v.VerifyS3(r)
		wantS3Code(t, err, S3SignatureDoesNotMatch)
	})
}

// The trailing-headers example signs its chunks and its checksum trailer in
// one chain from its seed signature.
func TestS3StreamingSignedTrailerMatchesAWSExample(t *testing.T) {
	chunks := []exampleChunk{
		{65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2"},
		{1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7"},
		{0, "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992"},
	}
	const trailer = "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
	sc := scope{Date: "20130524", Region: "us-east-1", Service: "s3", Terminator: scopeTerm}
	seeded := func() *S3Request {
		return &S3Request{
			PayloadMode: StreamingSignedTrailer, key: signingKey(exampleSecret, sc), amzDate: "20130524T000000Z", scope: sc,
			seed: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e", decodedLn: "66560",
		}
	}
	payload, trailers, err := seeded().ReadBody(bytes.NewReader(chunkedBody(chunks, trailer, -1)), 1<<20)
	if err != nil {
		t.Fatalf("AWS's example body: %v", err)
	}
	if len(payload) != 66560 || trailers.Get("X-Amz-Checksum-Crc32c") != "sOO8/Q==" {
		t.Fatalf("decoded %d bytes with trailers %v", len(payload), trailers)
	}
	forged := strings.Replace(trailer, "sOO8/Q==", "AAAAAA==", 1)
	_, _, err = seeded().ReadBody(bytes.NewReader(chunkedBody(chunks, forged, -1)), 1<<20)
	wantS3Code(t, err, S3SignatureDoesNotMatch)
	unsigned := "x-amz-checksum-crc32c:sOO8/Q==\r\n\r\n"
	_, _, err = seeded().ReadBody(bytes.NewReader(chunkedBody(chunks, unsigned, -1)), 1<<20)
	wantS3Code(t, err, S3SignatureDoesNotMatch)
}

// The unsigned trailer framing, as the Go SDK documents its encoder's output.
func TestS3StreamingUnsignedTrailerDecodes(t *testing.T) {
	req := &S3Request{PayloadMode: StreamingUnsignedTrailer, decodedLn: "11"}
	body := "b\r\nHello world\r\n0\r\nx-amz-checksum-sha256:ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=\r\n\r\n"
	payload, trailers, err := req.ReadBody(strings.NewReader(body), 100)
	if err != nil {
		t.Fatal(err)
	}
	if string(payload) != "Hello world" || trailers.Get("X-Amz-Checksum-Sha256") != "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=" {
		t.Fatalf("decoded %q with trailers %v", payload, trailers)
	}
	for name, bad := range map[string]string{
		"no final chunk":      "b\r\nHello world\r\n",
		"short chunk":         "b\r\nHello\r\n0\r\n\r\n",
		"bad size":            "zz\r\nHello world\r\n0\r\n\r\n",
		"missing CRLF":        "b\r\nHello worldX0\r\n\r\n",
		"data after the end":  "b\r\nHello world\r\n0\r\n\r\nextra",
		"wrong decoded count": "5\r\nHello\r\n0\r\n\r\n",
	} {
		if _, _, err := req.ReadBody(strings.NewReader(bad), 100); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// s3Client signs the way the aws-sdk-go-v2 S3 client does: the path is not
// escaped a second time and x-amz-content-sha256 is always sent.
func s3Client(t *testing.T, method, target, body, payloadMode, key, secret string, at time.Time) *http.Request {
	t.Helper()
	client, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	client.Header.Set("X-Amz-Content-Sha256", payloadMode)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	if err := signer.SignHTTP(context.Background(), creds, client, payloadMode, "s3", "us-west-2", at); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewRequest(method, client.URL.String(), strings.NewReader(body))
	server.Header = client.Header.Clone()
	return server
}

func TestVerifyS3HeaderSignatures(t *testing.T) {
	v := testVerifier()
	const body = `{"opportunities":[]}`
	bodyHash := hashHex([]byte(body))
	// A key with characters that are escaped in the path.
	target := "http://127.0.0.1:4577/ace-apn-1-beta-us-west-2/opportunity-inbound/a%20b%2Bc%C3%A9%21//x.json?tagging="

	r := s3Client(t, http.MethodPut, target, body, bodyHash, "test", "test", signedAt)
	req, err := v.VerifyS3(r)
	if err != nil {
		t.Fatalf("SDK-signed request: %v", err)
	}
	if req.Caller.AccountID != "111111111111" || req.Caller.Region != "us-west-2" || req.Caller.SigningName != "s3" {
		t.Fatalf("caller = %+v", req.Caller)
	}
	if payload, _, err := req.ReadBody(r.Body, 1<<20); err != nil || string(payload) != body {
		t.Fatalf("body = %q, %v", payload, err)
	}

	unsigned := s3Client(t, http.MethodPut, target, body, UnsignedPayload, "test", "test", signedAt)
	if req, err := v.VerifyS3(unsigned); err != nil {
		t.Fatalf("UNSIGNED-PAYLOAD request: %v", err)
	} else if payload, _, err := req.ReadBody(unsigned.Body, 1<<20); err != nil || string(payload) != body {
		t.Fatalf("unsigned body = %q, %v", payload, err)
	}

	swapped := s3Client(t, http.MethodPut, target, body, bodyHash, "test", "test", signedAt)
	swapped.Body = httptest.NewRequest(http.MethodPut, target, strings.NewReader(`{"other":1}`)).Body
	req, err = v.VerifyS3(swapped)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = req.ReadBody(swapped.Body, 1<<20)
	wantS3Code(t, err, S3ContentSHA256Mismatch)

	for _, tc := range []struct {
		name string
		r    *http.Request
		code string
	}{
		{"wrong secret", s3Client(t, http.MethodGet, target, "", emptySHA256, "test", "nope", signedAt), S3SignatureDoesNotMatch},
		{"unknown key", s3Client(t, http.MethodGet, target, "", emptySHA256, "nobody", "test", signedAt), S3InvalidAccessKeyID},
		{"too old", s3Client(t, http.MethodGet, target, "", emptySHA256, "test", "test", signedAt.Add(-time.Hour)), S3RequestTimeTooSkewed},
		{"bad payload mode", s3Client(t, http.MethodGet, target, "", "SHA256-PLEASE", "test", "test", signedAt), S3InvalidArgument},
		{"unsigned", httptest.NewRequest(http.MethodGet, target, nil), S3AccessDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.VerifyS3(tc.r)
			wantS3Code(t, err, tc.code)
		})
	}

	t.Run("another service's scope", func(t *testing.T) {
		r := signedRequest(t, body, signOpts{bodyHashHeader: true})
		_, err := v.VerifyS3(r)
		wantS3Code(t, err, S3AuthorizationHeaderMalformed)
	})
	t.Run("no x-amz-content-sha256", func(t *testing.T) {
		r := s3Client(t, http.MethodGet, target, "", emptySHA256, "test", "test", signedAt)
		r.Header.Del("X-Amz-Content-Sha256")
		_, err := v.VerifyS3(r)
		wantS3Code(t, err, S3InvalidRequest)
	})
	t.Run("signature version 2", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Authorization", "AWS test:c2lnbmF0dXJl")
		_, err := v.VerifyS3(r)
		wantS3Code(t, err, S3InvalidRequest)
	})
}

// presign builds a presigned URL with the real SDK presigner.
func presign(t *testing.T, method, target string, expires time.Duration, secret string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires/time.Second)))
	u.RawQuery = q.Encode()
	client, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	signed, _, err := signer.PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: secret},
		client, UnsignedPayload, "s3", "us-west-2", signedAt)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func TestVerifyS3PresignedURLs(t *testing.T) {
	const target = "http://127.0.0.1:4577/ace-apn-1-beta-us-west-2/opportunity-outbound/o%20ne.json"
	verifierAt := func(at time.Time) *Verifier {
		return &Verifier{Accounts: DefaultAccounts(), Clock: fixedClock(at)}
	}
	good := presign(t, http.MethodGet, target, time.Hour, "test")
	req, err := verifierAt(signedAt.Add(59 * time.Minute)).VerifyS3(httptest.NewRequest(http.MethodGet, good, nil))
	if err != nil {
		t.Fatalf("presigned URL within its hour: %v", err)
	}
	if req.Caller.AccountID != "111111111111" || req.PayloadMode != UnsignedPayload {
		t.Fatalf("request = %+v", req)
	}

	for _, tc := range []struct {
		name, url string
		at        time.Time
		code      string
	}{
		{"expired", good, signedAt.Add(61 * time.Minute), S3AccessDenied},
		{"wrong secret", presign(t, http.MethodGet, target, time.Hour, "nope"), signedAt, S3SignatureDoesNotMatch},
		{"another method", good, signedAt, S3SignatureDoesNotMatch},
		{"tampered path", strings.Replace(good, "o%20ne", "two", 1), signedAt, S3SignatureDoesNotMatch},
		{"over a week", presign(t, http.MethodGet, target, 8*24*time.Hour, "test"), signedAt, S3AuthorizationQueryParametersError},
		{"no expiry", strings.Replace(good, "X-Amz-Expires=3600", "", 1), signedAt, S3AuthorizationQueryParametersError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodGet
			if tc.name == "another method" {
				method = http.MethodDelete
			}
			_, err := verifierAt(tc.at).VerifyS3(httptest.NewRequest(method, tc.url, nil))
			wantS3Code(t, err, tc.code)
		})
	}

	both := httptest.NewRequest(http.MethodGet, good, nil)
	both.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-west-2/s3/aws4_request")
	_, err = verifierAt(signedAt).VerifyS3(both)
	wantS3Code(t, err, S3InvalidArgument)
}

func TestPresignedSigningName(t *testing.T) {
	u, _ := url.Parse(presign(t, http.MethodGet, "http://h/b/k", time.Minute, "test"))
	if got := PresignedSigningName(u.Query()); got != "s3" {
		t.Fatalf("signing name = %q", got)
	}
	if got := PresignedSigningName(url.Values{}); got != "" {
		t.Fatalf("signing name of a bare query = %q", got)
	}
}

// FuzzS3ReadBody feeds arbitrary bodies to every payload mode: a decode
// either fails with an S3 error or yields at most max bytes, never panics
// or hangs.
func FuzzS3ReadBody(f *testing.F) {
	f.Add([]byte("b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"), uint8(0))
	f.Add(chunkedBody(signedExample[1:], "", -1), uint8(1))
	f.Add([]byte("0;chunk-signature=00\r\nx-amz-trailer-signature:00\r\n\r\n"), uint8(2))
	f.Add([]byte("ffffffffffffffff\r\n"), uint8(0))
	f.Add([]byte("plain body"), uint8(3))
	modes := []string{StreamingUnsignedTrailer, StreamingSigned, StreamingSignedTrailer, UnsignedPayload, emptySHA256}
	sc := scope{Date: "20130524", Region: "us-east-1", Service: "s3", Terminator: scopeTerm}
	const max = 1 << 12
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		req := &S3Request{PayloadMode: modes[int(mode)%len(modes)], key: signingKey(exampleSecret, sc), scope: sc, seed: "seed"}
		payload, _, err := req.ReadBody(bytes.NewReader(body), max)
		var e *Error
		switch {
		case err != nil && !errors.As(err, &e):
			t.Fatalf("error %v is not an S3 error", err)
		case err == nil && len(payload) > max:
			t.Fatalf("decoded %d bytes past the %d limit", len(payload), max)
		}
	})
}
