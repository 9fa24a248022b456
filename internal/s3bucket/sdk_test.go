package s3bucket

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestSDKObjectLifecycle(t *testing.T) {
	for _, style := range []struct {
		name        string
		virtualHost bool
	}{{"path style", false}, {"virtual host", true}} {
		t.Run(style.name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{})
			c := f.client(t, clientOpts{virtualHost: style.virtualHost})
			ctx := context.Background()
			const key = "opportunity-inbound/deal_01022024130000.json"
			body := []byte(`{"version":"2.0","spmsId":"1111111","opportunities":[]}`)

			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key), Body: bytes.NewReader(body)})
			wantCode(t, err, "AccessDenied")
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)})
			wantCode(t, err, "NotFound") // a refused upload stores nothing
			if puts := f.onPuts(); len(puts) != 0 {
				t.Fatalf("OnPut after a refused upload: %v", puts)
			}

			put := must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket1), Key: aws.String(key), Body: bytes.NewReader(body),
				ACL: types.ObjectCannedACLBucketOwnerFullControl, ContentType: aws.String("application/json"),
				Metadata: map[string]string{"origin": "crm"}, Tagging: aws.String("stage=new&crm=hubspot"),
			}))
			sum := md5.Sum(body)
			etag := `"` + hex.EncodeToString(sum[:]) + `"`
			if aws.ToString(put.ETag) != etag {
				t.Fatalf("PutObject ETag = %s, want %s", aws.ToString(put.ETag), etag)
			}
			if puts := f.onPuts(); !slices.Equal(puts, []string{bucket1 + "/" + key}) {
				t.Fatalf("OnPut calls = %v", puts)
			}

			got := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
			data := must[[]byte](t)(io.ReadAll(got.Body))
			if !bytes.Equal(data, body) || aws.ToString(got.ContentType) != "application/json" || aws.ToString(got.ETag) != etag ||
				got.Metadata["origin"] != "crm" || aws.ToInt32(got.TagCount) != 2 {
				t.Fatalf("GetObject = %q type %s etag %s meta %v tags %d", data, aws.ToString(got.ContentType), aws.ToString(got.ETag), got.Metadata, aws.ToInt32(got.TagCount))
			}
			if got.LastModified == nil || time.Since(*got.LastModified) > time.Hour {
				t.Fatalf("LastModified = %v", got.LastModified)
			}

			part := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key), Range: aws.String("bytes=2-8")}))
			if data := must[[]byte](t)(io.ReadAll(part.Body)); string(data) != string(body[2:9]) || aws.ToString(part.ContentRange) != "bytes 2-8/"+strconv.Itoa(len(body)) {
				t.Fatalf("ranged GetObject = %q, Content-Range %s", data, aws.ToString(part.ContentRange))
			}

			head := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
			if aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != etag {
				t.Fatalf("HeadObject = length %d etag %s", aws.ToInt64(head.ContentLength), aws.ToString(head.ETag))
			}

			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-inbound/missing.json")})
			wantCode(t, err, "NoSuchKey")
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)})
			wantCode(t, err, "AccessDenied") // inbound files are AWS's to archive, not the partner's to delete
			must[*s3.HeadBucketOutput](t)(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket1)}))
		})
	}
}

