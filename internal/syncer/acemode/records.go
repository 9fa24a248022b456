package acemode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
)

// The CRM speaks Partner Central paths ("Project.Title"); a file speaks
// ACE fields ("partnerProjectTitle"). A change is turned into fields by
// rendering the record before and after it with ace.OutboundOpportunity,
// the exchange's own table, and keeping the fields that differ: no second
// copy of the mapping.

// render is the ACE rendering of a Partner Central document.
func render(doc fieldpath.Doc) (map[string]any, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var o selling.GetOpportunityResponse
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return ace.OutboundOpportunity(&o, nil), nil
}

// change is the partial record that makes base into base with changes.
type change struct {
	record map[string]any
	// fields are the ACE fields each path changes, by which a result's
	// warning about a field finds the CRM edits it concerns.
	fields map[string][]string
	// unsupported are the paths that change no ACE field, which a file
	// cannot carry.
	unsupported []string
}

// changeRecord is the change that makes base into base with changes: only
// the ACE fields that differ.
func changeRecord(base fieldpath.Doc, changes map[string]any) (change, error) {
	before, err := render(base)
	if err != nil {
		return change{}, err
	}
	c := change{fields: map[string][]string{}}
	after := clone(base)
	for _, path := range sortedPaths(changes) {
		one := clone(base)
		if err := fieldpath.Set(one, path, changes[path]); err != nil {
			return change{}, err
		}
		alone, err := render(one)
		if err != nil {
			return change{}, err
		}
		fields := sortedPaths(diff(before, alone))
		if len(fields) == 0 {
			c.unsupported = append(c.unsupported, path)
			continue
		}
		c.fields[path] = fields
		if err := fieldpath.Set(after, path, changes[path]); err != nil {
			return change{}, err
		}
	}
	rendered, err := render(after)
	if err != nil {
		return change{}, err
	}
	c.record = diff(before, rendered)
	return c, nil
}

// diff is the fields of after whose value differs from before's.
func diff(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range after {
		if !reflect.DeepEqual(before[k], v) {
			out[k] = v
		}
	}
	return out
}

func clone(doc fieldpath.Doc) fieldpath.Doc {
	raw, _ := json.Marshal(doc) // decoded from JSON: always encodes
	out, _ := fieldpath.Decode(raw)
	return out
}

func sortedPaths(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// unsupportedError is the CRM row's error for changes no file can carry.
func unsupportedError(paths []string) string {
	return fmt.Sprintf("S3 mode: the ACE file format has no field for %v; these edits stay pending", paths)
}
