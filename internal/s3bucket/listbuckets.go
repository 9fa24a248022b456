package s3bucket

import (
	"net/http"

	"github.com/cosell/cosell/internal/auth"
	"github.com/johannesboyne/gofakes3"
)

// listBuckets is ListBuckets restricted to the caller's own buckets.
func (s *Server) listBuckets(w http.ResponseWriter, r *http.Request, caller auth.Caller) error {
	all, err := s.st.buckets(r.Context())
	if err != nil {
		return err
	}
	out := gofakes3.Storage{
		Xmlns:   s3Namespace,
		Owner:   &gofakes3.UserInfo{ID: caller.AccountID, DisplayName: caller.CompanyName},
		Buckets: gofakes3.Buckets{},
	}
	for _, b := range all {
		if owner, ok := s.cfg.Owner(b.Name); ok && owner == caller.AccountID {
			out.Buckets = append(out.Buckets, gofakes3.BucketInfo{Name: b.Name, CreationDate: gofakes3.NewContentTime(b.Created)})
		}
	}
	writeXML(w, http.StatusOK, out)
	return nil
}
