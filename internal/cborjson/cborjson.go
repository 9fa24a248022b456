// Package cborjson converts between CBOR bodies of smithy-rpc-v2-cbor and
// the JSON documents of the same shapes, guided by the run-time schema: the
// server reads requests and writes answers through it (internal/wire), the
// Go clients write requests and read answers (client/internal/awsjson). The
// shapes, not the CBOR major types a peer happened to pick, decide each
// member's type.
package cborjson

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/cosell/cosell/internal/smithy"
)

// The limits bound what one body may make the decoder allocate; the body
// cap (MaxBody) bounds the rest. Partner Central's largest lists hold 250
// records, so these leave ample room.
const (
	maxDepth    = 32
	maxElements = 1 << 16
)

// decoder reads bodies strictly: duplicate map keys, invalid
// UTF-8, non-text map keys, trailing bytes and over-deep or over-long items
// are errors. Indefinite-length items and half-precision floats are read.
var decoder = mustDecMode(cbor.DecOptions{
	DupMapKey:        cbor.DupMapKeyEnforcedAPF,
	UTF8:             cbor.UTF8RejectInvalid,
	MaxNestedLevels:  maxDepth,
	MaxArrayElements: maxElements,
	MaxMapPairs:      maxElements,
	IndefLength:      cbor.IndefLengthAllowed,
	TagsMd:           cbor.TagsAllowed,
	IntDec:           cbor.IntDecConvertNone,
	DefaultMapType:   reflect.TypeOf(map[string]any(nil)),
	TimeTagToAny:     cbor.TimeTagToTime,
})

// encoder writes definite lengths only, maps in a stable key order and
// timestamps as tag 1 with integer seconds, or a float where there are
// milliseconds.
var encoder = mustEncMode(cbor.EncOptions{
	Sort:        cbor.SortBytewiseLexical,
	IndefLength: cbor.IndefLengthForbidden,
	Time:        cbor.TimeUnixDynamic,
	TimeTag:     cbor.EncTagRequired,
})

func mustDecMode(o cbor.DecOptions) cbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}

func mustEncMode(o cbor.EncOptions) cbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}

// Error is a body that is not CBOR, or not of the shape's types; its
// message says where, for the peer to act on.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// Timestamps is how Decode writes timestamps into the JSON document.
type Timestamps bool

const (
	// ModelTimestamps follows the shape's format (epoch seconds by
	// default): the server's validator then checks what awsJson carries.
	ModelTimestamps Timestamps = false
	// TextTimestamps writes RFC 3339 text, which encoding/json reads into
	// time.Time: a client decoding answers into generated types wants it.
	TextTimestamps Timestamps = true
)

// Decode reads a CBOR map into the JSON document of structure s. Members
// the shape does not know and nulls are dropped; a type mismatch, a
// malformed body or one past the limits is an *Error. An empty body is an
// empty document. s nil decodes the map as it is (error bodies).
func Decode(s *smithy.Shape, body []byte, timestamps Timestamps) ([]byte, error) {
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	var v any
	if err := decoder.Unmarshal(body, &v); err != nil {
		return nil, &Error{"The request body is not valid CBOR: " + strings.TrimPrefix(err.Error(), "cbor: ")}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{"The request body must be a CBOR map, found " + typeName(v)}
	}
	if s == nil {
		return json.Marshal(generic(obj))
	}
	r := reader{timestamps: timestamps}
	doc := r.structure(s, obj)
	if r.err != nil {
		return nil, r.err
	}
	return json.Marshal(doc)
}

// reader converts decoded CBOR to JSON values, member by member, and
// keeps the first type mismatch. Nulls and members the shape does not know
// are dropped, as the protocol asks; constraints are left to the validator.
type reader struct {
	path       []string
	err        *Error
	timestamps Timestamps
}

func (r *reader) wrongType(want string, v any) any {
	if r.err == nil {
		r.err = &Error{fmt.Sprintf("Expected %s at '%s' but found %s", want, strings.Join(r.path, "."), typeName(v))}
	}
	return nil
}

func (r *reader) structure(s *smithy.Shape, obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		m := s.Member(k)
		if m == nil || v == nil { // unknown members (a union's __type too) and nulls
			continue
		}
		r.path = append(r.path, smithy.FieldName(k))
		out[k] = r.value(m.Target, v)
		r.path = r.path[:len(r.path)-1]
		if r.err != nil {
			return nil
		}
	}
	return out
}

