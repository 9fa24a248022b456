// Package crmdbtest is the behaviour every crmdb.Store must show: one
// suite that the SQLite and the PostgreSQL stores both run.
package crmdbtest

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// Run runs each behaviour test as a subtest on a new, empty store from
// open, which also arranges for the store to be closed when t ends.
func Run(t *testing.T, open func(t *testing.T) crmdb.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.test(t, open(t)) })
	}
}

var cases = []struct {
	name string
	test func(*testing.T, crmdb.Store)
}{
	{"CreateLocal", testCreateLocal},
	{"EditLocalKeepsFirstBase", testEditLocalKeepsFirstBase},
	{"SetCRMField", testSetCRMField},
	{"ApplyRemoteKeepsNewest", testApplyRemoteKeepsNewest},
	{"ApplyRemoteMatchesLostCreate", testApplyRemoteMatchesLostCreate},
	{"ApplyRemoteNamesNewRows", testApplyRemoteNamesNewRows},
	{"ApplyRemoteBatch", testApplyRemoteBatch},
	{"ApplyRemoteBatchIsAtomic", testApplyRemoteBatchIsAtomic},
	{"RemoteVersions", testRemoteVersions},
	{"NewestAWSChange", testNewestAWSChange},
	{"CatalogsAreSeparate", testCatalogsAreSeparate},
	{"RejectedRemovesOpportunity", testRejectedRemovesOpportunity},
	{"EventsAreProcessedOnce", testEventsAreProcessedOnce},
	{"TimesRoundTripExactly", testTimesRoundTripExactly},
	{"OutboxMembersAndOrder", testOutboxMembersAndOrder},
	{"ClearEditsKeepsEditsMadeMeanwhile", testClearEditsKeepsEditsMadeMeanwhile},
	{"RecordError", testRecordError},
	{"ConflictsOpenAndResolved", testConflictsOpenAndResolved},
	{"ResolveKeepCRMRequeues", testResolveKeepCRMRequeues},
	{"State", testState},
	{"Invitations", testInvitations},
	{"Stats", testStats},
	{"ConcurrentEditsAreNotLost", testConcurrentEditsAreNotLost},
}

// t0 has the millisecond precision AWS sends.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 123_000_000, time.UTC)

// remote is a GetOpportunity answer with a title.
func remote(id, poid, title string, lmd time.Time) *crmdb.RemoteRecord {
	body, _ := json.Marshal(map[string]any{"Id": id, "PartnerOpportunityIdentifier": poid, "Project": map[string]any{"Title": title}})
	return &crmdb.RemoteRecord{PCID: id, PartnerOpportunityIdentifier: poid, LastModified: lmd, JSON: body}
}

// title reads Project.Title out of a stored record.
func title(t *testing.T, o *crmdb.Opportunity) string {
	t.Helper()
	var r struct{ Project struct{ Title string } }
	if err := json.Unmarshal(o.Record, &r); err != nil {
		t.Fatalf("%s record %q: %v", o.CRMID, o.Record, err)
	}
	return r.Project.Title
}

// sameJSON compares documents, not their spelling.
func sameJSON(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%q: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, db crmdb.Store, crmID string) *crmdb.Opportunity {
	t.Helper()
	o, err := db.Opportunity(t.Context(), crmID)
	must(t, err)
	return o
}

// apply stores rec, failing t on an error, and reports whether it was stored.
func apply(t *testing.T, db crmdb.Store, catalog string, rec *crmdb.RemoteRecord, ev *crmdb.EventMark) bool {
	t.Helper()
	ok, err := db.ApplyRemote(t.Context(), catalog, rec, ev)
	must(t, err)
	return ok
}

func crmIDs(rows []crmdb.Opportunity) []string {
	ids := []string{}
	for _, o := range rows {
		ids = append(ids, o.CRMID)
	}
	return ids
}
