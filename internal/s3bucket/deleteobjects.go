package s3bucket

import (
	"encoding/xml"
	"net/http"

	"github.com/johannesboyne/gofakes3"
)

// maxDeleteKeys is DeleteObjects' limit per request (S3 API reference).
const maxDeleteKeys = 1000

// deleteObjects is DeleteObjects (as `aws s3 rm --recursive` sends it): the
// policy decides per key, and a refused key is an <Error> entry of the
// answer while the others are deleted, as S3 does.
func (s *Server) deleteObjects(w http.ResponseWriter, t target, body []byte) error {
	var in gofakes3.DeleteRequest
	if err := xml.Unmarshal(body, &in); err != nil || len(in.Objects) == 0 || len(in.Objects) > maxDeleteKeys {
		return errMalformedXML
	}
	var allowed []string
	var refused []gofakes3.ErrorResult
	for _, o := range in.Objects {
		if permitted(opDeleteObject, o.Key) {
			allowed = append(allowed, o.Key)
		} else {
			refused = append(refused, gofakes3.ErrorResult{Key: o.Key, Code: gofakes3.ErrorCode(errAccessDenied.Code), Message: errAccessDenied.Message})
		}
	}
	out, err := s.backend.DeleteMulti(t.Bucket, allowed...)
	if err != nil {
		return err
	}
	out.Error = append(out.Error, refused...)
	if in.Quiet {
		out.Deleted = nil
	}
	writeXML(w, http.StatusOK, out)
	return nil
}
