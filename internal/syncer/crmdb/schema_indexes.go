package crmdb

// steadyStateIndexes is migration 2 in both dialects, the same text: the
// outbox found without scanning the table, and the newest LastModifiedDate
// read off an index instead of the records. The outbox index's predicate is
// inOutbox word for word, or SQLite would not see that it applies.
const steadyStateIndexes = `
CREATE INDEX opportunities_outbox ON opportunities(catalog, crm_id)
	WHERE NOT deleted AND (create_payload IS NOT NULL OR pending != '{}');
CREATE INDEX opportunities_changed ON opportunities(catalog, aws_last_modified);
`
