// Package fieldpath reads and writes fields of a JSON document decoded into
// map[string]any by dotted paths such as "Project.Title" or
// "LifeCycle.NextSteps": the unit in which the CRM records its edits.
package fieldpath

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Doc is a JSON object decoded with encoding/json.
type Doc = map[string]any

// Decode turns a JSON object into a Doc; empty input is an empty Doc.
func Decode(raw []byte) (Doc, error) {
	d := Doc{}
	if len(raw) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// Get returns the value at path, or nil and false when any step is missing.
func Get(d Doc, path string) (any, bool) {
	var cur any = d
	for _, key := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Set writes v at path, creating the objects on the way; a nil v removes
// the field, which UpdateOpportunity's full-replace semantics read as null.
func Set(d Doc, path string, v any) error {
	if err := Check(path); err != nil {
		return err
	}
	keys := strings.Split(path, ".")
	m := d
	for _, key := range keys[:len(keys)-1] {
		next, ok := m[key].(map[string]any)
		if !ok {
			if m[key] != nil {
				return fmt.Errorf("field path %q: %s is not an object", path, key)
			}
			next = map[string]any{}
			m[key] = next
		}
		m = next
	}
	if v == nil {
		delete(m, keys[len(keys)-1])
		return nil
	}
	m[keys[len(keys)-1]] = v
	return nil
}

// Check refuses paths with empty segments, which could never name a field.
func Check(path string) error {
	for _, key := range strings.Split(path, ".") {
		if key == "" {
			return fmt.Errorf("field path %q: empty segment", path)
		}
	}
	return nil
}

// Normalize gives a Go value the form encoding/json decodes it to (numbers
// as float64, structs as maps), so values from callers compare with values
// read from Partner Central's answers.
func Normalize(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(raw, &out)
	return out, err
}

// Equal compares two normalized values.
func Equal(a, b any) bool { return reflect.DeepEqual(a, b) }
