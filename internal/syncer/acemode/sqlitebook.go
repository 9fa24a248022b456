package acemode

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, as crmdb uses
)

// bookSchema lives in the CRM database file, beside crmdb's tables; every
// name starts with ace_ so the two never meet.
const bookSchema = `
CREATE TABLE IF NOT EXISTS ace_uploads (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,  -- opportunity-inbound/{name}_MMDDYYYYHHMMSS.json
	catalog    TEXT NOT NULL,
	body       BLOB NOT NULL,         -- the file as sent, to send again unchanged after a crash
	items      TEXT NOT NULL,         -- JSON: what each record stands for
	state      TEXT NOT NULL,         -- prepared, uploaded, applied
	result     TEXT,                  -- the result file once applied
	updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ace_files (
	bucket     TEXT NOT NULL,
	key        TEXT NOT NULL,
	etag       TEXT NOT NULL,
	state      TEXT NOT NULL,         -- processed, unreadable
	error      TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	PRIMARY KEY (bucket, key, etag)
);
CREATE TABLE IF NOT EXISTS ace_answers (
	invitation_id TEXT PRIMARY KEY,
	catalog       TEXT NOT NULL,
	accept        INTEGER NOT NULL,
	reason        TEXT NOT NULL DEFAULT '',
	crm_id        TEXT NOT NULL DEFAULT '',
	state         TEXT NOT NULL,      -- pending, sent, done, failed
	error         TEXT NOT NULL DEFAULT '',
	updated_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ace_refused (
	crm_id        TEXT PRIMARY KEY,
	local_version INTEGER NOT NULL
);`

// SQLiteBook is the Book in the CRM's SQLite file, on its own connection.
type SQLiteBook struct{ db *sql.DB }

var _ Book = (*SQLiteBook)(nil)

// OpenBook opens the bookkeeping in the SQLite file at path (the CRM
// database's), creating its tables if needed.
func OpenBook(ctx context.Context, path string) (*SQLiteBook, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, bookSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("acemode: bookkeeping tables in %s: %w", path, err)
	}
	return &SQLiteBook{db: db}, nil
}

// Close implements Book.
func (s *SQLiteBook) Close() error { return s.db.Close() }

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// inboundStamp is MMDDYYYY24HHMMSS, in UTC as ACE's dates are.
const inboundStamp = "01022006150405"

// Prepare implements Book. The sequence number keeps names unique when
// two uploads fall in the same second.
func (s *SQLiteBook) Prepare(ctx context.Context, u Upload, prefix, folder string, at time.Time) (Upload, error) {
	items, err := encodeItems(u.Items)
	if err != nil {
		return u, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return u, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM ace_uploads`).Scan(&id); err != nil {
		return u, err
	}
	u.Key = fmt.Sprintf("%s%s-%d_%s.json", folder, prefix, id, at.UTC().Format(inboundStamp))
	u.State = Prepared
	if _, err := tx.ExecContext(ctx, `INSERT INTO ace_uploads (id, key, catalog, body, items, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, u.Key, u.Catalog, u.Body, items, u.State, now()); err != nil {
		return u, err
	}
	for _, it := range u.Items {
		if it.Kind == ItemAnswer {
			if _, err := tx.ExecContext(ctx, `UPDATE ace_answers SET state = ?, updated_at = ? WHERE invitation_id = ?`, AnswerSent, now(), it.InvitationID); err != nil {
				return u, err
			}
		}
	}
	return u, tx.Commit()
}

// Pending implements Book.
func (s *SQLiteBook) Pending(ctx context.Context, catalog string) ([]Upload, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, catalog, body, items, state FROM ace_uploads WHERE catalog = ? AND state != ? ORDER BY id`, catalog, Applied)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var items string
		if err := rows.Scan(&u.Key, &u.Catalog, &u.Body, &items, &u.State); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(items), &u.Items); err != nil {
			return nil, fmt.Errorf("acemode: upload %s: %w", u.Key, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUploadState implements Book.
func (s *SQLiteBook) SetUploadState(ctx context.Context, key string, state UploadState, result []byte) error {
	var res any
	if result != nil {
		res = string(result)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE ace_uploads SET state = ?, result = COALESCE(?, result), updated_at = ? WHERE key = ?`, state, res, now(), key)
	return err
}

