package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cosell/cosell/internal/ace"
)

const jsonType = "application/json"

// Process handles one inbound file now: it decides on it (a result per
// record, or a rejection of the whole file), records the decision, writes
// the result to the results folder and its archive, and moves the input to
// the inbound archive. A file already gone is no error: it was handled.
// An error means the file was left in inbound to be processed again; no
// partner input causes one, only a failing store or bucket.
func (x *Exchange) Process(ctx context.Context, bucketName, key string) error {
	b, ok := x.buckets[bucketName]
	if !ok {
		return fmt.Errorf("exchange: %s is not an ACE bucket", bucketName)
	}
	f, name, ok := inboundFile(key)
	if !ok {
		return fmt.Errorf("exchange: %s is not in an inbound folder", key)
	}
	x.processing.Lock()
	defer x.processing.Unlock()
	body, _, err := x.objects.GetObject(ctx, b.name, key)
	if errors.Is(err, ErrNoSuchKey) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("exchange: read %s/%s: %w", b.name, key, err)
	}
	doc, found, err := load[inboundRecord](ctx, x.store, kindInboundFile, b, b.name+"/"+key)
	if err != nil {
		return err
	}
	switch {
	case found && !doc.Value.Settled: // decided before a crash; finish the move
		return x.settle(ctx, b, body, doc.Value, doc.Version)
	case found:
		return x.rejectDuplicate(ctx, b, f, key, name, body)
	}
	rec := &inboundRecord{Bucket: b.name, Key: key, At: x.clock.Now().UTC(), ArchiveKey: f.inboundArchive + name}
	if rec.Outputs, err = x.decide(ctx, b, f, key, name, body); err != nil {
		return err
	}
	if err := x.save(ctx, kindInboundFile, b, rec, 0); err != nil {
		return err
	}
	return x.settle(ctx, b, body, rec, 1)
}

// decide works out the answer to a new inbound file, doing what its
// records ask.
func (x *Exchange) decide(ctx context.Context, b bucket, f folders, key, name string, body []byte) ([]output, error) {
	now := x.clock.Now()
	reject := func(resultKey, msg string) ([]output, error) {
		return f.resultFiles(resultKey, ace.FileError(b.spmsID, key, now, msg))
	}
	if problem, notJSON := ace.CheckInboundName(name); notJSON {
		return reject(ace.ErrorKey(key), problem)
	} else if problem != "" {
		return reject(ace.ResultKey(key), problem)
	}
	if len(body) > ace.MaxInboundSize {
		return reject(ace.ResultKey(key), fmt.Sprintf("File size %d bytes exceeds the maximum of %d bytes (1 MB)", len(body), ace.MaxInboundSize))
	}
	file, err := ace.ParseFile(f.kind, body)
	if err != nil {
		return reject(ace.ResultKey(key), err.Error())
	}
	if file.SpmsID != b.spmsID {
		return reject(ace.ResultKey(key), fmt.Sprintf("Invalid spmsId %q: this bucket belongs to spmsId %s", file.SpmsID, b.spmsID))
	}
	results := make([]ace.RecordResult, len(file.Records))
	for i, r := range file.Records {
		if results[i], err = x.handleRecord(ctx, b, f.kind, key, i, r); err != nil {
			return nil, err
		}
	}
	return f.resultFiles(ace.ResultKey(key), ace.NewResult(b.spmsID, key, x.clock.Now(), results))
}

// rejectDuplicate answers a file whose name the bucket has processed
// before: not processed, archived beside the original under a name of its
// own, with the reason in an ".error.json" file so the first file's result
// stays as it was.
func (x *Exchange) rejectDuplicate(ctx context.Context, b bucket, f folders, key, name string, body []byte) error {
	now := x.clock.Now()
	outputs, err := f.resultFiles(ace.ErrorKey(key), ace.FileError(b.spmsID, key, now,
		"Duplicate file name: "+name+" was processed before; this file was not processed"))
	if err != nil {
		return err
	}
	rec := &inboundRecord{Bucket: b.name, Key: key, Outputs: outputs, ArchiveKey: f.inboundArchive + name + ".duplicate-" + stamp(now)}
	return x.move(ctx, b, body, rec)
}

// resultFiles are a result's two copies: in the results folder and its
// archive.
func (f folders) resultFiles(resultKey string, result ace.Result) ([]output, error) {
	body, err := json.MarshalIndent(result, "", "    ")
	if err != nil {
		return nil, fmt.Errorf("exchange: encode result: %w", err)
	}
	return []output{{Key: resultKey, Body: body}, {Key: f.resultsArchiveKey(resultKey), Body: body}}, nil
}

// settle finishes a recorded decision: writes its files, moves the input,
// and marks the record settled. Every step can be repeated after a crash.
func (x *Exchange) settle(ctx context.Context, b bucket, body []byte, rec *inboundRecord, version int64) error {
	if err := x.move(ctx, b, body, rec); err != nil {
		return err
	}
	rec.Settled = true
	return x.save(ctx, kindInboundFile, b, rec, version)
}

// move writes the answer files and the archive copy, then deletes the
// input: AWS "deletes inbound after processing".
func (x *Exchange) move(ctx context.Context, b bucket, body []byte, rec *inboundRecord) error {
	for _, o := range rec.Outputs {
		if err := x.objects.PutObject(ctx, b.name, o.Key, o.Body, jsonType); err != nil {
			return fmt.Errorf("exchange: write %s/%s: %w", b.name, o.Key, err)
		}
	}
	if err := x.objects.PutObject(ctx, b.name, rec.ArchiveKey, body, "application/octet-stream"); err != nil {
		return fmt.Errorf("exchange: archive %s/%s: %w", b.name, rec.Key, err)
	}
	if err := x.objects.DeleteObject(ctx, b.name, rec.Key); err != nil && !errors.Is(err, ErrNoSuchKey) {
		return fmt.Errorf("exchange: delete %s/%s: %w", b.name, rec.Key, err)
	}
	return nil
}
