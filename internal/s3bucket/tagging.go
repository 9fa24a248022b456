package s3bucket

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// Object tagging (gofakes3 has none): GetObjectTagging, PutObjectTagging,
// DeleteObjectTagging and the x-amz-tagging header of PutObject. Limits
// from the S3 user guide, "Categorizing your storage using tags".
const (
	maxTags        = 10
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	TagSet  []tag    `xml:"TagSet>Tag"`
}

type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func invalidTag(message string) *s3Error { return badRequest("InvalidTag", message) }

// checkTags validates a tag set and returns it as a map.
func checkTags(tags []tag) (map[string]string, *s3Error) {
	if len(tags) > maxTags {
		return nil, invalidTag("Object tags cannot be greater than 10")
	}
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLen:
			return nil, invalidTag("The TagKey you have provided is invalid")
		case utf8.RuneCountInString(t.Value) > maxTagValueLen:
			return nil, invalidTag("The TagValue you have provided is invalid")
		case strings.HasPrefix(t.Key, "aws:"):
			return nil, invalidTag("Your TagKey cannot be prefixed with aws:")
		}
		if _, dup := out[t.Key]; dup {
			return nil, invalidTag("Cannot provide multiple Tags with the same key")
		}
		out[t.Key] = t.Value
	}
	return out, nil
}

// parseTagHeader reads x-amz-tagging: URL query form, "k1=v1&k2=v2".
func parseTagHeader(header string) (map[string]string, *s3Error) {
	if header == "" {
		return nil, nil
	}
	bad := badRequest("InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	values, err := url.ParseQuery(header)
	if err != nil {
		return nil, bad
	}
	var tags []tag
	for key, vals := range values {
		if len(vals) != 1 {
			return nil, bad
		}
		tags = append(tags, tag{key, vals[0]})
	}
	return checkTags(tags)
}

func (s *Server) getTagging(w http.ResponseWriter, r *http.Request, t target) error {
	o, err := s.st.get(r.Context(), t.Bucket, t.Key, false)
	if err != nil {
		return err
	}
	out := tagging{Xmlns: s3Namespace, TagSet: []tag{}}
	for k, v := range o.Tags {
		out.TagSet = append(out.TagSet, tag{k, v})
	}
	sort.Slice(out.TagSet, func(i, j int) bool { return out.TagSet[i].Key < out.TagSet[j].Key })
	writeXML(w, http.StatusOK, out)
	return nil
}

func (s *Server) putTagging(w http.ResponseWriter, r *http.Request, t target, body []byte) error {
	var in tagging
	if err := xml.Unmarshal(body, &in); err != nil {
		return errMalformedXML
	}
	tags, bad := checkTags(in.TagSet)
	if bad != nil {
		return bad
	}
	if err := s.st.setTags(r.Context(), t.Bucket, t.Key, tags); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) deleteTagging(w http.ResponseWriter, r *http.Request, t target) error {
	if err := s.st.setTags(r.Context(), t.Bucket, t.Key, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
