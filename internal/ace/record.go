package ace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Record is one record of a file as sent. It remembers which fields were present, so that partial updates
// apply only those. Field names are matched without regard to case: AWS's own samples spell the same field
// "useCaseWorkload" and "useCaseWorkLoad".
type Record struct {
	fields map[string]json.RawMessage // by lower-cased field name
}

func newRecord(raw map[string]json.RawMessage) Record {
	fields := make(map[string]json.RawMessage, len(raw))
	for k, v := range raw {
		fields[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return Record{fields: fields}
}

func (r Record) raw(field string) (json.RawMessage, bool) {
	v, ok := r.fields[strings.ToLower(field)]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil, false
	}
	return v, true
}

// Has reports whether the record carries the field with a non-null value. AWS's full-record samples send null
// for every empty field, so a null never clears a value.
func (r Record) Has(field string) bool {
	_, ok := r.raw(field)
	return ok
}

// Text is the field's string value, trimmed; "" when absent, null or not a string.
func (r Record) Text(field string) string {
	v, ok := r.raw(field)
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// value is the field's scalar as text: strings as they are, numbers in their JSON spelling, booleans as
// "true"/"false"; ok is false for absent, null, arrays and objects.
func (r Record) value(field string) (string, bool) {
	v, ok := r.raw(field)
	if !ok {
		return "", false
	}
	var x any
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	if d.Decode(&x) != nil {
		return "", false
	}
	switch x := x.(type) {
	case string:
		return strings.TrimSpace(x), true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// list is an array field's strings (awsProducts, solutionOffered, offers); a lone string counts as a one-item
// list. ok is false when the field is absent or holds something else.
func (r Record) list(field string) ([]string, bool) {
	v, ok := r.raw(field)
	if !ok {
		return nil, false
	}
	var items []string
	if json.Unmarshal(v, &items) == nil {
		return compact(items), true
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		return compact([]string{one}), true
	}
	return nil, false
}

// compact trims the items and drops the empty ones.
func compact(items []string) []string {
	out := make([]string, 0, len(items))
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// PartnerCrmID is the partner's identifier of the record: partnerCrmUniqueIdentifier, or partnerCrmLeadId for
// leads.
func (r Record) PartnerCrmID() string {
	if id := r.Text("partnerCrmUniqueIdentifier"); id != "" {
		return id
	}
	return r.Text("partnerCrmLeadId")
}

// ApnCrmID is AWS's identifier of the record: apnCrmUniqueIdentifier.
func (r Record) ApnCrmID() string { return r.Text("apnCrmUniqueIdentifier") }

// File is a parsed file.
type File struct {
	Version, SpmsID string
	Records         []Record
}

// versions are the envelope versions ACE accepts: "2.0" is current, "1.0" is still accepted (and leads use "1").
var versions = map[string]bool{"2.0": true, "2": true, "1": true, "1.0": true}

// recordKeys is the envelope key of the records of each kind. Lead files use "leads"; the inbound lead sample
// spells it "Leads", which the case-insensitive lookup accepts.
var recordKeys = map[Kind]string{KindOpportunity: "opportunities", KindLead: "leads"}

// ParseFile accepts the documented envelopes ({"version","spmsId","opportunities"|"leads"|"Leads"}). A non-nil
// error means the whole file is rejected; its Error() is the text for the result file. The wording is cosell's:
// AWS documents only that such files are rejected as a whole (FAQ 5.15, 5.17).
func ParseFile(kind Kind, body []byte) (*File, error) {
	key, ok := recordKeys[kind]
	if !ok {
		return nil, errors.New("Invalid file: unknown file kind " + string(kind))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errors.New("Invalid JSON: " + err.Error())
	}
	env := newRecord(raw)
	version, _ := env.value("version")
	if !versions[version] {
		return nil, errors.New(`Invalid file format: unsupported version "` + version + `"; use "2.0" or "1.0"`)
	}
	spms, _ := env.value("spmsId")
	if spms == "" {
		return nil, errors.New("Invalid file format: spmsId is required")
	}
	items, ok := env.raw(key)
	var objects []map[string]json.RawMessage
	if !ok || json.Unmarshal(items, &objects) != nil {
		return nil, errors.New(`Invalid file format: "` + key + `" must be an array of records`)
	}
	f := &File{Version: version, SpmsID: spms, Records: make([]Record, 0, len(objects))}
	for i, o := range objects {
		if o == nil {
			return nil, errors.New(`Invalid file format: record ` + itoa(i+1) + ` of "` + key + `" is not an object`)
		}
		f.Records = append(f.Records, newRecord(o))
	}
	return f, nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
