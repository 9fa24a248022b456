package s3bucket

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestObjectAPI(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx := context.Background()
	srv := f.srv
	if err := srv.PutObject(ctx, bucket1, "opportunity-outbound/a.json", []byte("{}"), ""); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("PutObject before EnsureBucket: %v", err)
	}
	if err := srv.EnsureBucket(ctx, "Not_A_Bucket"); err == nil {
		t.Fatal("EnsureBucket took an invalid bucket name")
	}
	for range 2 { // EnsureBucket is idempotent
		if err := srv.EnsureBucket(ctx, bucket1); err != nil {
			t.Fatal(err)
		}
	}

	body := []byte(`{"version":"2.0"}`)
	for _, key := range []string{"opportunity-outbound/b.json", "opportunity-outbound/a.json", "lead-outbound/l.json"} {
		if err := srv.PutObject(ctx, bucket1, key, body, "application/json"); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.PutObject(ctx, bucket1, "opportunity-outbound/raw", []byte{}, ""); err != nil {
		t.Fatal(err)
	}
	got, info := apiGet(t, srv, bucket1, "opportunity-outbound/a.json")
	sum := md5.Sum(body)
	if string(got) != string(body) || info.Size != int64(len(body)) || info.ETag != `"`+hex.EncodeToString(sum[:])+`"` ||
		info.ContentType != "application/json" || info.LastModified.IsZero() || len(info.Tags) != 0 {
		t.Fatalf("GetObject = %q %+v", got, info)
	}
	if raw, info := apiGet(t, srv, bucket1, "opportunity-outbound/raw"); len(raw) != 0 || info.ContentType != "binary/octet-stream" {
		t.Fatalf("empty object = %q %+v", raw, info)
	}

	list, err := srv.ListObjects(ctx, bucket1, "opportunity-outbound/")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list {
		keys = append(keys, o.Key)
	}
	if strings.Join(keys, ",") != "opportunity-outbound/a.json,opportunity-outbound/b.json,opportunity-outbound/raw" {
		t.Fatalf("ListObjects = %v", keys)
	}

	if err := srv.DeleteObject(ctx, bucket1, "opportunity-outbound/a.json"); err != nil {
		t.Fatal(err)
	}
	if err := srv.DeleteObject(ctx, bucket1, "opportunity-outbound/a.json"); err != nil {
		t.Fatalf("deleting a deleted object: %v", err)
	}
	if _, _, err := srv.GetObject(ctx, bucket1, "opportunity-outbound/a.json"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("GetObject of a deleted object: %v", err)
	}
	if _, err := srv.ListObjects(ctx, bucket2, ""); !errors.Is(err, ErrNoSuchBucket) {
		t.Fatalf("ListObjects of a bucket never created: %v", err)
	}
}

func TestIsS3Request(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	signedFor := func(service, method, target string) *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader("{}"))
		signer := v4.NewSigner()
		if err := signer.SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, r,
			"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", service, "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	presigned := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/any/key?X-Amz-Expires=60", nil)
		url, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, r,
			"UNSIGNED-PAYLOAD", "s3", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return httptest.NewRequest(http.MethodGet, url, nil)
	}
	for _, tc := range []struct {
		name string
		r    *http.Request
		want bool
	}{
		{"Selling API at /", signedFor("partnercentral-selling", http.MethodPost, "http://127.0.0.1/"), false},
		{"Account API at /<Operation>", signedFor("partnercentral-account", http.MethodPost, "http://127.0.0.1/GetPartner"), false},
		{"JSON API scope on a bucket path", signedFor("partnercentral-selling", http.MethodPost, "http://127.0.0.1/"+bucket1), false},
		{"unsigned JSON API", httptest.NewRequest(http.MethodPost, "http://127.0.0.1/", nil), false},
		{"admin API", httptest.NewRequest(http.MethodGet, "http://127.0.0.1/_cosell/clock", nil), false},
		{"S3 scope, any path", signedFor("s3", http.MethodGet, "http://127.0.0.1/"), true},
		{"presigned S3 URL", presigned(), true},
		{"unsigned, known bucket path", httptest.NewRequest(http.MethodGet, "http://127.0.0.1/"+bucket1+"/opportunity-outbound/o.json", nil), true},
		{"unsigned, known bucket host", httptest.NewRequest(http.MethodGet, "http://"+bucket2+".s3.localhost:4566/x", nil), true},
		{"unsigned, unknown bucket", httptest.NewRequest(http.MethodGet, "http://127.0.0.1/some-bucket/x", nil), false},
	} {
		if got := f.srv.IsS3Request(tc.r); got != tc.want {
			t.Errorf("%s: IsS3Request = %v, want %v", tc.name, got, tc.want)
		}
	}
}