// seed writes objects as the AWS side does.
func seed(t *testing.T, f *fixture, bucket string, keys ...string) {
	t.Helper()
	ctx := context.Background()
	if err := f.srv.EnsureBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	for _, key := range keys {
		if err := f.srv.PutObject(ctx, bucket, key, []byte("{}"), "application/json"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSDKListObjects(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client(t, clientOpts{})
	ctx := context.Background()
	seed(t, f, bucket1,
		"lead-outbound/l1.json",
		"opportunity-outbound/a.json", "opportunity-outbound/b.json", "opportunity-outbound/c.json",
		"opportunity-outbound/sub/d.json", "opportunity-outbound/sub/e.json", "opportunity-outbound/z.json",
		"opportunity-outbound-archive/a.json",
	)

	// Delimited pages of two entries, keys and common prefixes together.
	var keys, prefixes []string
	pages := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{
		Bucket: aws.String(bucket1), Prefix: aws.String("opportunity-outbound/"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2),
	})
	for p.HasMorePages() {
		page := must[*s3.ListObjectsV2Output](t)(p.NextPage(ctx))
		pages++
		if n := len(page.Contents) + len(page.CommonPrefixes); n > 2 || aws.ToInt32(page.KeyCount) != int32(n) {
			t.Fatalf("page of %d entries, KeyCount %d", n, aws.ToInt32(page.KeyCount))
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		for _, cp := range page.CommonPrefixes {
			prefixes = append(prefixes, aws.ToString(cp.Prefix))
		}
	}
	wantKeys := []string{"opportunity-outbound/a.json", "opportunity-outbound/b.json", "opportunity-outbound/c.json", "opportunity-outbound/z.json"}
	if !slices.Equal(keys, wantKeys) || !slices.Equal(prefixes, []string{"opportunity-outbound/sub/"}) || pages != 3 {
		t.Fatalf("listed keys %v prefixes %v in %d pages", keys, prefixes, pages)
	}

	after := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: aws.String(bucket1), StartAfter: aws.String("opportunity-outbound/c.json"),
	}))
	if got := contentKeys(after.Contents); !slices.Equal(got, []string{"opportunity-outbound/sub/d.json", "opportunity-outbound/sub/e.json", "opportunity-outbound/z.json"}) {
		t.Fatalf("StartAfter listing = %v", got)
	}

	// '-' sorts before '/': S3 lists in UTF-8 byte order.
	root := must[*s3.ListObjectsOutput](t)(c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(bucket1), Delimiter: aws.String("/")}))
	var folders []string
	for _, cp := range root.CommonPrefixes {
		folders = append(folders, aws.ToString(cp.Prefix))
	}
	if !slices.Equal(folders, []string{"lead-outbound/", "opportunity-outbound-archive/", "opportunity-outbound/"}) || len(root.Contents) != 0 {
		t.Fatalf("ListObjects (v1) folders = %v, contents %v", folders, contentKeys(root.Contents))
	}

	first := must[*s3.ListObjectsOutput](t)(c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(bucket1), MaxKeys: aws.Int32(3)}))
	next := must[*s3.ListObjectsOutput](t)(c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(bucket1), Marker: first.Contents[2].Key}))
	if !aws.ToBool(first.IsTruncated) || len(next.Contents) != 5 || aws.ToBool(next.IsTruncated) {
		t.Fatalf("ListObjects (v1) marker paging: %v then %v", contentKeys(first.Contents), contentKeys(next.Contents))
	}
}

func contentKeys(objects []types.Object) []string {
	var out []string
	for _, o := range objects {
		out = append(out, aws.ToString(o.Key))
	}
	return out
}

func TestSDKDeletes(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client(t, clientOpts{})
	ctx := context.Background()
	seed(t, f, bucket1, "opportunity-outbound/a.json", "opportunity-outbound/b.json", "opportunity-outbound-archive/a.json",
		"lead-inbound-processed-results/r_result.json")

	must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket1), Key: aws.String("lead-inbound-processed-results/r_result.json")}))
	_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-outbound-archive/a.json")})
	wantCode(t, err, "AccessDenied")

	out := must[*s3.DeleteObjectsOutput](t)(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket1), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("opportunity-outbound/a.json")}, {Key: aws.String("opportunity-outbound/b.json")}, {Key: aws.String("opportunity-outbound-archive/a.json")}},
	}}))
	var deleted []string
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	if !slices.Equal(deleted, []string{"opportunity-outbound/a.json", "opportunity-outbound/b.json"}) || len(out.Errors) != 1 ||
		aws.ToString(out.Errors[0].Key) != "opportunity-outbound-archive/a.json" || aws.ToString(out.Errors[0].Code) != "AccessDenied" {
		t.Fatalf("DeleteObjects deleted %v, errors %+v", deleted, out.Errors)
	}
	left := must[[]ObjectInfo](t)(f.srv.ListObjects(ctx, bucket1, ""))
	if len(left) != 1 || left[0].Key != "opportunity-outbound-archive/a.json" {
		t.Fatalf("left after deletes: %+v", left)
	}
}

