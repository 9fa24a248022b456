package s3bucket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/cosell/cosell/internal/testpg"
)

func TestMain(m *testing.M) { testpg.Main(m) }

// Objects, their metadata and their tags outlive the server: a new Server on
// the same directory, or the same PostgreSQL database, serves what the old
// one acknowledged.
func TestObjectsSurviveRestart(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { objectsSurviveRestart(t, fixtureOpts{dir: t.TempDir()}) })
	t.Run("PostgreSQL", func(t *testing.T) { objectsSurviveRestart(t, fixtureOpts{postgres: testpg.NewDatabase(t)}) })
}

func objectsSurviveRestart(t *testing.T, opts fixtureOpts) {
	ctx := context.Background()
	before := newFixture(t, opts)
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

	after := newFixture(t, opts)
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

// Two servers on one PostgreSQL database are two replicas serving the same
// buckets: what one acknowledges, the other serves at once.
func TestObjectsSharedByReplicas(t *testing.T) {
	db := testpg.NewDatabase(t)
	ctx := context.Background()
	one, two := newFixture(t, fixtureOpts{postgres: db}), newFixture(t, fixtureOpts{postgres: db})
	const key = "opportunity-inbound/shared.json"
	must[*s3.PutObjectOutput](t)(one.client(t, clientOpts{}).PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket1), Key: aws.String(key), Body: bytes.NewReader([]byte(`{"b":2}`)),
		ACL: types.ObjectCannedACLBucketOwnerFullControl,
	}))
	if body, _ := apiGet(t, two.srv, bucket1, key); string(body) != `{"b":2}` {
		t.Fatalf("the other replica serves %q", body)
	}
	if err := two.srv.DeleteObject(ctx, bucket1, key); err != nil { // as AWS's side does once it has read a file
		t.Fatal(err)
	}
	if _, _, err := one.srv.GetObject(ctx, bucket1, key); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("after the other replica deleted it: %v", err)
	}
}

// Conditional PUTs (If-None-Match: *) racing on two replicas create the
// object once: every other one is refused, as on one server.
func TestConditionalPutsRacingOnReplicasHaveOneWinner(t *testing.T) {
	db := testpg.NewDatabase(t)
	ctx := context.Background()
	replicas := []*fixture{newFixture(t, fixtureOpts{postgres: db}), newFixture(t, fixtureOpts{postgres: db})}
	seed(t, replicas[0], bucket1, "opportunity-outbound/o.json") // creates the bucket
	const racers = 8
	results := make(chan error, racers)
	for i := range racers {
		c := replicas[i%2].client(t, clientOpts{})
		go func() {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket1), Key: aws.String("opportunity-inbound/once.json"),
				Body: bytes.NewReader([]byte(`{"racer":` + string(rune('0'+i)) + `}`)), IfNoneMatch: aws.String("*"),
				ACL: types.ObjectCannedACLBucketOwnerFullControl})
			results <- err
		}()
	}
	won := 0
	for range racers {
		err := <-results
		var apiErr interface{ ErrorCode() string }
		switch {
		case err == nil:
			won++
		case !errors.As(err, &apiErr) || apiErr.ErrorCode() != "PreconditionFailed":
			t.Errorf("a losing conditional PUT: %v, want PreconditionFailed", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d conditional PUTs succeeded, want 1", won)
	}
}

// A conditional PUT whose condition fails is S3's 412 PreconditionFailed,
// not a server error.
func TestFailedConditionalPutIsPreconditionFailed(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	seed(t, f, bucket1, "opportunity-outbound/o.json")
	put := func() error {
		_, err := f.client(t, clientOpts{}).PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket1),
			Key: aws.String("opportunity-inbound/x.json"), Body: bytes.NewReader([]byte(`{}`)), IfNoneMatch: aws.String("*"),
			ACL: types.ObjectCannedACLBucketOwnerFullControl})
		return err
	}
	if err := put(); err != nil {
		t.Fatal(err)
	}
	var apiErr interface{ ErrorCode() string }
	if err := put(); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "PreconditionFailed" {
		t.Fatalf("If-None-Match: * on an existing object: %v, want PreconditionFailed", err)
	}
}
