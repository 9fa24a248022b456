package acemode

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// NewS3Client is an S3 client on the standard credential chain and
// endpoint (AWS_ENDPOINT_URL included). An endpoint override means a
// server on an IP or localhost, where virtual-host addressing cannot
// work, so it switches to path-style addressing.
func NewS3Client(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = cfg.BaseEndpoint != nil
		if o.Region == "" {
			o.Region = "us-west-2" // where every ACE bucket lives
		}
	}), nil
}

// Bucket is the partner's ACE bucket.
type Bucket struct {
	Client *s3.Client
	Name   string
}

// object is one listed file.
type object struct {
	Key, ETag string
}

// list is every object under prefix, oldest first (outbound names carry
// MMDDYYYY stamps, which do not sort by time).
func (b Bucket) list(ctx context.Context, prefix string) ([]object, error) {
	type listed struct {
		object
		at int64
	}
	var all []listed
	p := s3.NewListObjectsV2Paginator(b.Client, &s3.ListObjectsV2Input{Bucket: &b.Name, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			all = append(all, listed{object{aws.ToString(o.Key), aws.ToString(o.ETag)}, aws.ToTime(o.LastModified).UnixNano()})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].at != all[j].at {
			return all[i].at < all[j].at
		}
		return all[i].Key < all[j].Key
	})
	out := make([]object, len(all))
	for i, o := range all {
		out[i] = o.object
	}
	return out, nil
}

// get reads an object; found is false when there is none.
func (b Bucket) get(ctx context.Context, key string) (body []byte, found bool, err error) {
	out, err := b.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.Name, Key: &key})
	if notFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer out.Body.Close()
	body, err = io.ReadAll(out.Body)
	return body, err == nil, err
}

// exists reports whether key is in the bucket.
func (b Bucket) exists(ctx context.Context, key string) (bool, error) {
	_, err := b.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.Name, Key: &key})
	if notFound(err) {
		return false, nil
	}
	return err == nil, err
}

// put uploads with the bucket-owner-full-control ACL the ACE policy
// requires of every upload.
func (b Bucket) put(ctx context.Context, key string, body []byte) error {
	_, err := b.Client.PutObject(ctx, &s3.PutObjectInput{Bucket: &b.Name, Key: &key, Body: bytes.NewReader(body),
		ContentType: aws.String("application/json"), ACL: s3types.ObjectCannedACLBucketOwnerFullControl})
	return err
}

func (b Bucket) delete(ctx context.Context, key string) error {
	_, err := b.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b.Name, Key: &key})
	return err
}

// tagProcessed marks a file partner_processed=true, AWS's suggested
// marker for files read but kept.
func (b Bucket) tagProcessed(ctx context.Context, key string) error {
	_, err := b.Client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: &b.Name, Key: &key,
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("partner_processed"), Value: aws.String("true")}}}})
	return err
}

func notFound(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "NoSuchKey", "NotFound":
		return true
	}
	return false
}
