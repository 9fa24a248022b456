// Package jsontree is a JSON document tree that keeps object keys in source
// order. Smithy's JSON AST lists structure members in declaration order, and
// that order is meaningful (it becomes Go struct field order), so the
// model tools cannot go through map[string]any.
package jsontree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Kind is the JSON type of a Value.
type Kind uint8

const (
	Null Kind = iota
	Object
	Array
	String
	Number
	Bool
)

// Value is one JSON value.
type Value struct {
	Kind   Kind
	Fields []Field  // Object, in source order
	Items  []*Value // Array
	Text   string   // String value, or Number literal exactly as written
	Bool   bool
}

// Field is one key of an object.
type Field struct {
	Key   string
	Value *Value
}

// Parse reads one JSON document.
func Parse(data []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("jsontree: trailing data after document")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (*Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return parseObject(dec)
		}
		return parseArray(dec)
	case string:
		return &Value{Kind: String, Text: t}, nil
	case json.Number:
		return &Value{Kind: Number, Text: t.String()}, nil
	case bool:
		return &Value{Kind: Bool, Bool: t}, nil
	default:
		return &Value{Kind: Null}, nil
	}
}

func parseObject(dec *json.Decoder) (*Value, error) {
	v := &Value{Kind: Object}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		child, err := parseValue(dec)
		if err != nil {
			return nil, err
		}
		v.Fields = append(v.Fields, Field{Key: tok.(string), Value: child})
	}
	_, err := dec.Token() // '}'
	return v, err
}

func parseArray(dec *json.Decoder) (*Value, error) {
	v := &Value{Kind: Array}
	for dec.More() {
		child, err := parseValue(dec)
		if err != nil {
			return nil, err
		}
		v.Items = append(v.Items, child)
	}
	_, err := dec.Token() // ']'
	return v, err
}

// Get returns the value of key in an object, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil {
		return nil
	}
	for _, f := range v.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// Str returns the string value of key in an object, or "".
func (v *Value) Str(key string) string {
	if c := v.Get(key); c != nil && c.Kind == String {
		return c.Text
	}
	return ""
}

// Delete removes every field for which drop returns true.
func (v *Value) Delete(drop func(key string) bool) {
	kept := v.Fields[:0]
	for _, f := range v.Fields {
		if !drop(f.Key) {
			kept = append(kept, f)
		}
	}
	v.Fields = kept
}

// Encode writes v with two-space indentation and a trailing newline. Object
// keys are sorted, except in objects that are the value of a key for which
// keepOrder returns true: those keep source order.
func (v *Value) Encode(keepOrder func(parentKey string) bool) []byte {
	var b bytes.Buffer
	v.encode(&b, 0, false, keepOrder)
	b.WriteByte('\n')
	return b.Bytes()
}

func (v *Value) encode(b *bytes.Buffer, depth int, inOrder bool, keepOrder func(string) bool) {
	switch v.Kind {
	case Object:
		fields := v.Fields
		if !inOrder {
			fields = append([]Field(nil), fields...)
			sort.Slice(fields, func(i, j int) bool { return fields[i].Key < fields[j].Key })
		}
		if len(fields) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{")
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			writeString(b, f.Key)
			b.WriteString(": ")
			f.Value.encode(b, depth+1, keepOrder(f.Key), keepOrder)
		}
		newline(b, depth)
		b.WriteString("}")
	case Array:
		if len(v.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[")
		for i, item := range v.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			item.encode(b, depth+1, false, keepOrder)
		}
		newline(b, depth)
		b.WriteString("]")
	case String:
		writeString(b, v.Text)
	case Number:
		b.WriteString(v.Text)
	case Bool:
		fmt.Fprint(b, v.Bool)
	default:
		b.WriteString("null")
	}
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("  ", depth))
}

// writeString quotes s as JSON without HTML escaping, so patterns such as
// "[&<>]" stay readable in the committed model.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}

// Set replaces the value of key in an object, or appends the key.
func (v *Value) Set(key string, val *Value) {
	for i := range v.Fields {
		if v.Fields[i].Key == key {
			v.Fields[i].Value = val
			return
		}
	}
	v.Fields = append(v.Fields, Field{Key: key, Value: val})
}

// NewObject is an empty object.
func NewObject() *Value { return &Value{Kind: Object} }

// NewString is a string value.
func NewString(s string) *Value { return &Value{Kind: String, Text: s} }

// NewNumber is a number written exactly as text.
func NewNumber(text string) *Value { return &Value{Kind: Number, Text: text} }

// NewBool is a boolean value.
func NewBool(b bool) *Value { return &Value{Kind: Bool, Bool: b} }

// NewArray is an array of items.
func NewArray(items ...*Value) *Value { return &Value{Kind: Array, Items: items} }

// Merge merges patch into v, both objects: a key only in patch is added, two
// objects merge recursively, two arrays keep v's items and add those of
// patch's that v does not already hold, anything else is replaced by patch's.
func (v *Value) Merge(patch *Value) {
	for _, f := range patch.Fields {
		cur := v.Get(f.Key)
		switch {
		case cur != nil && cur.Kind == Object && f.Value.Kind == Object:
			cur.Merge(f.Value)
		case cur != nil && cur.Kind == Array && f.Value.Kind == Array:
			for _, item := range f.Value.Items {
				if !cur.holds(item) {
					cur.Items = append(cur.Items, item)
				}
			}
		default:
			v.Set(f.Key, f.Value)
		}
	}
}

// holds reports whether an array has an item that encodes like item.
func (v *Value) holds(item *Value) bool {
	enc := item.Encode(func(string) bool { return true })
	for _, it := range v.Items {
		if bytes.Equal(it.Encode(func(string) bool { return true }), enc) {
			return true
		}
	}
	return false
}
