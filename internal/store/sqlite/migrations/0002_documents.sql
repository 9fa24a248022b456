-- Collaboration records (engagements, invitations, snapshots, jobs, tasks):
-- one JSON document each, listed in creation order, filtered by key values.
CREATE TABLE documents (
    kind       TEXT    NOT NULL,
    catalog    TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    doc        BLOB    NOT NULL,
    PRIMARY KEY (kind, catalog, id)
);
CREATE INDEX documents_by_created ON documents (kind, catalog, created_ms, id);

-- Indexed attribute values of a document ("member" = an account, "status" =
-- PENDING, ...). A document has any number of values per key.
CREATE TABLE document_keys (
    kind    TEXT NOT NULL,
    catalog TEXT NOT NULL,
    id      TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (kind, catalog, id, key, value)
);
CREATE INDEX document_keys_by_value ON document_keys (kind, catalog, key, value, id);
