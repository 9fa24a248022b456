-- Initial schema. Times are integer milliseconds since the Unix epoch (UTC) so
-- ordering and equality are exact; text columns compare bytewise (BINARY).

CREATE TABLE opportunities (
    account           TEXT    NOT NULL,
    catalog           TEXT    NOT NULL,
    id                TEXT    NOT NULL,
    -- IDs order shorter-first, then bytewise (store.CompareIDs), so O999
    -- lists before O1000. The byte length is a virtual column indexes can use.
    id_len            INTEGER GENERATED ALWAYS AS (length(CAST(id AS BLOB))) VIRTUAL,
    created_ms        INTEGER NOT NULL,
    modified_ms       INTEGER NOT NULL,
    stage             TEXT    NOT NULL,
    review_status     TEXT    NOT NULL,
    customer_company  TEXT    NOT NULL,
    target_close_date TEXT    NOT NULL, -- YYYY-MM-DD or '' (sorts first)
    doc               BLOB    NOT NULL,
    PRIMARY KEY (account, catalog, id)
);

-- One index per sort order, each ending in the ID order, so a page is a range
-- walk of one index in either direction: no table scan, no sort.
CREATE INDEX opportunities_by_modified ON opportunities (account, catalog, modified_ms, id_len, id);
CREATE INDEX opportunities_by_created  ON opportunities (account, catalog, created_ms, id_len, id);
CREATE INDEX opportunities_by_company  ON opportunities (account, catalog, customer_company, id_len, id);
CREATE INDEX opportunities_by_close    ON opportunities (account, catalog, target_close_date, id_len, id);
CREATE INDEX opportunities_by_id       ON opportunities (account, catalog, id_len, id);

-- Server-wide counters, e.g. the opportunity number behind O1000001.
CREATE TABLE sequences (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sequences (name, value) VALUES ('opportunity', 1000000);

CREATE TABLE idempotency (
    account      TEXT    NOT NULL,
    catalog      TEXT    NOT NULL,
    operation    TEXT    NOT NULL,
    token        TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    response     BLOB    NOT NULL,
    created_ms   INTEGER NOT NULL,
    PRIMARY KEY (account, catalog, operation, token)
);

CREATE TABLE solutions (
    account    TEXT    NOT NULL,
    catalog    TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    id_len     INTEGER GENERATED ALWAYS AS (length(CAST(id AS BLOB))) VIRTUAL,
    name       TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (account, catalog, id)
) WITHOUT ROWID;

CREATE TABLE tags (
    account TEXT NOT NULL,
    arn     TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (account, arn, key)
) WITHOUT ROWID;

CREATE TABLE settings (
    account TEXT NOT NULL,
    catalog TEXT NOT NULL,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (account, catalog, name)
) WITHOUT ROWID;
