package s3bucket

import (
	"net/http"
	"strings"
)

// The partner's access to its ACE bucket, per folder. Source:
// shared/reference/semantics.md §6.1-§6.2 — ACE CRM Integration FAQ 4.14
// (Oct 2022), the CRM integration guide's custom-opportunity-sharing and
// custom-lead-sharing pages, technical-faq-leads-and-opps.html:
//   - partners write only the inbound folders ("uploading into an outbound
//     folder also yields AccessDenied");
//   - they read every folder, archives and results included (read-only).
//     The FAQ's table grants nothing on the inbound archives; cosell lets a
//     partner read its own archived uploads, which reveals nothing new;
//   - they delete outbound files once processed, and their result files (the
//     user guide grants read+delete on the processed-results folders);
//   - tagging (e.g. partner_processed=true on outbound files) goes with read;
//   - listing the bucket is allowed; nothing else (bucket configuration,
//     ACLs, versions) is.
type access uint8

const (
	read access = 1 << iota
	write
	remove
)

var folderAccess = map[string]access{
	"opportunity-outbound/":                          read | remove,
	"opportunity-outbound-archive/":                  read,
	"opportunity-inbound/":                           read | write,
	"opportunity-inbound-archive/":                   read,
	"opportunity-inbound-processed-results/":         read | remove,
	"opportunity-inbound-processed-results-archive/": read,
	"lead-outbound/":                                 read | remove,
	"lead-outbound-archive/":                         read,
	"lead-inbound/":                                  read | write,
	"lead-inbound-archive/":                          read,
	"lead-inbound-processed-results/":                read | remove,
	"lead-inbound-processed-results-archive/":        read,
}

// needs is the access each object operation requires; bucket-level
// operations (listing, HeadBucket, location) need none.
var needs = map[operation]access{
	opGetObject:     read,
	opHeadObject:    read,
	opGetTagging:    read,
	opPutTagging:    read,
	opDeleteTagging: read,
	opPutObject:     write,
	opDeleteObject:  remove,
}

// permitted tells whether the partner may apply op to key. Object keys must
// lie inside a folder (a folder's own key is not a file in it).
func permitted(op operation, key string) bool {
	need, objectLevel := needs[op]
	if !objectLevel {
		return true
	}
	folder, name, ok := strings.Cut(key, "/")
	return ok && name != "" && folderAccess[folder+"/"]&need == need
}

// ownerGetsFullControl is the upload rule of semantics §6.1: every
// PutObject must grant the bucket owner full control with the canned ACL,
// as in `aws s3 cp f s3://bucket/... --acl bucket-owner-full-control`.
func ownerGetsFullControl(h http.Header) bool {
	return h.Get("X-Amz-Acl") == "bucket-owner-full-control"
}