func TestSDKTagging(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client(t, clientOpts{})
	ctx := context.Background()
	const key = "opportunity-outbound/o.json"
	seed(t, f, bucket1, key)
	in := func(tags ...types.Tag) *s3.PutObjectTaggingInput {
		return &s3.PutObjectTaggingInput{Bucket: aws.String(bucket1), Key: aws.String(key), Tagging: &types.Tagging{TagSet: tags}}
	}
	tagsOf := func() map[string]string {
		out := must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
		m := map[string]string{}
		for _, tag := range out.TagSet {
			m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		return m
	}

	must[*s3.PutObjectTaggingOutput](t)(c.PutObjectTagging(ctx, in(types.Tag{Key: aws.String("partner_processed"), Value: aws.String("true")})))
	if got := tagsOf(); len(got) != 1 || got["partner_processed"] != "true" {
		t.Fatalf("tags = %v", got)
	}
	if _, info := apiGet(t, f.srv, bucket1, key); info.Tags["partner_processed"] != "true" {
		t.Fatalf("the object API sees tags %v", info.Tags)
	}
	_, err := c.PutObjectTagging(ctx, in(types.Tag{Key: aws.String("aws:x"), Value: aws.String("1")}))
	wantCode(t, err, "InvalidTag")
	must[*s3.DeleteObjectTaggingOutput](t)(c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
	if got := tagsOf(); len(got) != 0 {
		t.Fatalf("tags after DeleteObjectTagging = %v", got)
	}
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-outbound/none.json")})
	wantCode(t, err, "NoSuchKey")
}

// apiGet reads an object through the object API, as the exchange does.
func apiGet(t *testing.T, srv *Server, bucket, key string) ([]byte, ObjectInfo) {
	t.Helper()
	body, info, err := srv.GetObject(context.Background(), bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	return body, info
}

func TestSDKAccessRules(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx := context.Background()
	seed(t, f, bucket1, "opportunity-outbound/o.json")
	c := f.client(t, clientOpts{})
	acl := types.ObjectCannedACLBucketOwnerFullControl
	put := func(c *s3.Client, bucket, key string, body []byte) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body), ACL: acl})
		return err
	}

	wantCode(t, put(c, bucket1, "opportunity-outbound/mine.json", []byte("{}")), "AccessDenied")
	wantCode(t, put(c, bucket1, "opportunity-inbound/", nil), "AccessDenied") // the folder itself is not a file in it
	wantCode(t, put(c, bucket1, "elsewhere/x.json", []byte("{}")), "AccessDenied")
	wantCode(t, put(f.client(t, clientOpts{key: "test2", secret: "test2"}), bucket1, "opportunity-inbound/x.json", []byte("{}")), "AccessDenied")
	_, err := f.client(t, clientOpts{key: "test2", secret: "test2"}).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket1)})
	wantCode(t, err, "AccessDenied")
	wantCode(t, put(c, "ace-apn-9-beta-us-west-2", "opportunity-inbound/x.json", []byte("{}")), "NoSuchBucket")
	wantCode(t, put(f.client(t, clientOpts{secret: "wrong"}), bucket1, "opportunity-inbound/x.json", []byte("{}")), "SignatureDoesNotMatch")
	wantCode(t, put(f.client(t, clientOpts{key: "nobody", secret: "x"}), bucket1, "opportunity-inbound/x.json", []byte("{}")), "InvalidAccessKeyId")
	wantCode(t, put(c, bucket1, "opportunity-inbound/big.json", bytes.Repeat([]byte("a"), MaxObjectSize+1)), "EntityTooLarge")
	if err := put(c, bucket1, "opportunity-inbound/max.json", bytes.Repeat([]byte("a"), MaxObjectSize)); err != nil {
		t.Fatalf("a 5 MiB upload: %v", err)
	}

	// Each account sees only its own buckets.
	seed(t, f, bucket2)
	for _, tc := range []struct {
		key, bucket string
	}{{"test", bucket1}, {"test2", bucket2}} {
		out := must[*s3.ListBucketsOutput](t)(f.client(t, clientOpts{key: tc.key, secret: tc.key}).ListBuckets(ctx, &s3.ListBucketsInput{}))
		if len(out.Buckets) != 1 || aws.ToString(out.Buckets[0].Name) != tc.bucket {
			t.Fatalf("%s lists %d buckets", tc.key, len(out.Buckets))
		}
	}

	// An unsigned request: S3's XML error, with a request id.
	res := must[*http.Response](t)(http.Get(f.http.URL + "/" + bucket1 + "/opportunity-outbound/o.json"))
	defer res.Body.Close()
	text := string(must[[]byte](t)(io.ReadAll(res.Body)))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(text, "<Code>AccessDenied</Code>") || res.Header.Get("x-amz-request-id") == "" {
		t.Fatalf("unsigned GET = %d %q, request id %q", res.StatusCode, text, res.Header.Get("x-amz-request-id"))
	}
}

