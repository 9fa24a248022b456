-- The store's schema on PostgreSQL: the same tables and columns as the
-- SQLite store, so both build the same queries (store/sqlquery).
--
-- * Times are integer milliseconds since the Unix epoch (UTC), so ordering
--   and equality are exact.
-- * Every text column is COLLATE "C": the store compares text bytewise,
--   whatever the database's default collation.
-- * Rows that belong to a partner account carry it first in their key, so
--   the tables can later be distributed by account (see the package doc for
--   the few that are shared between accounts).

CREATE TABLE opportunities (
    account           text COLLATE "C" NOT NULL,
    catalog           text COLLATE "C" NOT NULL,
    id                text COLLATE "C" NOT NULL,
    -- IDs order shorter-first, then bytewise (store.CompareIDs).
    id_len            integer GENERATED ALWAYS AS (octet_length(id)) STORED,
    created_ms        bigint NOT NULL,
    modified_ms       bigint NOT NULL,
    stage             text COLLATE "C" NOT NULL,
    review_status     text COLLATE "C" NOT NULL,
    customer_company  text COLLATE "C" NOT NULL,
    target_close_date text COLLATE "C" NOT NULL, -- YYYY-MM-DD or '' (sorts first)
    doc               bytea NOT NULL,
    summary           bytea NOT NULL,
    PRIMARY KEY (account, catalog, id)
);

-- One index per sort order, each ending in the ID order, so a page is a range
-- walk of one index in either direction; stage and review_status ride along
-- so those filters are checked on index entries.
CREATE INDEX opportunities_by_modified ON opportunities (account, catalog, modified_ms, id_len, id) INCLUDE (stage, review_status);
CREATE INDEX opportunities_by_created  ON opportunities (account, catalog, created_ms, id_len, id) INCLUDE (stage, review_status);
CREATE INDEX opportunities_by_company  ON opportunities (account, catalog, customer_company, id_len, id) INCLUDE (stage, review_status);
CREATE INDEX opportunities_by_close    ON opportunities (account, catalog, target_close_date, id_len, id) INCLUDE (stage, review_status);
CREATE INDEX opportunities_by_id       ON opportunities (account, catalog, id_len, id) INCLUDE (stage, review_status);

-- Server-wide counters. Sequences never hand a number out twice, even to
-- transactions that roll back, which is what makes them safe across replicas.
CREATE SEQUENCE opportunity_number START 1000001;
-- The outbox's commit order; see events.go for why it has no gaps in
-- commit order although numbers may be skipped.
CREATE SEQUENCE event_seq;

CREATE TABLE idempotency (
    account      text COLLATE "C" NOT NULL,
    catalog      text COLLATE "C" NOT NULL,
    operation    text COLLATE "C" NOT NULL,
    token        text COLLATE "C" NOT NULL,
    request_hash text COLLATE "C" NOT NULL,
    response     bytea NOT NULL,
    created_ms   bigint NOT NULL,
    PRIMARY KEY (account, catalog, operation, token)
);

CREATE TABLE solutions (
    account    text COLLATE "C" NOT NULL,
    catalog    text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    id_len     integer GENERATED ALWAYS AS (octet_length(id)) STORED,
    name       text COLLATE "C" NOT NULL,
    category   text COLLATE "C" NOT NULL,
    status     text COLLATE "C" NOT NULL,
    created_ms bigint NOT NULL,
    PRIMARY KEY (account, catalog, id)
);

CREATE TABLE tags (
    account text COLLATE "C" NOT NULL,
    arn     text COLLATE "C" NOT NULL,
    key     text COLLATE "C" NOT NULL,
    value   text COLLATE "C" NOT NULL,
    PRIMARY KEY (account, arn, key)
);

-- Settings of a scope; server-wide ones have account = catalog = ''.
CREATE TABLE settings (
    account text COLLATE "C" NOT NULL,
    catalog text COLLATE "C" NOT NULL,
    name    text COLLATE "C" NOT NULL,
    value   text COLLATE "C" NOT NULL,
    PRIMARY KEY (account, catalog, name)
);

-- Collaboration records (engagements, invitations, snapshots, jobs, tasks):
-- shared between the accounts they name in document_keys.
CREATE TABLE documents (
    kind       text COLLATE "C" NOT NULL,
    catalog    text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    created_ms bigint NOT NULL,
    version    bigint NOT NULL,
    doc        bytea NOT NULL,
    PRIMARY KEY (kind, catalog, id)
);
CREATE INDEX documents_by_created ON documents (kind, catalog, created_ms, id);

CREATE TABLE document_keys (
    kind    text COLLATE "C" NOT NULL,
    catalog text COLLATE "C" NOT NULL,
    id      text COLLATE "C" NOT NULL,
    key     text COLLATE "C" NOT NULL,
    value   text COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, catalog, id, key, value)
);
CREATE INDEX document_keys_by_value ON document_keys (kind, catalog, key, value, id);

-- The event outbox; seq is the commit order (events.go).
CREATE TABLE events (
    seq         bigint PRIMARY KEY,
    account     text COLLATE "C" NOT NULL,
    id          text COLLATE "C" NOT NULL,
    time_ms     bigint NOT NULL,
    detail_type text COLLATE "C" NOT NULL,
    body        bytea NOT NULL
);
CREATE INDEX events_by_account ON events (account, seq);