// FileState implements Book.
func (s *SQLiteBook) FileState(ctx context.Context, bucket, key, etag string) (FileState, error) {
	var st FileState
	err := s.db.QueryRowContext(ctx, `SELECT state FROM ace_files WHERE bucket = ? AND key = ? AND etag = ?`, bucket, key, etag).Scan(&st)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return st, err
}

// MarkFile implements Book.
func (s *SQLiteBook) MarkFile(ctx context.Context, bucket, key, etag string, state FileState, msg string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO ace_files (bucket, key, etag, state, error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (bucket, key, etag) DO UPDATE SET state = excluded.state, error = excluded.error, updated_at = excluded.updated_at`,
		bucket, key, etag, state, msg, now())
	return err
}

// ForgetUnreadable implements Book.
func (s *SQLiteBook) ForgetUnreadable(ctx context.Context, bucket string, listed map[string]bool) error {
	rows, err := s.db.QueryContext(ctx, `SELECT key FROM ace_files WHERE bucket = ? AND state = ?`, bucket, FileUnreadable)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return err
		}
		if !listed[key] {
			gone = append(gone, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, key := range gone {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM ace_files WHERE bucket = ? AND key = ? AND state = ?`, bucket, key, FileUnreadable); err != nil {
			return err
		}
	}
	return nil
}

// AddAnswer implements Book: a new answer replaces one not yet sent.
func (s *SQLiteBook) AddAnswer(ctx context.Context, a Answer) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO ace_answers (invitation_id, catalog, accept, reason, crm_id, state, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (invitation_id) DO UPDATE SET accept = excluded.accept, reason = excluded.reason, crm_id = excluded.crm_id,
			state = excluded.state, error = '', updated_at = excluded.updated_at WHERE ace_answers.state IN (?, ?)`,
		a.InvitationID, a.Catalog, a.Accept, a.Reason, a.CRMID, AnswerPending, now(), AnswerPending, AnswerFailed)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("acemode: referral %s was already answered", a.InvitationID)
	}
	return nil
}

// Answers implements Book.
func (s *SQLiteBook) Answers(ctx context.Context, catalog string, state AnswerState) ([]Answer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT invitation_id, catalog, accept, reason, crm_id, state, error FROM ace_answers
		WHERE catalog = ? AND (? = '' OR state = ?) ORDER BY invitation_id`, catalog, state, state)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		if err := rows.Scan(&a.InvitationID, &a.Catalog, &a.Accept, &a.Reason, &a.CRMID, &a.State, &a.Error); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FinishAnswer implements Book: msg "" is done, else failed with msg.
func (s *SQLiteBook) FinishAnswer(ctx context.Context, invitationID, msg string) error {
	state := AnswerDone
	if msg != "" {
		state = AnswerFailed
	}
	_, err := s.db.ExecContext(ctx, `UPDATE ace_answers SET state = ?, error = ?, updated_at = ? WHERE invitation_id = ?`, state, msg, now(), invitationID)
	return err
}

// Refused implements Book.
func (s *SQLiteBook) Refused(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT crm_id, local_version FROM ace_refused`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, rows.Err()
}

// SetRefused implements Book; version 0 forgets the refusal.
func (s *SQLiteBook) SetRefused(ctx context.Context, crmID string, version int64) error {
	if version == 0 {
		_, err := s.db.ExecContext(ctx, `DELETE FROM ace_refused WHERE crm_id = ?`, crmID)
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO ace_refused (crm_id, local_version) VALUES (?, ?)
		ON CONFLICT (crm_id) DO UPDATE SET local_version = excluded.local_version`, crmID, version)
	return err
}

// Stats implements Book.
func (s *SQLiteBook) Stats(ctx context.Context, catalog, bucket string) (Stats, error) {
	var st Stats
	err := s.db.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM ace_uploads WHERE catalog = ?1 AND state != ?3),
			(SELECT COUNT(*) FROM ace_files WHERE bucket = ?2 AND state = ?4),
			(SELECT COUNT(*) FROM ace_answers WHERE catalog = ?1 AND state = ?5)`,
		catalog, bucket, Applied, FileUnreadable, AnswerFailed).Scan(&st.AwaitingResults, &st.Unreadable, &st.FailedAnswers)
	return st, err
}
