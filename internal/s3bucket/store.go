package s3bucket

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/cosell/cosell/internal/store/sqlquery"
)

// ErrNoSuchBucket and ErrNoSuchKey are what the object API answers for a
// bucket or an object that does not exist.
var (
	ErrNoSuchBucket = errors.New("s3bucket: no such bucket")
	ErrNoSuchKey    = errors.New("s3bucket: no such key")
)

// object is one stored object. Body is nil when only the metadata was read.
type object struct {
	Key         string
	Size        int64
	MD5         string // hex
	ContentType string
	Modified    time.Time
	Meta        map[string]string // other headers served back: Content-Encoding, Content-Disposition, X-Amz-Meta-*
	Tags        map[string]string
	Body        []byte
}

type bucketInfo struct {
	Name    string
	Created time.Time
}

// store keeps buckets and objects in one SQLite database, or in the
// PostgreSQL database replicas share: a PUT answered 200 is committed
// (synchronous=FULL on SQLite), and the body, metadata and tags of an
// object change together in one row. Queries are written with "?"
// placeholders and rebound for PostgreSQL.
type store struct {
	db       *sql.DB
	postgres bool
	cleanup  func() error
}

const sqliteSchema = `
CREATE TABLE IF NOT EXISTS buckets (
	name       TEXT PRIMARY KEY,
	created_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
	bucket       TEXT NOT NULL REFERENCES buckets(name),
	key          TEXT NOT NULL,
	size         INTEGER NOT NULL,
	md5          TEXT NOT NULL,
	content_type TEXT NOT NULL,
	modified_ns  INTEGER NOT NULL,
	meta         TEXT NOT NULL,
	tags         TEXT NOT NULL,
	body         BLOB NOT NULL, -- last, so listings never read it
	PRIMARY KEY (bucket, key)
);`

// postgresSchema is sqliteSchema in PostgreSQL's types; keys compare
// bytewise (COLLATE "C"), as S3 lists them.
const postgresSchema = `
CREATE TABLE IF NOT EXISTS buckets (
	name       text COLLATE "C" PRIMARY KEY,
	created_ns bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
	bucket       text COLLATE "C" NOT NULL REFERENCES buckets(name),
	key          text COLLATE "C" NOT NULL,
	size         bigint NOT NULL,
	md5          text NOT NULL,
	content_type text NOT NULL,
	modified_ns  bigint NOT NULL,
	meta         text NOT NULL,
	tags         text NOT NULL,
	body         bytea NOT NULL,
	PRIMARY KEY (bucket, key)
);`

// openStore opens the object store: the PostgreSQL database at
// postgresURL when it is set, else (creating) dir/objects.db. dir "" gives
// a throwaway database in a temporary directory, removed by close: the
// same engine as the persistent one, nothing kept.
func openStore(dir, postgresURL string) (*store, error) {
	if postgresURL != "" {
		return openPostgres(postgresURL)
	}
	s := &store{cleanup: func() error { return nil }}
	sync := "FULL"
	if dir == "" {
		tmp, err := os.MkdirTemp("", "cosell-s3-")
		if err != nil {
			return nil, fmt.Errorf("s3bucket: throwaway store: %w", err)
		}
		dir, sync = tmp, "OFF"
		s.cleanup = func() error { return os.RemoveAll(tmp) }
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("s3bucket: %w", err)
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", sync)
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	path := filepath.Join(dir, "objects.db")
	db, err := sql.Open("sqlite", "file:"+strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)+"?"+q.Encode())
	if err == nil {
		// One connection: writes are rare and small, and one writer can never
		// meet SQLITE_BUSY.
		db.SetMaxOpenConns(1)
		_, err = db.Exec(sqliteSchema)
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, errors.Join(fmt.Errorf("s3bucket: open %s: %w", path, err), s.cleanup())
	}
	s.db = db
	return s, nil
}

// schemaLock is the advisory lock key replicas take while creating the
// tables, so two starting at once do not race on CREATE TABLE.
const schemaLock = 0x636f73656c6c03 // "cosell", 3

func openPostgres(postgresURL string) (*store, error) {
	// Parsed as the store parses it, so the URL may carry pgxpool's
	// pool_* settings, which are not PostgreSQL parameters.
	cfg, err := pgxpool.ParseConfig(postgresURL)
	if err != nil {
		return nil, fmt.Errorf("s3bucket: open the PostgreSQL database: %w", err)
	}
	db := stdlib.OpenDB(*cfg.ConnConfig)
	db.SetMaxOpenConns(4) // object traffic is light; replicas share the server's connection limit
	s := &store{db: db, postgres: true, cleanup: func() error { return nil }}
	err = s.inTx(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`SELECT pg_advisory_xact_lock($1)`, schemaLock); err != nil {
			return err
		}
		_, err := tx.Exec(postgresSchema)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("s3bucket: create the PostgreSQL tables: %w", err)
	}
	return s, nil
}

// bind adapts a query's placeholders to the database.
func (s *store) bind(query string) string {
	if s.postgres {
		return sqlquery.Rebind(query)
	}
	return query
}

func (s *store) close() error {
	return errors.Join(s.db.Close(), s.cleanup())
}

