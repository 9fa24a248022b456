package s3bucket

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// forGofakes3 is r as gofakes3 expects it: path-style, the decoded body in
// place of the wire one, and only the headers that describe the object
// (gofakes3 would otherwise store x-amz-date and friends as metadata, and
// decode an aws-chunked body a second time).
func forGofakes3(r *http.Request, t target, body []byte) *http.Request {
	out := r.Clone(r.Context())
	out.URL.Path = "/" + t.Bucket
	if t.Key != "" {
		out.URL.Path += "/" + t.Key
	}
	out.URL.RawPath = ""
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	out.TransferEncoding = nil
	for name := range out.Header {
		if strings.HasPrefix(name, "X-Amz-") && !strings.HasPrefix(name, "X-Amz-Meta-") && name != "X-Amz-Tagging" {
			out.Header.Del(name)
		}
	}
	out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	if enc := withoutAWSChunked(out.Header.Values("Content-Encoding")); enc != "" {
		out.Header.Set("Content-Encoding", enc)
	} else {
		out.Header.Del("Content-Encoding")
	}
	return out
}

// withoutAWSChunked drops the aws-chunked coding, which described the
// upload's framing, not the object (S3 does the same).
func withoutAWSChunked(values []string) string {
	var kept []string
	for _, v := range values {
		for _, coding := range strings.Split(v, ",") {
			if coding = strings.TrimSpace(coding); coding != "" && !strings.EqualFold(coding, "aws-chunked") {
				kept = append(kept, coding)
			}
		}
	}
	return strings.Join(kept, ",")
}
