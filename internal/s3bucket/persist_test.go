package s3bucket

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Objects, their metadata and their tags outlive the server: a new Server on
// the same directory serves what the old one acknowledged.
func TestObjectsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	before := newFixture(t, fixtureOpts{dir: dir})
	seed(t, before, bucket1, "opportunity-outbound/o.json")
	const key = "opportunity-inbound/deal_01022024130000.json"
	must[*s3.PutObjectOutput](t)(before.client(t, clientOpts{}).PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket1), Key: aws.String(key), Body: bytes.NewReader([]byte(`{"a":1}`)),
		ACL: types.ObjectCannedACLBucketOwnerFullControl, ContentType: aws.String("application/json"), Tagging: aws.String("source=crm"),
	}))
	must[*s3.PutObjectTaggingOutput](t)(before.client(t, clientOpts{}).PutObjectTagging(ctx, &s3.PutObjectTaggingInput{
		Bucket: aws.String(bucket1), Key: aws.String("opportunity-outbound/o.json"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("partner_processed"), Value: aws.String("true")}}},
	}))
	_, wrote := apiGet(t, before.srv, bucket1, key)
	before.stop(t)

	after := newFixture(t, fixtureOpts{dir: dir})
	body, info := apiGet(t, after.srv, bucket1, key)
	if string(body) != `{"a":1}` || info.ContentType != "application/json" || info.Tags["source"] != "crm" ||
		info.ETag != wrote.ETag || !info.LastModified.Equal(wrote.LastModified) {
		t.Fatalf("after restart: %q %+v, before %+v", body, info, wrote)
	}
	c := after.client(t, clientOpts{})
	tags := must[*s3.GetObjectTaggingOutput](t)(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-outbound/o.json")}))
	if len(tags.TagSet) != 1 || aws.ToString(tags.TagSet[0].Key) != "partner_processed" {
		t.Fatalf("tags after restart: %+v", tags.TagSet)
	}
	got := must[*s3.GetObjectOutput](t)(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket1), Key: aws.String(key)}))
	if data := must[[]byte](t)(io.ReadAll(got.Body)); string(data) != `{"a":1}` || aws.ToInt32(got.TagCount) != 1 {
		t.Fatalf("GetObject after restart: %q, %d tags", data, aws.ToInt32(got.TagCount))
	}
	buckets := must[*s3.ListBucketsOutput](t)(c.ListBuckets(ctx, &s3.ListBucketsInput{}))
	if len(buckets.Buckets) != 1 || aws.ToString(buckets.Buckets[0].Name) != bucket1 {
		t.Fatalf("buckets after restart: %+v", buckets.Buckets)
	}
}
