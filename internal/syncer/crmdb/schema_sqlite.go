package crmdb

// sqliteMigrations is the schema in SQLite's types: times as RFC 3339
// text with every digit AWS sent, JSON as text, booleans as 0 or 1.
var sqliteMigrations = []string{
	// 1: the initial schema.
	`
-- One row per opportunity the CRM knows, created on either side.
CREATE TABLE opportunities (
	crm_id            TEXT PRIMARY KEY,          -- the CRM's own id
	catalog           TEXT NOT NULL,             -- AWS or Sandbox
	pc_id             TEXT,                      -- Partner Central's O-id; NULL until created there
	pc_record         TEXT,                      -- the GetOpportunity JSON as last seen
	aws_last_modified TEXT,                      -- its LastModifiedDate, RFC 3339 with AWS's precision
	create_payload    TEXT,                      -- a CRM-side create's fields by path, until sent
	pending           TEXT NOT NULL DEFAULT '{}',-- pending edits: {"Project.Title": {"value", "base", "hasBase"}}
	local_version     INTEGER NOT NULL DEFAULT 0,-- counts CRM writes
	crm_fields        TEXT NOT NULL DEFAULT '{}',-- fields Partner Central never sees (notes, ...)
	deleted           INTEGER NOT NULL DEFAULT 0,-- removed (AWS rejected it)
	last_error        TEXT NOT NULL DEFAULT '',  -- why the last push failed
	error_count       INTEGER NOT NULL DEFAULT 0,
	updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX opportunities_pc_id ON opportunities(catalog, pc_id) WHERE pc_id IS NOT NULL;

-- The connector's position per catalog.
CREATE TABLE sync_state (
	catalog           TEXT PRIMARY KEY,
	aws_last_modified TEXT,                      -- newest LastModifiedDate AWS answered: the polling filter
	event_cursor      TEXT NOT NULL DEFAULT '',  -- where the event feed resumes
	full_load_token   TEXT NOT NULL DEFAULT '',  -- NextToken of the first load's page in progress
	full_load_done    INTEGER NOT NULL DEFAULT 0,
	last_sync_at      TEXT,                      -- local clock, for lag
	updated_at        TEXT NOT NULL
);

-- Events already acted on: duplicates are dropped.
CREATE TABLE processed_events (
	event_id     TEXT PRIMARY KEY,
	processed_at TEXT NOT NULL
);

-- CRM edits that met different Partner Central values, or that Partner Central refused.
CREATE TABLE conflicts (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	crm_id      TEXT NOT NULL,
	pc_id       TEXT,
	fields      TEXT NOT NULL,                   -- JSON list of paths
	crm_version TEXT NOT NULL,                   -- the CRM's values by path
	pc_version  TEXT NOT NULL,                   -- the Partner Central record met
	reason      TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	resolved_at TEXT,
	resolution  TEXT                             -- crm or partner-central
);
CREATE INDEX conflicts_open ON conflicts(resolved_at);

-- AWS referrals: engagement invitations this partner received.
CREATE TABLE invitations (
	id              TEXT PRIMARY KEY,
	catalog         TEXT NOT NULL,
	engagement_id   TEXT NOT NULL DEFAULT '',
	payload_type    TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL DEFAULT '',
	sender          TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL DEFAULT '',
	invitation_date TEXT,
	expiration_date TEXT,
	record          TEXT NOT NULL,               -- the ListEngagementInvitations summary
	deleted         INTEGER NOT NULL DEFAULT 0,  -- rejected or expired
	updated_at      TEXT NOT NULL
);
`,
	// 2: indexes for the steady state (the outbox, the newest change).
	steadyStateIndexes,
}