func (r *reader) value(s *smithy.Shape, v any) any {
	switch s.Kind {
	case smithy.KindString, smithy.KindEnum:
		if text, ok := v.(string); ok {
			return text
		}
		return r.wrongType("a text string", v)
	case smithy.KindBoolean:
		if b, ok := v.(bool); ok {
			return b
		}
		return r.wrongType("a boolean", v)
	case smithy.KindByte, smithy.KindShort, smithy.KindInteger, smithy.KindLong, smithy.KindIntEnum, smithy.KindBigInteger:
		n, ok := integer(v)
		if !ok {
			return r.wrongType("an integer", v)
		}
		// A value wider than the member's type is not of that type.
		if bits, fixed := intBits[s.Kind]; fixed {
			if _, err := strconv.ParseInt(string(n), 10, bits); err != nil {
				return r.wrongType(fmt.Sprintf("an integer that fits in %d bits", bits), v)
			}
		}
		return n
	case smithy.KindFloat, smithy.KindDouble, smithy.KindBigDecimal:
		// An integral float is an integer to a JavaScript encoder, so ints
		// are floats here too.
		n, ok := integer(v)
		if !ok {
			f, isFloat := v.(float64)
			if !isFloat {
				return r.wrongType("a number", v)
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return r.wrongType("a finite number", v)
			}
			n = json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		if _, err := strconv.ParseFloat(string(n), floatBits(s.Kind)); err != nil {
			return r.wrongType("a number that fits the member's type", v)
		}
		return n
	case smithy.KindTimestamp:
		if t, ok := v.(time.Time); ok {
			// Round, not truncate: a float such as 1796556098.257 is a hair
			// under .257 in binary, and the client meant .257.
			t = t.Round(time.Millisecond)
			if y := t.UTC().Year(); y < 0 || y > 9999 {
				// Not a time the generated types (time.Time from RFC 3339) can hold.
				return r.wrongType("a timestamp between the years 0 and 9999", v)
			}
			return r.timestamp(s, t)
		}
		return r.wrongType("a timestamp (tag 1)", v)
	case smithy.KindBlob:
		if b, ok := v.([]byte); ok {
			return base64.StdEncoding.EncodeToString(b)
		}
		return r.wrongType("a byte string", v)
	case smithy.KindStructure, smithy.KindUnion:
		if obj, ok := v.(map[string]any); ok {
			return r.structure(s, obj)
		}
		return r.wrongType("a map", v)
	case smithy.KindList:
		list, ok := v.([]any)
		if !ok {
			return r.wrongType("an array", v)
		}
		out := make([]any, len(list))
		for i, el := range list {
			if el != nil { // a null element is the validator's to report
				out[i] = r.value(s.ListMember.Target, el)
			}
			if r.err != nil {
				return nil
			}
		}
		return out
	case smithy.KindMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return r.wrongType("a map", v)
		}
		out := make(map[string]any, len(obj))
		for k, el := range obj {
			if el != nil {
				out[k] = r.value(s.MapValue.Target, el)
			} else {
				out[k] = nil
			}
			if r.err != nil {
				return nil
			}
		}
		return out
	}
	return r.wrongType("a value the protocol supports (documents are not)", v)
}

// Bit sizes of the fixed-width integer kinds.
var intBits = map[smithy.Kind]int{smithy.KindByte: 8, smithy.KindShort: 16, smithy.KindInteger: 32, smithy.KindLong: 64, smithy.KindIntEnum: 32}

func floatBits(k smithy.Kind) int {
	if k == smithy.KindFloat {
		return 32
	}
	return 64
}

// integer renders a CBOR integer of any size as a JSON number.
func integer(v any) (json.Number, bool) {
	switch n := v.(type) {
	case uint64:
		return json.Number(strconv.FormatUint(n, 10)), true
	case int64:
		return json.Number(strconv.FormatInt(n, 10)), true
	case big.Int:
		return json.Number(n.String()), true
	case *big.Int:
		return json.Number(n.String()), true
	}
	return "", false
}

// timestamp is a timestamp as the JSON document carries it for the
// shape's format: epoch seconds with milliseconds unless the model says
// otherwise (or the reader wants text).
func (r *reader) timestamp(s *smithy.Shape, t time.Time) any {
	format := s.TimestampFormat
	if r.timestamps == TextTimestamps {
		format = "date-time"
	}
	switch format {
	case "date-time":
		return t.UTC().Format(time.RFC3339Nano)
	case "http-date":
		return t.UTC().Format(http.TimeFormat)
	}
	return json.Number(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case uint64, int64, big.Int, *big.Int:
		return "an integer"
	case float64:
		return "a float"
	case string:
		return "a text string"
	case []byte:
		return "a byte string"
	case time.Time:
		return "a timestamp"
	case []any:
		return "an array"
	case map[string]any:
		return "a map"
	case cbor.Tag, cbor.RawTag:
		return "a tagged item"
	}
	return "an unsupported item"
}

