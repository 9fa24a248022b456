package crmdb

// OpenAt opens dsn migrated only up to version: the database a connector
// of that schema left, for the tests that migrate it further.
var OpenAt = openAt
