package exchange

import (
	"context"
	"errors"
	"time"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// The exchange's own store documents. They belong to a bucket's catalog
// and carry the bucket under the "aceBucket" key; no account key, so a
// scoped reset of an account's catalog leaves the bucket's history (the
// names it processed, its export cursor) as S3 would.
const (
	kindInboundFile  = "ace-inbound-file"
	kindPartnerCrmID = "ace-partner-crm-id"
	kindExportCursor = "ace-export-cursor"
)

// errAbsent is the not-found of the exchange's documents; callers test for
// it, it never reaches a partner.
var errAbsent = errors.New("exchange: no such document")

func absent() error { return errAbsent }

// output is one file the exchange writes for an inbound file.
type output struct {
	Key  string `json:"key"`
	Body []byte `json:"body"`
}

// inboundRecord is an inbound file the exchange has decided on. It is
// written before the input is archived and deleted, with the files that
// answer it, so that after a crash the move is finished with the same
// answer, and a later file of the same name is known to be a duplicate.
type inboundRecord struct {
	Bucket     string    `json:"bucket"`
	Key        string    `json:"key"`
	At         time.Time `json:"at"`
	Outputs    []output  `json:"outputs"`
	ArchiveKey string    `json:"archiveKey"`
	// Settled: the outputs and archive copy are written and the input deleted.
	Settled bool `json:"settled"`
}

func (r *inboundRecord) DocID() string                { return r.Bucket + "/" + r.Key }
func (r *inboundRecord) DocCreated() time.Time        { return r.At }
func (r *inboundRecord) DocKeys() map[string][]string { return bucketKeys(r.Bucket) }

// partnerCrmID maps a partner's CRM id (partnerCrmUniqueIdentifier) to the
// opportunity it created or took over in a bucket: ACE's rule is "if the
// partnerCrmUniqueIdentifier exists, update, else create".
type partnerCrmID struct {
	Bucket        string    `json:"bucket"`
	PartnerCrmID  string    `json:"partnerCrmId"`
	OpportunityID string    `json:"opportunityId"`
	At            time.Time `json:"at"`
}

func (r *partnerCrmID) DocID() string         { return r.Bucket + "/" + r.PartnerCrmID }
func (r *partnerCrmID) DocCreated() time.Time { return r.At }
func (r *partnerCrmID) DocKeys() map[string][]string {
	keys := bucketKeys(r.Bucket)
	keys["aceOpportunity"] = []string{r.OpportunityID}
	return keys
}

// exportCursor is where a bucket's exports stand: everything that changed
// before Through has been exported. Seen holds, for what changed at or
// after Through, the change already exported (item key → marker), so an
// export at the same instant as a change neither misses nor repeats it.
type exportCursor struct {
	Bucket  string            `json:"bucket"`
	Through time.Time         `json:"through"`
	Seen    map[string]string `json:"seen"`
}

func (c *exportCursor) DocID() string                { return c.Bucket }
func (c *exportCursor) DocCreated() time.Time        { return time.Time{} }
func (c *exportCursor) DocKeys() map[string][]string { return bucketKeys(c.Bucket) }

func bucketKeys(name string) map[string][]string { return map[string][]string{"aceBucket": {name}} }

// load reads a document of the bucket's catalog; found is false when
// there is none.
func load[T any](ctx context.Context, r store.Reader, kind string, b bucket, id string) (doc docstore.Doc[T], found bool, err error) {
	doc, err = docstore.Get[T](ctx, r, kind, b.catalog, id, absent)
	if errors.Is(err, errAbsent) {
		return doc, false, nil
	}
	return doc, err == nil, err
}

// save writes a document of the bucket's catalog at version (0: insert).
func (x *Exchange) save(ctx context.Context, kind string, b bucket, v docstore.Record, version int64) error {
	return x.store.Update(ctx, func(tx store.Tx) error {
		_, err := docstore.Put(ctx, tx, kind, b.catalog, v, version)
		return err
	})
}
