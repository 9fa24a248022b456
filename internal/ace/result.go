package ace

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// RecordResult is the outcome of one inbound record (semantics §6.5).
type RecordResult struct {
	Warnings                   []string `json:"warnings"`
	PartnerCrmUniqueIdentifier *string  `json:"partnerCrmUniqueIdentifier"`
	IsSuccess                  bool     `json:"isSuccess"`
	Errors                     []string `json:"errors"`
	ApnCrmUniqueIdentifier     *string  `json:"apnCrmUniqueIdentifier"`
}

// Result is a result file (semantics §6.5). Success is "ALL", "PARTIAL" or "NONE".
type Result struct {
	Success            string         `json:"success"`
	SpmsID             string         `json:"spmsId"`
	IsApiError         bool           `json:"isApiError"`
	InboundApiResults  []RecordResult `json:"inboundApiResults"`
	FileName           string         `json:"fileName"`
	FileApnProcessedDT string         `json:"fileApnProcessedDT"`
	ApiErrors          []string       `json:"apiErrors"`
}

// processedLayout is the samples' "2023-05-28T15:21:22.331Z": UTC, always three fraction digits.
const processedLayout = "2006-01-02T15:04:05.000Z"

// NewResult is the result of a processed file: Success is "ALL" when every record succeeded, "NONE" when none
// did (or there were none), else "PARTIAL" (AWS's partial value is not published; "PARTIAL" is our guess).
func NewResult(spmsID, inboundKey string, processed time.Time, records []RecordResult) Result {
	ok := 0
	for _, r := range records {
		if r.IsSuccess {
			ok++
		}
	}
	success := "PARTIAL"
	switch {
	case ok == 0:
		success = "NONE"
	case ok == len(records):
		success = "ALL"
	}
	return Result{Success: success, SpmsID: spmsID, InboundApiResults: records, FileName: inboundKey,
		FileApnProcessedDT: processed.UTC().Format(processedLayout)}
}

// FileError is the result of a file rejected as a whole (bad JSON, too large, wrong envelope, unknown spmsId):
// isApiError true, apiErrors [msg], no per-record results.
func FileError(spmsID, inboundKey string, processed time.Time, msg string) Result {
	r := NewResult(spmsID, inboundKey, processed, nil)
	r.IsApiError = true
	r.ApiErrors = []string{msg}
	return r
}

// OutboundFile is the envelope AWS writes: {"version":"2.0" (opportunities) or "1" (leads), "spmsId",
// "opportunities"|"leads"}, indented as AWS's samples are. Records are expected to come from the Outbound*
// renderers; one that JSON cannot carry (a NaN, a channel) is left out rather than breaking the whole file.
func OutboundFile(kind Kind, spmsID string, records []map[string]any) []byte {
	version := "2.0"
	if kind == KindLead {
		version = "1"
	}
	encoded := make([]json.RawMessage, 0, len(records))
	for _, r := range records {
		if b, err := json.Marshal(r); err == nil {
			encoded = append(encoded, b)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"version":` + strconv.Quote(version) + `,"spmsId":`)
	spms, _ := json.Marshal(spmsID)
	buf.Write(spms)
	buf.WriteString(`,"` + recordKeys[kind] + `":`)
	list, _ := json.Marshal(encoded) // RawMessages that were valid JSON just above
	buf.Write(list)
	buf.WriteString("}")
	var out bytes.Buffer
	if json.Indent(&out, buf.Bytes(), "", "    ") != nil {
		return buf.Bytes()
	}
	return out.Bytes()
}

func itoa(i int) string { return strconv.Itoa(i) }
