package s3bucket

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cosell/cosell/internal/auth"
)

// Payload modes the fuzzer signs with; the last sends no signature at all.
var fuzzModes = []string{"hex", auth.UnsignedPayload, auth.StreamingUnsignedTrailer, "none"}

// FuzzServeHTTP sends arbitrary requests — method, path and query, Host,
// one extra header, body — correctly signed (so they get past the
// signature into addressing, policy, decoding and the operations) to a
// server holding a few objects. Whatever the input, the answer is never a
// 5xx other than 501 NotImplemented, and nothing panics or hangs.
func FuzzServeHTTP(f *testing.F) {
	chunked := "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"
	for _, s := range []struct {
		method, target, host, name, value string
		mode                              uint8
		body                              string
	}{
		{"PUT", "/" + bucket1 + "/opportunity-inbound/x.json", "127.0.0.1", "X-Amz-Acl", "bucket-owner-full-control", 0, `{"a":1}`},
		{"PUT", "/opportunity-inbound/x.json", bucket1 + ".s3.localhost", "X-Amz-Acl", "bucket-owner-full-control", 2, chunked},
		{"PUT", "/" + bucket1 + "/opportunity-inbound/t.json", "127.0.0.1", "X-Amz-Tagging", "a=1&a=2", 1, "x"},
		{"GET", "/" + bucket1 + "/opportunity-outbound/o.json", "127.0.0.1", "Range", "bytes=3-1,5-9", 0, ""},
		{"GET", "/" + bucket1 + "/opportunity-outbound/o.json?tagging", "127.0.0.1", "If-None-Match", "*", 0, ""},
		{"PUT", "/" + bucket1 + "/opportunity-outbound/o.json?tagging", "127.0.0.1", "Content-Md5", "bad", 0, "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"},
		{"POST", "/" + bucket1 + "?delete", "127.0.0.1", "X-Amz-Checksum-Crc32", "AAAAAA==", 0, "<Delete><Object><Key>opportunity-outbound/o.json</Key></Object></Delete>"},
		{"GET", "/" + bucket1 + "?list-type=2&continuation-token=%%%&max-keys=-3&delimiter=/", "127.0.0.1", "X-Amz-Date", "yesterday", 0, ""},
		{"GET", "/" + bucket1 + "?versions&uploads", "127.0.0.1", "Expect", "100-continue", 3, ""},
		{"DELETE", "/" + bucket1 + "/opportunity-outbound/o.json?versionId=v1", "127.0.0.1", "X-Amz-Copy-Source", "/x/y", 1, ""},
		{"HEAD", "/", "127.0.0.1", "Content-Encoding", "aws-chunked,gzip", 2, "ffffffff\r\n"},
	} {
		f.Add(s.method, s.target, s.host, s.name, s.value, s.mode, []byte(s.body))
	}
	srv, err := New(Config{Verifier: &auth.Verifier{Accounts: auth.DefaultAccounts()}, Owner: testOwner})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	ctx := context.Background()
	for _, b := range []string{bucket1, bucket2} {
		if err := srv.EnsureBucket(ctx, b); err != nil {
			f.Fatal(err)
		}
	}
	if err := srv.PutObject(ctx, bucket1, "opportunity-outbound/o.json", []byte(`{"opportunities":[]}`), "application/json"); err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, method, target, host, name, value string, mode uint8, body []byte) {
		r := signedFuzzRequest(method, target, host, name, value, fuzzModes[int(mode)%len(fuzzModes)], body)
		if r == nil {
			return // not a request an HTTP client could send
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s (Host %s, %s: %s) answered %d: %s", method, target, host, name, value, w.Code, w.Body)
		}
		if w.Header().Get("X-Amz-Request-Id") == "" {
			t.Fatalf("answer %d without a request id", w.Code)
		}
	})
}

// signedFuzzRequest builds the request as Go's server would hand it over,
// signed by the SDK's signer; nil when the input is no valid request.
func signedFuzzRequest(method, target, host, name, value, mode string, body []byte) *http.Request {
	if !strings.HasPrefix(target, "/") || !validToken(method) || !validToken(name) || strings.ContainsAny(value, "\r\n\x00") ||
		host == "" || strings.ContainsAny(host, "/?#@ \r\n\x00%") {
		return nil
	}
	r, err := http.NewRequest(method, "http://"+host+target, bytes.NewReader(body))
	if err != nil || r.URL.Host != host {
		return nil
	}
	r.Header.Set(name, value)
	if mode == "none" {
		return asServerRequest(r, body)
	}
	hash := mode
	if mode == "hex" {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
	}
	if mode == auth.StreamingUnsignedTrailer {
		r.Header.Set("Content-Encoding", "aws-chunked")
	}
	r.Header.Set("X-Amz-Content-Sha256", hash)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	if signer.SignHTTP(context.Background(), creds, r, hash, "s3", "us-west-2", time.Now()) != nil {
		return nil
	}
	return asServerRequest(r, body)
}

func asServerRequest(client *http.Request, body []byte) *http.Request {
	r := client.Clone(context.Background())
	r.Host = client.URL.Host
	r.RequestURI = client.URL.RequestURI()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return r
}

// validToken reports whether s is an HTTP token (a method or header name).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
