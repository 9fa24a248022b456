package s3bucket

import (
	"net"
	"net/http"
	"strings"
	"unicode/utf8"
)

// target is the bucket and key a request addresses.
type target struct {
	Bucket, Key string
}

// resource is the target as S3 names it in an error's <Resource>.
func (t target) resource() string {
	if t.Bucket == "" {
		return "/"
	}
	return "/" + t.Bucket + "/" + t.Key
}

// addressOf reads the bucket and key in either addressing style: virtual
// host (Host: <bucket>.<anything>, e.g. <bucket>.localhost:4566) when the
// host's first label is a known bucket, otherwise path style
// (/<bucket>/<key>).
func addressOf(r *http.Request, known func(bucket string) bool) target {
	path := strings.TrimPrefix(r.URL.Path, "/")
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if label, rest, ok := strings.Cut(host, "."); ok && rest != "" {
		if label = strings.ToLower(label); known(label) {
			return target{Bucket: label, Key: path}
		}
	}
	bucket, key, _ := strings.Cut(path, "/")
	return target{Bucket: bucket, Key: key}
}

// operation is what a request asks for, as far as the access policy cares.
type operation string

const (
	opListBuckets       operation = "ListBuckets"
	opHeadBucket        operation = "HeadBucket"
	opGetBucketLocation operation = "GetBucketLocation"
	opListObjects       operation = "ListObjects"
	opDeleteObjects     operation = "DeleteObjects"
	opGetObject         operation = "GetObject"
	opHeadObject        operation = "HeadObject"
	opPutObject         operation = "PutObject"
	opDeleteObject      operation = "DeleteObject"
	opGetTagging        operation = "GetObjectTagging"
	opPutTagging        operation = "PutObjectTagging"
	opDeleteTagging     operation = "DeleteObjectTagging"
)

// subresources are S3 query parameters that select another operation than
// the plain verb on the bucket or object (S3 API reference); the ACE policy
// grants none of them.
var subresources = []string{
	"accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering", "inventory",
	"legal-hold", "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policy",
	"policyStatus", "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select",
	"torrent", "versioning", "versions", "website",
}

const maxKeyLength = 1024

// classify names the operation of a request to t, or the error S3 gives for
// one cosell's ACE buckets do not serve.
func classify(r *http.Request, t target) (operation, *s3Error) {
	q := r.URL.Query()
	for _, name := range subresources {
		if q.Has(name) {
			return "", errAccessDenied
		}
	}
	if q.Has("uploads") || q.Has("uploadId") {
		return "", notImplemented("Multipart uploads are not supported by cosell's ACE buckets; objects are at most 5 MiB, which one PutObject carries.")
	}
	if v := q.Get("versionId"); v != "" && v != "null" {
		return "", badRequest("InvalidArgument", "Invalid version id specified")
	}
	if len(t.Key) > maxKeyLength {
		return "", errKeyTooLong
	}
	if !utf8.ValidString(t.Key) || !utf8.ValidString(t.Bucket) {
		return "", errInvalidURI
	}
	if t.Bucket == "" {
		if r.Method == http.MethodGet {
			return opListBuckets, nil
		}
		return "", errMethodNotAllowed
	}
	if t.Key == "" {
		return classifyBucket(r.Method, q.Has("location"), q.Has("delete"))
	}
	return classifyObject(r, q.Has("tagging"))
}

func classifyBucket(method string, location, delete bool) (operation, *s3Error) {
	switch {
	case method == http.MethodHead:
		return opHeadBucket, nil
	case method == http.MethodGet && location:
		return opGetBucketLocation, nil
	case method == http.MethodGet:
		return opListObjects, nil
	case method == http.MethodPost && delete:
		return opDeleteObjects, nil
	case method == http.MethodPut || method == http.MethodDelete || method == http.MethodPost:
		return "", errAccessDenied // bucket configuration and browser uploads are not in the ACE policy
	}
	return "", errMethodNotAllowed
}

var (
	objectOps  = map[string]operation{http.MethodGet: opGetObject, http.MethodHead: opHeadObject, http.MethodPut: opPutObject, http.MethodDelete: opDeleteObject}
	taggingOps = map[string]operation{http.MethodGet: opGetTagging, http.MethodPut: opPutTagging, http.MethodDelete: opDeleteTagging}
)

func classifyObject(r *http.Request, tagging bool) (operation, *s3Error) {
	ops := objectOps
	if tagging {
		ops = taggingOps
	}
	op, ok := ops[r.Method]
	switch {
	case !ok:
		return "", errMethodNotAllowed
	case op == opPutObject && r.Header.Get("X-Amz-Copy-Source") != "":
		return "", notImplemented("CopyObject is not supported by cosell's ACE buckets.")
	}
	return op, nil
}
