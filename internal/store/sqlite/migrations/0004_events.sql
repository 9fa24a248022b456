-- The event outbox: events are appended in the transaction of the change
-- they report; seq is their commit order.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    time_ms     INTEGER NOT NULL,
    detail_type TEXT    NOT NULL,
    body        BLOB    NOT NULL
);
CREATE INDEX events_by_account ON events (account, seq);