// ensureBucket creates a bucket unless it exists. Every partner request
// passes here, so the common case is a read.
func (s *store) ensureBucket(ctx context.Context, name string, now time.Time) error {
	if exists, err := s.bucketExists(ctx, name); exists || err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.bind(`INSERT INTO buckets (name, created_ns) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), name, now.UnixNano())
	return err
}

func (s *store) bucketExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.bind(`SELECT count(*) FROM buckets WHERE name = ?`), name).Scan(&n)
	return n > 0, err
}

func (s *store) buckets(ctx context.Context) ([]bucketInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, created_ns FROM buckets ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bucketInfo
	for rows.Next() {
		var b bucketInfo
		var ns int64
		if err := rows.Scan(&b.Name, &ns); err != nil {
			return nil, err
		}
		b.Created = time.Unix(0, ns).UTC()
		out = append(out, b)
	}
	return out, rows.Err()
}

// put stores o, replacing any object under its key; check, when set, sees
// the current object (nil when there is none) in the same transaction and
// may refuse the write.
func (s *store) put(ctx context.Context, bucket string, o object, check func(current *object) error) error {
	meta, err := json.Marshal(o.Meta)
	if err != nil {
		return err
	}
	tags, err := json.Marshal(o.Tags)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockObject(ctx, tx, bucket, o.Key); err != nil {
			return err
		}
		if err := s.requireBucket(ctx, tx, bucket); err != nil {
			return err
		}
		if check != nil {
			current, err := s.getObject(ctx, tx, bucket, o.Key, false)
			if errors.Is(err, ErrNoSuchKey) {
				current, err = nil, nil
			}
			if err != nil {
				return err
			}
			if err := check(current); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.bind(`INSERT INTO objects (bucket, key, size, md5, content_type, modified_ns, meta, tags, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, md5 = excluded.md5, content_type = excluded.content_type,
				modified_ns = excluded.modified_ns, meta = excluded.meta, tags = excluded.tags, body = excluded.body`),
			bucket, o.Key, len(o.Body), o.MD5, o.ContentType, o.Modified.UnixNano(), string(meta), string(tags), o.Body)
		return err
	})
}

// get reads one object, with its body when withBody is set.
func (s *store) get(ctx context.Context, bucket, key string, withBody bool) (*object, error) {
	if err := s.requireBucket(ctx, s.db, bucket); err != nil {
		return nil, err
	}
	return s.getObject(ctx, s.db, bucket, key, withBody)
}

// delete removes an object; a missing one is no error, as in S3.
func (s *store) delete(ctx context.Context, bucket, key string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireBucket(ctx, tx, bucket); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.bind(`DELETE FROM objects WHERE bucket = ? AND key = ?`), bucket, key)
		return err
	})
}

// setTags replaces an object's tag set.
func (s *store) setTags(ctx context.Context, bucket, key string, tags map[string]string) error {
	encoded, err := json.Marshal(tags)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.requireBucket(ctx, tx, bucket); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.bind(`UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?`), string(encoded), bucket, key)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = ErrNoSuchKey
		}
		return err
	})
}

// lockObject makes the writes of one object wait for each other until
// commit, so a conditional PUT sees the object as it stands when it writes.
// On SQLite the one connection already does; replicas on PostgreSQL take a
// transaction-level advisory lock named by the object.
func (s *store) lockObject(ctx context.Context, tx *sql.Tx, bucket, key string) error {
	if !s.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, bucket+"/"+key)
	return err
}

func (s *store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		// err itself, not wrapped: gofakes3 answers its own errors (a failed
		// precondition is 412) only when it gets them as they are, and 500
		// for anything else.
		if rollbackErr := tx.Rollback(); rollbackErr != nil {
			return errors.Join(err, rollbackErr)
		}
		return err
	}
	return tx.Commit()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *store) requireBucket(ctx context.Context, q querier, bucket string) error {
	var n int
	if err := q.QueryRowContext(ctx, s.bind(`SELECT count(*) FROM buckets WHERE name = ?`), bucket).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNoSuchBucket
	}
	return nil
}

const objectColumns = `key, size, md5, content_type, modified_ns, meta, tags`

func (s *store) getObject(ctx context.Context, q querier, bucket, key string, withBody bool) (*object, error) {
	columns := objectColumns
	if withBody {
		columns += ", body"
	}
	rows, err := q.QueryContext(ctx, s.bind(`SELECT `+columns+` FROM objects WHERE bucket = ? AND key = ?`), bucket, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, ErrNoSuchKey
	}
	return scanObject(rows, withBody)
}

func scanObject(rows *sql.Rows, withBody bool) (*object, error) {
	var o object
	var ns int64
	var meta, tags string
	dest := []any{&o.Key, &o.Size, &o.MD5, &o.ContentType, &ns, &meta, &tags}
	if withBody {
		dest = append(dest, &o.Body)
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	o.Modified = time.Unix(0, ns).UTC()
	if withBody && o.Body == nil {
		o.Body = []byte{} // an empty object still has a (zero-length) body
	}
	if err := errors.Join(json.Unmarshal([]byte(meta), &o.Meta), json.Unmarshal([]byte(tags), &o.Tags)); err != nil {
		return nil, fmt.Errorf("s3bucket: stored object %q: %w", o.Key, err)
	}
	return &o, nil
}
