-- Faster listing at scale:
-- * summary holds the row's ready-made listing JSON, so a page copies bytes
--   instead of decoding every document;
-- * the sort indexes also carry stage and review_status, so those filters
--   are checked on index entries before any table row is read.
ALTER TABLE opportunities ADD COLUMN summary BLOB NOT NULL DEFAULT x'';

DROP INDEX opportunities_by_modified;
DROP INDEX opportunities_by_created;
DROP INDEX opportunities_by_company;
DROP INDEX opportunities_by_close;
DROP INDEX opportunities_by_id;
CREATE INDEX opportunities_by_modified ON opportunities (account, catalog, modified_ms, id_len, id, stage, review_status);
CREATE INDEX opportunities_by_created  ON opportunities (account, catalog, created_ms, id_len, id, stage, review_status);
CREATE INDEX opportunities_by_company  ON opportunities (account, catalog, customer_company, id_len, id, stage, review_status);
CREATE INDEX opportunities_by_close    ON opportunities (account, catalog, target_close_date, id_len, id, stage, review_status);
CREATE INDEX opportunities_by_id       ON opportunities (account, catalog, id_len, id, stage, review_status);
