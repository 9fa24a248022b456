package acemode

import (
	"context"
	"encoding/json"
	"time"
)

// Book is the S3 mode's own durable bookkeeping, kept beside the CRM
// database rather than in crmdb.Store: the uploads awaiting results, the
// outbound files already read or found unreadable, the CRM's answers to
// AWS referrals, and the CRM versions AWS refused. SQLiteBook implements
// it; a PostgreSQL one can follow behind the same methods.
type Book interface {
	// Prepare records a new upload before it is sent, naming it
	// {prefix}-{sequence}_{MMDDYYYYHHMMSS}.json under folder, and marks
	// the answers it carries as sent, in one transaction.
	Prepare(ctx context.Context, u Upload, prefix, folder string, at time.Time) (Upload, error)
	// Pending lists the catalog's uploads not yet applied, oldest first.
	Pending(ctx context.Context, catalog string) ([]Upload, error)
	SetUploadState(ctx context.Context, key string, state UploadState, result []byte) error

	// FileState is what became of an outbound file version ("" if unseen).
	FileState(ctx context.Context, bucket, key, etag string) (FileState, error)
	MarkFile(ctx context.Context, bucket, key, etag string, state FileState, msg string) error
	// ForgetUnreadable drops the unreadable files no longer listed.
	ForgetUnreadable(ctx context.Context, bucket string, listed map[string]bool) error

	AddAnswer(ctx context.Context, a Answer) error
	// Answers lists the catalog's answers in state ("" for all).
	Answers(ctx context.Context, catalog string, state AnswerState) ([]Answer, error)
	FinishAnswer(ctx context.Context, invitationID string, msg string) error

	// Refused is the CRM version of each row whose last upload AWS refused.
	Refused(ctx context.Context) (map[string]int64, error)
	SetRefused(ctx context.Context, crmID string, version int64) error

	Stats(ctx context.Context, catalog, bucket string) (Stats, error)
	Close() error
}

// UploadState is where an upload stands.
type UploadState string

const (
	// Prepared: recorded, maybe sent. A restart checks the bucket before
	// sending it, so it never goes twice.
	Prepared UploadState = "prepared"
	Uploaded UploadState = "uploaded" // in the bucket; its result is awaited
	Applied  UploadState = "applied"  // result applied to the CRM
)

// Upload is one inbound file.
type Upload struct {
	Key     string // opportunity-inbound/{name}_MMDDYYYYHHMMSS.json
	Catalog string
	Body    []byte
	Items   []Item // what each record of the file stands for, in order
	State   UploadState
}

// ItemKind is what a record of an upload does.
type ItemKind string

const (
	ItemCreate ItemKind = "create"
	ItemEdit   ItemKind = "edit"
	ItemAnswer ItemKind = "answer"
)

// Item is one record of an upload.
type Item struct {
	Kind         ItemKind       `json:"kind"`
	CRMID        string         `json:"crmId"`
	InvitationID string         `json:"invitationId,omitempty"`
	Accept       bool           `json:"accept,omitempty"`
	Version      int64          `json:"version,omitempty"` // the row's LocalVersion when sent
	Values       map[string]any `json:"values,omitempty"`  // the CRM values sent, by path
	// Fields are the ACE fields each path of Values became.
	Fields map[string][]string `json:"fields,omitempty"`
}

// FileState is what became of an outbound file.
type FileState string

const (
	FileProcessed  FileState = "processed"
	FileUnreadable FileState = "unreadable"
)

// AnswerState is where the CRM's answer to a referral stands.
type AnswerState string

const (
	AnswerPending AnswerState = "pending"
	AnswerSent    AnswerState = "sent"
	AnswerDone    AnswerState = "done"
	AnswerFailed  AnswerState = "failed"
)

// Answer is the CRM accepting or rejecting an AWS referral.
type Answer struct {
	InvitationID string
	Catalog      string
	Accept       bool
	Reason       string // rejection reason
	CRMID        string // the CRM id the accepted opportunity takes
	State        AnswerState
	Error        string
}

// Stats is the S3 mode's part of the status.
type Stats struct {
	AwaitingResults int64 // uploads without an applied result
	Unreadable      int64 // outbound files left in place: they failed to parse
	FailedAnswers   int64
}

func encodeItems(items []Item) (string, error) {
	b, err := json.Marshal(items)
	return string(b), err
}
