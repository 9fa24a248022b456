package s3bucket

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/johannesboyne/gofakes3"
)

// backend is the store as gofakes3 sees it. gofakes3's Backend methods
// carry no context; the store calls are short, so context.Background is
// enough.
type backend struct {
	st    *store
	clock clock.Clock
}

var _ gofakes3.Backend = backend{}

// defaultContentType is what S3 serves for an object stored without one.
const defaultContentType = "binary/octet-stream"

// storedHeader tells which request headers an object keeps and serves back.
// gofakes3 hands the backend every X-Amz-* header, most of which describe
// the request (date, signature mode, checksums of this upload) rather than
// the object.
func storedHeader(name string) bool {
	switch name {
	case "Content-Encoding", "Content-Disposition":
		return true
	}
	return strings.HasPrefix(name, "X-Amz-Meta-")
}

func (b backend) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	q := listQuery{Marker: page.Marker, Max: int(page.MaxKeys)}
	if prefix != nil {
		q.Prefix, q.Delimiter = prefix.Prefix, prefix.Delimiter
	}
	if q.Max <= 0 {
		q.Max = gofakes3.DefaultMaxBucketKeys // gofakes3: "MaxKeys MUST be > 0, otherwise it is ignored"
	}
	l, err := b.st.list(context.Background(), name, q)
	if err != nil {
		return nil, s3StoreError(err, name, "")
	}
	out := gofakes3.NewObjectList()
	for _, o := range l.Objects {
		out.Add(&gofakes3.Content{
			Key:          o.Key,
			LastModified: gofakes3.NewContentTime(o.Modified),
			ETag:         quotedETag(o.MD5),
			Size:         o.Size,
			StorageClass: gofakes3.StorageStandard,
		})
	}
	for _, p := range l.Prefixes {
		out.AddPrefix(p)
	}
	out.IsTruncated = l.Truncated
	if l.Truncated {
		out.NextMarker = l.NextMarker
	}
	return out, nil
}

func (b backend) BucketExists(name string) (bool, error) {
	return b.st.bucketExists(context.Background(), name)
}

// Buckets come and go with their owners (Config.Owner, EnsureBucket); the
// access policy never lets a client create or delete one, ListBuckets is
// answered by the handler (per caller), and CopyObject is refused before
// gofakes3 sees it.
func (backend) ListBuckets() ([]gofakes3.BucketInfo, error) { return nil, gofakes3.ErrNotImplemented }
func (backend) CreateBucket(string) error                   { return gofakes3.ErrNotImplemented }
func (backend) DeleteBucket(string) error                   { return gofakes3.ErrNotImplemented }
func (backend) ForceDeleteBucket(string) error              { return gofakes3.ErrNotImplemented }
func (backend) CopyObject(string, string, string, string, map[string]string) (gofakes3.CopyObjectResult, error) {
	return gofakes3.CopyObjectResult{}, gofakes3.ErrNotImplemented
}

func (b backend) GetObject(bucket, key string, rng *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	o, err := b.st.get(context.Background(), bucket, key, true)
	if err != nil {
		return nil, s3StoreError(err, bucket, key)
	}
	r, err := rng.Range(o.Size)
	if err != nil {
		return nil, err
	}
	body := o.Body
	if r != nil {
		body = body[r.Start : r.Start+r.Length]
	}
	out := gofakesObject(o)
	out.Range = r
	out.Contents = io.NopCloser(bytes.NewReader(body))
	return out, nil
}

func (b backend) HeadObject(bucket, key string) (*gofakes3.Object, error) {
	o, err := b.st.get(context.Background(), bucket, key, false)
	if err != nil {
		return nil, s3StoreError(err, bucket, key)
	}
	out := gofakesObject(o)
	out.Contents = io.NopCloser(bytes.NewReader(nil))
	return out, nil
}

func (b backend) DeleteObject(bucket, key string) (gofakes3.ObjectDeleteResult, error) {
	return gofakes3.ObjectDeleteResult{}, s3StoreError(b.st.delete(context.Background(), bucket, key), bucket, key)
}

func (b backend) DeleteMulti(bucket string, keys ...string) (gofakes3.MultiDeleteResult, error) {
	var out gofakes3.MultiDeleteResult
	for _, key := range keys {
		if err := b.st.delete(context.Background(), bucket, key); err != nil {
			out.Error = append(out.Error, gofakes3.ErrorResult{Key: key, Code: gofakes3.ErrInternal, Message: "We encountered an internal error. Please try again."})
			continue
		}
		out.Deleted = append(out.Deleted, gofakes3.ObjectID{Key: key})
	}
	return out, nil
}

func (b backend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, cond *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	// ReadAll reads to EOF, which is when gofakes3's reader checks Content-MD5.
	body, err := gofakes3.ReadAll(input, size)
	if err != nil {
		return gofakes3.PutObjectResult{}, err
	}
	tags, _ := parseTagHeader(meta["X-Amz-Tagging"]) // the handler refused a bad one before reading the body
	o := newObject(key, body, meta["Content-Type"], b.clock.Now())
	o.Tags = tags
	for name, value := range meta {
		if storedHeader(name) {
			o.Meta[name] = value
		}
	}
	var check func(*object) error
	if cond != nil {
		check = func(current *object) error {
			info := gofakes3.ConditionalObjectInfo{Exists: current != nil}
			if current != nil {
				info.Hash, _ = hex.DecodeString(current.MD5)
			}
			return gofakes3.CheckPutConditions(cond, &info)
		}
	}
	return gofakes3.PutObjectResult{}, s3StoreError(b.st.put(context.Background(), bucket, o, check), bucket, key)
}

// newObject is a new object version of body, stamped now.
func newObject(key string, body []byte, contentType string, now time.Time) object {
	sum := md5.Sum(body)
	if contentType == "" {
		contentType = defaultContentType
	}
	return object{
		Key: key, Size: int64(len(body)), MD5: hex.EncodeToString(sum[:]), ContentType: contentType,
		Modified: now.UTC(), Meta: map[string]string{}, Body: body,
	}
}

func gofakesObject(o *object) *gofakes3.Object {
	hash, _ := hex.DecodeString(o.MD5)
	meta := map[string]string{
		"Content-Type":  o.ContentType,
		"Last-Modified": o.Modified.Format(http.TimeFormat),
	}
	for name, value := range o.Meta {
		meta[name] = value
	}
	if len(o.Tags) > 0 {
		meta["X-Amz-Tagging-Count"] = strconv.Itoa(len(o.Tags))
	}
	return &gofakes3.Object{Name: o.Key, Metadata: meta, Size: o.Size, Hash: hash}
}

func quotedETag(md5hex string) string { return `"` + md5hex + `"` }

// s3StoreError turns the store's not-found errors into gofakes3's, which it
// answers as NoSuchBucket and NoSuchKey.
func s3StoreError(err error, bucket, key string) error {
	switch {
	case errors.Is(err, ErrNoSuchBucket):
		return gofakes3.BucketNotFound(bucket)
	case errors.Is(err, ErrNoSuchKey):
		return gofakes3.KeyNotFound(key)
	}
	return err
}
