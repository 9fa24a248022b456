package s3bucket

import (
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cosell/cosell/internal/auth"
)

// ServeHTTP answers one S3 request: signature, bucket ownership, the ACE
// access policy, then the operation — tagging, DeleteObjects and ListBuckets
// here, everything else by gofakes3 over the store.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp := newResponse(w)
	t := addressOf(r, s.knownBucket)
	defer func() {
		if p := recover(); p != nil { // a bug must not take the server down
			s.log.Error("s3: panic", "request_id", resp.requestID, "panic", p)
			if resp.status == 0 {
				writeError(resp, r, errInternal, t.resource())
			}
		}
	}()
	op, account, err := s.serve(resp, r, t)
	if err != nil {
		drainRefused(r)
		writeError(resp, r, asS3Error(err), t.resource())
	}
	resp.finish()
	level := slog.LevelDebug
	if resp.status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(r.Context(), level, "s3 request", "request_id", resp.requestID, "account", account, "op", string(op),
		"method", r.Method, "bucket", t.Bucket, "key", t.Key, "status", resp.status, "error", err)
}

// serve runs the request's steps; account is the verified caller's.
func (s *Server) serve(w *response, r *http.Request, t target) (op operation, account string, err error) {
	signed, err := s.cfg.Verifier.VerifyS3(r)
	if err != nil {
		return "", "", err
	}
	account = signed.Caller.AccountID
	op, bad := classify(r, t)
	if bad != nil {
		return op, account, bad
	}
	if op != opListBuckets {
		if err := s.authorize(r, op, t, account); err != nil {
			return op, account, err
		}
	}
	body, err := s.readBody(r, signed)
	if err != nil {
		return op, account, err
	}
	switch op {
	case opListBuckets:
		return op, account, s.listBuckets(w, r, signed.Caller)
	case opDeleteObjects:
		return op, account, s.deleteObjects(w, t, body)
	case opGetTagging:
		return op, account, s.getTagging(w, r, t)
	case opPutTagging:
		return op, account, s.putTagging(w, r, t, body)
	case opDeleteTagging:
		return op, account, s.deleteTagging(w, r, t)
	}
	s.s3.ServeHTTP(w, forGofakes3(r, t, body))
	w.finish()
	if op == opPutObject && w.succeeded() && s.cfg.OnPut != nil {
		s.cfg.OnPut(t.Bucket, t.Key)
	}
	return op, account, nil
}

// drainLimit bounds how much of a refused request's body is read and
// thrown away: the largest upload with aws-chunked framing fits well within.
const drainLimit = 4 * MaxObjectSize

// drainRefused reads and discards what is left of a refused request's
// body before the answer is written. A client still sending (the Go SDK
// sends its body at once, even with "Expect: 100-continue") then reads the
// answer instead of a reset connection; one that waits for 100 Continue
// gets it from the read, sends, and then reads the answer.
func drainRefused(r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit))
}

// authorize applies bucket ownership and the ACE policy, and creates the
// bucket on first use: Owner is what decides which buckets exist.
func (s *Server) authorize(r *http.Request, op operation, t target, caller string) error {
	owner, ok := s.cfg.Owner(t.Bucket)
	switch {
	case !ok:
		return errNoSuchBucket
	case owner != caller, !permitted(op, t.Key):
		return errAccessDenied
	case op == opPutObject && !ownerGetsFullControl(r.Header):
		return errAccessDenied
	}
	if op == opPutObject {
		if _, bad := parseTagHeader(r.Header.Get("X-Amz-Tagging")); bad != nil {
			return bad
		}
	}
	return s.st.ensureBucket(r.Context(), t.Bucket, s.cfg.Clock.Now())
}

// readBody reads the body as the signature promised it, decoding
// aws-chunked uploads, and checks the checksums that came with it. A body
// that declares more than MaxObjectSize is refused before it is read.
func (s *Server) readBody(r *http.Request, signed *auth.S3Request) ([]byte, error) {
	if !strings.HasPrefix(signed.PayloadMode, "STREAMING-") && r.ContentLength > MaxObjectSize {
		return nil, errTooLarge
	}
	body, trailers, err := signed.ReadBody(r.Body, MaxObjectSize)
	if err != nil {
		return nil, err
	}
	if bad := checkIntegrity(body, r.Header, trailers); bad != nil {
		return nil, bad
	}
	return body, nil
}
