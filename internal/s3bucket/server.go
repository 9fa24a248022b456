package s3bucket

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/clock"
	"github.com/johannesboyne/gofakes3"
)

// s3Namespace is the XML namespace of S3's documents.
const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// MaxObjectSize is the largest object a partner may upload: 5 MiB. (The
// exchange's own 1 MB rule for inbound files is checked by the exchange.)
const MaxObjectSize = 5 << 20

// Config configures a Server.
type Config struct {
	Dir string // where objects persist; "" keeps them only until Close
	// PostgresURL, when set, keeps the objects in that PostgreSQL database
	// instead of Dir, so that replicas sharing it serve the same buckets.
	PostgresURL string
	Verifier    *auth.Verifier // accounts and clock for signatures
	// Owner tells which account a bucket belongs to; ok=false means no such
	// bucket. A bucket it knows is created on first use.
	Owner func(bucket string) (accountID string, ok bool)
	// OnPut, when set, is called after a partner's PutObject commits. It
	// runs in the request's goroutine and must not block long.
	OnPut  func(bucket, key string)
	Logger *slog.Logger
	Clock  clock.Clock // stamps LastModified; nil is the system clock
}

// Server serves the partners' ACE buckets over the S3 REST API and offers
// the same objects to the AWS side through its Go methods.
type Server struct {
	cfg     Config
	st      *store
	backend backend
	s3      http.Handler // gofakes3: the S3 protocol, behind our auth and policy
	log     *slog.Logger
}

// New opens the object store and builds the S3 handler.
func New(cfg Config) (*Server, error) {
	if cfg.Verifier == nil || cfg.Owner == nil {
		return nil, errors.New("s3bucket: Config.Verifier and Config.Owner are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	st, err := openStore(cfg.Dir, cfg.PostgresURL)
	if err != nil {
		return nil, err
	}
	b := backend{st: st, clock: cfg.Clock}
	fake := gofakes3.New(b,
		gofakes3.WithTimeSkewLimit(0), // VerifyS3 applies the clock rule
		gofakes3.WithIntegrityCheck(true),
	)
	return &Server{cfg: cfg, st: st, backend: b, s3: fake.Server(), log: cfg.Logger}, nil
}

// Close closes the object store.
func (s *Server) Close() error { return s.st.close() }

// IsS3Request tells whether r is meant for S3 rather than the JSON APIs on
// the same port: its Authorization header's or presigned query's credential
// scope names service "s3", or (unsigned, or signed the old way) its path's
// first segment or its Host's first label is a bucket Owner knows. A request
// scoped to another service is never S3's.
func (s *Server) IsS3Request(r *http.Request) bool {
	if name := auth.SigningName(r.Header.Get("Authorization")); name != "" {
		return name == auth.S3ServiceName
	}
	if name := auth.PresignedSigningName(r.URL.Query()); name != "" {
		return name == auth.S3ServiceName
	}
	t := addressOf(r, s.knownBucket)
	return t.Bucket != "" && s.knownBucket(t.Bucket)
}

func (s *Server) knownBucket(bucket string) bool {
	_, ok := s.cfg.Owner(bucket)
	return ok
}
