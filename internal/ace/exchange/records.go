package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/apierr"
)

// outcome is what one record came to: the AWS id it concerns (opportunity,
// invitation or engagement), and the reasons it failed or warnings.
type outcome struct {
	apnID    string
	errors   []string
	warnings []string
}

func failed(apnID string, errs ...string) outcome { return outcome{apnID: apnID, errors: errs} }

// handleRecord does what one record asks, as the bucket's partner. Refusals
// by the API or the file format become the record's errors; only an
// unexpected failure (the store, a bug) is returned, and leaves the whole
// file to be processed again.
func (x *Exchange) handleRecord(ctx context.Context, b bucket, kind ace.Kind, key string, index int, r ace.Record) (ace.RecordResult, error) {
	token := clientToken(b.name, key, index)
	var o outcome
	var err error
	if kind == ace.KindLead {
		o, err = x.leadRecord(ctx, b, r)
	} else {
		o, err = x.opportunityRecord(ctx, b, token, r)
	}
	if err != nil {
		return ace.RecordResult{}, err
	}
	res := ace.RecordResult{IsSuccess: len(o.errors) == 0, PartnerCrmUniqueIdentifier: nonEmpty(r.PartnerCrmID()), ApnCrmUniqueIdentifier: nonEmpty(o.apnID)}
	if len(o.errors) > 0 {
		res.Errors = o.errors
	}
	if len(o.warnings) > 0 {
		res.Warnings = o.warnings
	}
	return res, nil
}

// refusal turns an API error into a record's outcome. Any other error is
// returned as it is: it is no answer about the record.
func refusal(apnID string, err error) (outcome, error) {
	e, ok := apierr.As(err)
	if !ok {
		return outcome{}, err
	}
	// A ValidationException's message only summarises its ErrorList, so
	// the list is the errors when there is one.
	if e.Kind != apierr.KindValidation || len(e.Fields) == 0 {
		return failed(apnID, e.Message), nil
	}
	errs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		errs[i] = f.FieldName + ": " + f.Message
	}
	return failed(apnID, errs...), nil
}

// clientToken makes a record's requests idempotent across reprocessing: the
// same bucket, file and record always send the same token.
func clientToken(bucketName, key string, index int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", bucketName, key, index))
	return "ace-" + hex.EncodeToString(sum[:16])
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
