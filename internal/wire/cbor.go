package wire

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

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
)

// The CBOR side of smithy-rpc-v2-cbor. Requests are decoded, guided by the
// operation's input shape, into the same JSON document an awsJson request
// carries, so validation, decoding into the generated types and handlers are
// shared by both protocols; outputs go the other way, from the JSON the
// handlers' results encode to, guided by the output shape. The shapes, not
// the CBOR major types a client happened to pick, decide each member's type.

// cborLimits bound what one request may make the decoder allocate; the body
// cap (MaxBody) bounds the rest. Partner Central's largest lists hold 250
// records, so these leave ample room.
const (
	cborMaxDepth    = 32
	cborMaxElements = 1 << 16
)

// cborDecoder reads request bodies strictly: duplicate map keys, invalid
// UTF-8, non-text map keys, trailing bytes and over-deep or over-long items
// are errors. Indefinite-length items and half-precision floats are read.
var cborDecoder = mustDecMode(cbor.DecOptions{
	DupMapKey:        cbor.DupMapKeyEnforcedAPF,
	UTF8:             cbor.UTF8RejectInvalid,
	MaxNestedLevels:  cborMaxDepth,
	MaxArrayElements: cborMaxElements,
	MaxMapPairs:      cborMaxElements,
	IndefLength:      cbor.IndefLengthAllowed,
	TagsMd:           cbor.TagsAllowed,
	IntDec:           cbor.IntDecConvertNone,
	DefaultMapType:   reflect.TypeOf(map[string]any(nil)),
	TimeTagToAny:     cbor.TimeTagToTime,
})

// cborEncoder writes definite lengths only, maps in a stable key order and
// timestamps as tag 1 with integer seconds, or a float where there are
// milliseconds.
var cborEncoder = mustEncMode(cbor.EncOptions{
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

// cborDocument decodes a CBOR request body into the JSON document of the
// operation's input. An empty body is an input with no member set.
func cborDocument(op *smithy.Operation, body []byte) ([]byte, error) {
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	var v any
	if err := cborDecoder.Unmarshal(body, &v); err != nil {
		return nil, apierr.Serialization("The request body is not valid CBOR: %s", strings.TrimPrefix(err.Error(), "cbor: "))
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, apierr.Serialization("The request body must be a CBOR map, found %s", cborTypeName(v))
	}
	if op.Input == nil {
		return []byte("{}"), nil
	}
	r := cborReader{}
	doc := r.structure(op.Input, obj)
	if r.err != nil {
		return nil, r.err
	}
	return json.Marshal(doc)
}

// cborReader converts decoded CBOR to JSON values, member by member, and
// keeps the first type mismatch. Nulls and members the shape does not know
// are dropped, as the protocol asks; constraints are left to the validator.
type cborReader struct {
	path []string
	err  *apierr.Error
}

func (r *cborReader) wrongType(want string, v any) any {
	if r.err == nil {
		r.err = apierr.Serialization("Expected %s at '%s' but found %s", want, strings.Join(r.path, "."), cborTypeName(v))
	}
	return nil
}

func (r *cborReader) structure(s *smithy.Shape, obj map[string]any) map[string]any {
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

func (r *cborReader) value(s *smithy.Shape, v any) any {
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
		if n, ok := cborInteger(v); ok {
			return n
		}
		return r.wrongType("an integer", v)
	case smithy.KindFloat, smithy.KindDouble, smithy.KindBigDecimal:
		// An integral float is an integer to a JavaScript encoder, so ints
		// are floats here too.
		if n, ok := cborInteger(v); ok {
			return n
		}
		if f, ok := v.(float64); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return r.wrongType("a finite number", v)
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return r.wrongType("a number", v)
	case smithy.KindTimestamp:
		if t, ok := v.(time.Time); ok {
			return timestampDocument(s, t)
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

// cborInteger renders a CBOR integer of any size as a JSON number.
func cborInteger(v any) (json.Number, bool) {
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

// timestampDocument is a timestamp as the JSON document carries it for the
// shape's format: epoch seconds with milliseconds unless the model says
// otherwise.
func timestampDocument(s *smithy.Shape, t time.Time) any {
	// Round, not truncate: a float such as 1796556098.257 is a hair under
	// .257 in binary, and the client meant .257.
	t = t.Round(time.Millisecond)
	switch s.TimestampFormat {
	case "date-time":
		return t.UTC().Format(time.RFC3339Nano)
	case "http-date":
		return t.UTC().Format(http.TimeFormat)
	}
	return json.Number(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
}

func cborTypeName(v any) string {
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

// cborOutput encodes a JSON output document as CBOR, guided by the output
// shape; s nil encodes the document as it is (errors, whose members are
// strings and lists of string maps).
func cborOutput(s *smithy.Shape, doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if s != nil {
		var err error
		if v, err = cborValue(s, v); err != nil {
			return nil, err
		}
	} else {
		v = cborGeneric(v)
	}
	return cborEncoder.Marshal(v)
}

// cborValue converts one JSON value to the Go value whose CBOR encoding is
// the shape's: exact integer and float widths, tag 1 timestamps, byte
// strings for blobs, no nulls in structures.
func cborValue(s *smithy.Shape, v any) (any, error) {
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
			cv, err := cborValue(m.Target, mv)
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
			cv, err := cborValue(s.ListMember.Target, el)
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
			cv, err := cborValue(s.MapValue.Target, el)
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

// cborGeneric converts a JSON value without a shape: integral numbers
// become integers, others floats.
func cborGeneric(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		for i := range t {
			t[i] = cborGeneric(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = cborGeneric(t[k])
		}
	}
	return v
}
