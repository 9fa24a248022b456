// Package crmdb is the CRM database the sync connector keeps in step with
// Partner Central: each opportunity as Partner Central last showed it, the
// CRM's pending edits, conflicts, AWS referrals, and the connector's own
// cursors. Store is the contract, every method one transaction; Open
// returns it over SQLite (a file, the default) or PostgreSQL (a URL),
// which share every query and differ only in the few things a dialect
// holds. The tables are documented in schema.md; the schema migrates
// itself on open. Package crmdbtest is the behaviour both must show.
package crmdb

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrNotFound is returned for an unknown CRM id, conflict or catalog row.
var ErrNotFound = errors.New("crmdb: not found")

// Store is the CRM database.
type Store interface {
	Local
	Remote
	Close() error
}

// Local is what the CRM itself does: create and edit opportunities, read
// them, and settle conflicts.
type Local interface {
	// CreateLocal records a new opportunity made in the CRM; fields are
	// CreateOpportunity members by path ("Project.Title": "...").
	CreateLocal(ctx context.Context, catalog, crmID string, fields map[string]any) error
	// EditLocal records changed fields by path; each remembers the Partner
	// Central value it replaced, to tell a conflict from a retry.
	EditLocal(ctx context.Context, crmID string, changes map[string]any) error
	// SetCRMField sets a field Partner Central never sees (notes, owner).
	SetCRMField(ctx context.Context, crmID, name string, value any) error
	Opportunity(ctx context.Context, crmID string) (*Opportunity, error)
	// Opportunities lists the catalog's rows, removed ones too, by CRM id
	// in byte order.
	Opportunities(ctx context.Context, catalog string) ([]Opportunity, error)
	// Conflicts lists conflicts oldest first, only unresolved ones when
	// openOnly.
	Conflicts(ctx context.Context, openOnly bool) ([]Conflict, error)
	Conflict(ctx context.Context, id int64) (*Conflict, error)
	// ResolveConflict keeps one side: KeepCRM queues the CRM's values
	// again as edits over the current Partner Central values;
	// KeepPartnerCentral leaves Partner Central's as they are.
	ResolveConflict(ctx context.Context, id int64, keep Resolution) error
	// Invitations lists the catalog's invitations, removed ones too, by
	// id in byte order.
	Invitations(ctx context.Context, catalog string) ([]Invitation, error)
	Stats(ctx context.Context, catalog string) (Stats, error)
}

// Remote is what the connector does.
type Remote interface {
	// ApplyRemote stores rec when its LastModifiedDate is newer than the
	// stored one and, when ev is set, marks that event processed in the
	// same transaction; an event already processed changes nothing.
	// applied reports whether the record was stored.
	ApplyRemote(ctx context.Context, catalog string, rec *RemoteRecord, ev *EventMark) (applied bool, err error)
	// ApplyRemoteBatch stores, in one transaction, each of recs newer than
	// the stored version (ApplyRemote's rule, record by record, in order),
	// and reports how many it stored.
	ApplyRemoteBatch(ctx context.Context, catalog string, recs []*RemoteRecord) (applied int, err error)
	EventSeen(ctx context.Context, eventID string) (bool, error)
	OpportunityByPCID(ctx context.Context, catalog, pcID string) (*Opportunity, error)
	// RemoteVersions is the stored LastModifiedDate of each of pcIDs (a
	// page's worth) the catalog has; the others are absent.
	RemoteVersions(ctx context.Context, catalog string, pcIDs []string) (map[string]time.Time, error)
	// NewestAWSChange is the newest LastModifiedDate stored in the catalog,
	// the zero time when there is none.
	NewestAWSChange(ctx context.Context, catalog string) (time.Time, error)
	// Outbox lists the catalog's live opportunities with a create or
	// edits still to push, by CRM id in byte order.
	Outbox(ctx context.Context, catalog string) ([]Opportunity, error)
	SetPCID(ctx context.Context, crmID, pcID string) error
	// ClearEdits drops the pending edits whose value is still the one in
	// applied; an edit made meanwhile stays pending.
	ClearEdits(ctx context.Context, crmID string, applied map[string]any) error
	// RecordError notes why the last push failed ("" clears it).
	RecordError(ctx context.Context, crmID, msg string) error
	// AddConflict records c and takes its fields out of the pending edits.
	AddConflict(ctx context.Context, c Conflict) (int64, error)
	State(ctx context.Context, catalog string) (State, error)
	SaveState(ctx context.Context, s State) error
	UpsertInvitation(ctx context.Context, inv Invitation) error
}

// Edit is one pending change: the CRM's value and the Partner Central
// value it was made over (HasBase false for an opportunity not yet in
// Partner Central).
type Edit struct {
	Value   any  `json:"value"`
	Base    any  `json:"base,omitempty"`
	HasBase bool `json:"hasBase"`
}

// Opportunity is one row of the opportunities table.
type Opportunity struct {
	CRMID           string
	Catalog         string
	PCID            string          // "" until Partner Central has created it
	Record          json.RawMessage // the GetOpportunity answer as last seen
	AWSLastModified time.Time       // its LastModifiedDate, as AWS sent it
	CreatePayload   map[string]any  // fields of a CRM-side create not yet sent
	Edits           map[string]Edit // pending edits by path
	LocalVersion    int64           // counts the CRM's writes
	CRMFields       map[string]any
	Deleted         bool
	LastError       string
	ErrorCount      int64
}

// RemoteRecord is an opportunity as GetOpportunity answered.
type RemoteRecord struct {
	PCID                         string
	PartnerOpportunityIdentifier string
	ReviewStatus                 string
	LastModified                 time.Time
	JSON                         json.RawMessage
}

// EventMark names the event a remote record was fetched for, and the
// feed position to resume after it ("" when the feed keeps its own).
type EventMark struct {
	ID     string
	Cursor string
}

// Resolution says which side a resolved conflict kept.
type Resolution string

const (
	KeepCRM            Resolution = "crm"
	KeepPartnerCentral Resolution = "partner-central"
)

// Conflict is a CRM edit that could not be applied as made.
type Conflict struct {
	ID             int64
	CRMID          string
	PCID           string
	Fields         []string
	CRMVersion     map[string]any  // the CRM's values by path
	PartnerCentral json.RawMessage // the Partner Central record it met
	Reason         string
	Created        time.Time
	Resolved       *time.Time
	Resolution     Resolution
}

// State is the connector's position for one catalog.
type State struct {
	Catalog         string
	AWSLastModified time.Time // newest LastModifiedDate AWS has answered
	EventCursor     string
	FullLoadToken   string // NextToken of the full load's page in progress
	FullLoadDone    bool
	LastSync        time.Time // local clock: when a cycle last completed
}

// Invitation is an AWS referral (an engagement invitation to this partner).
type Invitation struct {
	ID             string
	Catalog        string
	EngagementID   string
	PayloadType    string
	Status         string
	Sender         string
	Title          string
	InvitationDate time.Time
	ExpirationDate time.Time
	Record         json.RawMessage
	Deleted        bool // rejected or expired: gone from the CRM's work list
}

// Stats is what `cosell sync status` shows.
type Stats struct {
	State         State
	Opportunities int64
	PendingEdits  int64 // opportunities with a create or edits to push
	OpenConflicts int64
	Errors        int64 // opportunities whose last push failed
	Invitations   int64 // live invitations
}
