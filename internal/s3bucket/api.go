package s3bucket

import (
	"context"
	"fmt"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// The object API is the AWS side's access to the buckets (the exchange
// writing outbound and result files, archiving inbound ones): no signature,
// no policy.

// ObjectInfo is an object's metadata as S3 clients see it.
type ObjectInfo struct {
	Key          string
	Size         int64
	ETag         string // quoted hex MD5 of the body, as S3 sends it
	LastModified time.Time
	ContentType  string
	Tags         map[string]string
}

// EnsureBucket creates bucket if it does not exist yet.
func (s *Server) EnsureBucket(ctx context.Context, bucket string) error {
	if err := gofakes3.ValidateBucketName(bucket); err != nil {
		return fmt.Errorf("s3bucket: bucket %q: %w", bucket, err)
	}
	return s.st.ensureBucket(ctx, bucket, s.cfg.Clock.Now())
}

// PutObject stores body under key, replacing any object there (and its
// tags). contentType "" is stored as binary/octet-stream, as S3 does.
func (s *Server) PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	if key == "" || len(key) > maxKeyLength {
		return fmt.Errorf("s3bucket: invalid key %q", key)
	}
	return s.st.put(ctx, bucket, newObject(key, body, contentType, s.cfg.Clock.Now()), nil)
}

// GetObject returns an object's body and metadata; ErrNoSuchBucket or
// ErrNoSuchKey when it does not exist.
func (s *Server) GetObject(ctx context.Context, bucket, key string) ([]byte, ObjectInfo, error) {
	o, err := s.st.get(ctx, bucket, key, true)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return o.Body, o.info(), nil
}

// DeleteObject removes an object; removing one that does not exist is not
// an error (as in S3), but a missing bucket is ErrNoSuchBucket.
func (s *Server) DeleteObject(ctx context.Context, bucket, key string) error {
	return s.st.delete(ctx, bucket, key)
}

// ListObjects returns every object whose key starts with prefix, sorted by
// key.
func (s *Server) ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	l, err := s.st.list(ctx, bucket, listQuery{Prefix: prefix, Max: -1})
	if err != nil {
		return nil, err
	}
	out := make([]ObjectInfo, len(l.Objects))
	for i, o := range l.Objects {
		out[i] = o.info()
	}
	return out, nil
}

func (o *object) info() ObjectInfo {
	return ObjectInfo{Key: o.Key, Size: o.Size, ETag: quotedETag(o.MD5), LastModified: o.Modified, ContentType: o.ContentType, Tags: o.Tags}
}