// Encode writes a JSON document as CBOR, guided by structure s; s nil
// encodes the document as it is (errors, whose members are strings and
// lists of string maps).
func Encode(s *smithy.Shape, doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if s != nil {
		var err error
		if v, err = value(s, v); err != nil {
			return nil, err
		}
	} else {
		v = jsonGeneric(v)
	}
	return encoder.Marshal(v)
}

// value converts one JSON value to the Go value whose CBOR encoding is
// the shape's: exact integer and float widths, tag 1 timestamps, byte
// strings for blobs, no nulls in structures.
func value(s *smithy.Shape, v any) (any, error) {
	mismatch := func() (any, error) {
		return nil, fmt.Errorf("output member of shape %s: unexpected JSON %T", s.ID, v)
	}
	switch s.Kind {
	case smithy.KindString, smithy.KindEnum, smithy.KindBoolean:
		return v, nil
	case smithy.KindByte, smithy.KindShort, smithy.KindInteger, smithy.KindLong, smithy.KindIntEnum:
		n, ok := v.(json.Number)
		if !ok {
			return mismatch()
		}
		return n.Int64()
	case smithy.KindBigInteger:
		n, ok := v.(json.Number)
		i, parsed := new(big.Int).SetString(string(n), 10)
		if !ok || !parsed {
			return mismatch()
		}
		return i, nil
	case smithy.KindFloat:
		n, ok := v.(json.Number)
		if !ok {
			return mismatch()
		}
		f, err := strconv.ParseFloat(string(n), 32)
		return float32(f), err
	case smithy.KindDouble, smithy.KindBigDecimal:
		n, ok := v.(json.Number)
		if !ok {
			return mismatch()
		}
		return n.Float64()
	case smithy.KindTimestamp:
		t, err := timestampFromDocument(s, v)
		if err != nil {
			return nil, err
		}
		return t.Round(time.Millisecond), nil
	case smithy.KindBlob:
		text, ok := v.(string)
		if !ok {
			return mismatch()
		}
		return base64.StdEncoding.DecodeString(text)
	case smithy.KindStructure, smithy.KindUnion:
		obj, ok := v.(map[string]any)
		if !ok {
			return mismatch()
		}
		out := make(map[string]any, len(obj))
		for _, m := range s.Members {
			mv := obj[m.Name]
			if mv == nil {
				continue
			}
			cv, err := value(m.Target, mv)
			if err != nil {
				return nil, err
			}
			out[m.Name] = cv
		}
		return out, nil
	case smithy.KindList:
		list, ok := v.([]any)
		if !ok {
			return mismatch()
		}
		out := make([]any, len(list))
		for i, el := range list {
			if el == nil {
				continue
			}
			cv, err := value(s.ListMember.Target, el)
			if err != nil {
				return nil, err
			}
			out[i] = cv
		}
		return out, nil
	case smithy.KindMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return mismatch()
		}
		out := make(map[string]any, len(obj))
		for k, el := range obj {
			if el == nil {
				out[k] = nil
				continue
			}
			cv, err := value(s.MapValue.Target, el)
			if err != nil {
				return nil, err
			}
			out[k] = cv
		}
		return out, nil
	}
	return nil, fmt.Errorf("output shape %s: %v values are not supported by rpcv2Cbor", s.ID, s.Kind)
}

// timestampFromDocument reads a timestamp the way encoding/json wrote it
// (time.Time as RFC 3339), or as epoch seconds.
func timestampFromDocument(s *smithy.Shape, v any) (time.Time, error) {
	switch t := v.(type) {
	case string:
		if s.TimestampFormat == "http-date" {
			return time.Parse(http.TimeFormat, t)
		}
		return time.Parse(time.RFC3339Nano, t)
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(int64(math.Round(f * 1000))), nil
	}
	return time.Time{}, fmt.Errorf("timestamp of shape %s: unexpected JSON %T", s.ID, v)
}

// jsonGeneric converts a JSON value without a shape: integral numbers
// become integers, others floats.
func jsonGeneric(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		for i := range t {
			t[i] = jsonGeneric(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = jsonGeneric(t[k])
		}
	}
	return v
}

// generic converts decoded CBOR without a shape into JSON values: byte
// strings as base64, timestamps as RFC 3339, big integers as numbers.
func generic(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k := range t {
			t[k] = generic(t[k])
		}
	case []any:
		for i := range t {
			t[i] = generic(t[i])
		}
	case []byte:
		return base64.StdEncoding.EncodeToString(t)
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano)
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil
		}
	default:
		if n, ok := integer(v); ok {
			return n
		}
	}
	return v
}
