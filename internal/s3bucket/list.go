package s3bucket

import (
	"context"
	"strings"
)

// listQuery is one page request of a bucket listing, as S3 defines it
// (ListObjectsV2 / ListObjects): keys under Prefix and after Marker, those
// with Delimiter after the prefix rolled up into common prefixes, at most
// Max entries (keys and prefixes together); Max < 0 means no limit.
type listQuery struct {
	Prefix, Delimiter, Marker string
	Max                       int
}

type listing struct {
	Objects   []object // without bodies
	Prefixes  []string
	Truncated bool
	// NextMarker is the last entry returned, where the next page starts.
	NextMarker string
}

// list pages through a bucket in key order (UTF-8 byte order, as S3).
func (s *store) list(ctx context.Context, bucket string, q listQuery) (listing, error) {
	var out listing
	if err := s.requireBucket(ctx, s.db, bucket); err != nil {
		return out, err
	}
	rows, err := s.db.QueryContext(ctx, s.bind(`SELECT `+objectColumns+` FROM objects
		WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key`), bucket, q.Marker, q.Prefix)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		o, err := scanObject(rows, false)
		if err != nil {
			return out, err
		}
		if !strings.HasPrefix(o.Key, q.Prefix) {
			break // keys are sorted: none after this one has the prefix
		}
		prefix, rolled := commonPrefix(o.Key, q.Prefix, q.Delimiter)
		// A prefix already returned, or at or before the marker (a page that
		// ended on it), is not returned again.
		if rolled && (prefix <= q.Marker || prefix == out.NextMarker) {
			continue
		}
		if q.Max >= 0 && count == q.Max {
			out.Truncated = true
			break
		}
		count++
		if rolled {
			out.Prefixes = append(out.Prefixes, prefix)
			out.NextMarker = prefix
		} else {
			out.Objects = append(out.Objects, *o)
			out.NextMarker = o.Key
		}
	}
	return out, rows.Err()
}

// commonPrefix is the part of key up to and including the first delimiter
// after prefix, if there is one.
func commonPrefix(key, prefix, delimiter string) (string, bool) {
	if delimiter == "" {
		return "", false
	}
	i := strings.Index(key[len(prefix):], delimiter)
	if i < 0 {
		return "", false
	}
	return key[:len(prefix)+i+len(delimiter)], true
}