func TestSDKPresignedGet(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx := context.Background()
	seed(t, f, bucket1, "opportunity-outbound/o.json")
	presigner := s3.NewPresignClient(f.client(t, clientOpts{}))
	req := must[*v4.PresignedHTTPRequest](t)(presigner.PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-outbound/o.json")}, s3.WithPresignExpires(time.Hour)))

	res := must[*http.Response](t)(http.Get(req.URL))
	body := must[[]byte](t)(io.ReadAll(res.Body))
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "{}" {
		t.Fatalf("presigned GET = %d %q", res.StatusCode, body)
	}

	f.skew.Store(int64(2 * time.Hour)) // the URL was signed for one hour
	res = must[*http.Response](t)(http.Get(req.URL))
	body = must[[]byte](t)(io.ReadAll(res.Body))
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Request has expired") {
		t.Fatalf("expired presigned GET = %d %q", res.StatusCode, body)
	}
}

// Uploads as the SDK protects them: by default a hashed body over HTTP and
// UNSIGNED-PAYLOAD over HTTPS; with a checksum algorithm, a checksum header
// over HTTP and, over HTTPS, an aws-chunked body with a checksum trailer
// (what the JS SDK sends by default).
func TestSDKPayloadModesAndChecksums(t *testing.T) {
	for _, tc := range []struct {
		name string
		tls  bool
		algo types.ChecksumAlgorithm
		mode string // the x-amz-content-sha256 the SDK must have sent, if not a hex hash
	}{
		{"http default", false, "", ""},
		{"https default", true, "", "UNSIGNED-PAYLOAD"},
		{"http sha256 header", false, types.ChecksumAlgorithmSha256, ""},
		{"https crc32 trailer", true, types.ChecksumAlgorithmCrc32, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
		{"https crc64nvme trailer", true, types.ChecksumAlgorithmCrc64nvme, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{tls: tc.tls})
			c := f.client(t, clientOpts{})
			ctx := context.Background()
			body := bytes.Repeat([]byte(`{"k":"v"},`), 30000) // 300 kB: several aws-chunked chunks
			const key = "lead-inbound/leads_01022024130000.json"
			must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket1), Key: aws.String(key), Body: bytes.NewReader(body),
				ACL: types.ObjectCannedACLBucketOwnerFullControl, ChecksumAlgorithm: tc.algo,
			}))
			if tc.mode != "" && !f.sawMode(tc.mode) {
				t.Fatalf("the SDK did not send %s", tc.mode)
			}
			stored, info := apiGet(t, f.srv, bucket1, key)
			if !bytes.Equal(stored, body) || info.Size != int64(len(body)) {
				t.Fatalf("stored %d bytes, uploaded %d", len(stored), len(body))
			}
			got := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
			if data := must[[]byte](t)(io.ReadAll(got.Body)); !bytes.Equal(data, body) || got.ContentEncoding != nil {
				t.Fatalf("read back %d bytes, Content-Encoding %v", len(data), got.ContentEncoding)
			}

			_, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket1), Key: aws.String("lead-inbound/bad.json"), Body: bytes.NewReader(body),
				ACL: types.ObjectCannedACLBucketOwnerFullControl, ChecksumCRC32: aws.String("AAAAAA=="),
			})
			wantCode(t, err, "BadDigest")
			if _, _, err := f.srv.GetObject(ctx, bucket1, "lead-inbound/bad.json"); err != ErrNoSuchKey {
				t.Fatalf("an upload with a wrong checksum was stored: %v", err)
			}
		})
	}
}
