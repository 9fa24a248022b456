// Package pattern matches events against EventBridge event patterns, in the
// subset a webhook needs: exact matches, at any depth.
//
// A pattern is a JSON object. Each key names a field of the event; its value
// is either an array of allowed values (strings, numbers, booleans, null),
// or an object that matches the nested object of the same name. As in
// EventBridge, every key must match, an array value matches when any listed
// value equals the field, and an array field matches when any of its
// elements does. Content filters ({"prefix": ...}, "anything-but",
// "exists", "numeric", ...) are refused rather than silently misread.
package pattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Pattern is a parsed event pattern; the zero value matches every event.
type Pattern struct {
	fields map[string]*node
}

// node is one key's condition: allowed values, or a nested pattern.
type node struct {
	values []any // decoded with UseNumber, so numbers compare by their text
	nested *Pattern
}

// Parse reads a pattern. Empty input, null and {} match everything.
func Parse(raw []byte) (Pattern, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return Pattern{}, nil
	}
	v, err := decode(raw)
	if err != nil {
		return Pattern{}, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Pattern{}, errors.New("pattern: want a JSON object")
	}
	return build(obj, "")
}

func build(obj map[string]any, path string) (Pattern, error) {
	p := Pattern{fields: map[string]*node{}}
	for key, v := range obj {
		where := path + key
		switch v := v.(type) {
		case []any:
			if len(v) == 0 {
				return Pattern{}, fmt.Errorf("pattern: %s: an empty array matches nothing", where)
			}
			for _, allowed := range v {
				switch allowed.(type) {
				case string, json.Number, bool, nil:
				default:
					return Pattern{}, fmt.Errorf("pattern: %s: only exact values are supported, not %s", where, mustJSON(allowed))
				}
			}
			p.fields[key] = &node{values: v}
		case map[string]any:
			nested, err := build(v, where+".")
			if err != nil {
				return Pattern{}, err
			}
			p.fields[key] = &node{nested: &nested}
		default:
			return Pattern{}, fmt.Errorf("pattern: %s: want an array of values or an object", where)
		}
	}
	return p, nil
}

// Match reports whether the event (its whole EventBridge JSON) matches.
func (p Pattern) Match(event []byte) (bool, error) {
	if len(p.fields) == 0 {
		return true, nil
	}
	v, err := decode(event)
	if err != nil {
		return false, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return false, errors.New("pattern: the event is not a JSON object")
	}
	return p.matchObject(obj), nil
}

func (p Pattern) matchObject(obj map[string]any) bool {
	for key, n := range p.fields {
		field, present := obj[key]
		if !present || !n.match(field) {
			return false
		}
	}
	return true
}

func (n *node) match(field any) bool {
	if arr, ok := field.([]any); ok {
		for _, elem := range arr {
			if n.match(elem) {
				return true
			}
		}
		return false
	}
	if n.nested != nil {
		obj, ok := field.(map[string]any)
		return ok && n.nested.matchObject(obj)
	}
	for _, allowed := range n.values {
		if allowed == field {
			return true
		}
	}
	return false
}

func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("pattern: %w", err)
	}
	return v, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
