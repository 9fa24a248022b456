// Package validate checks a JSON request body against an operation's input
// shape, the way an AWS JSON service does before any business logic runs:
// a body that does not fit the shapes' JSON types is a SerializationException;
// a body that fits but breaks a modelled constraint is a ValidationException
// listing every violation.
package validate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
)

// Request validates body as the input of op. It returns nil, an
// *apierr.Error of kind validation (every field error found) or one of kind
// serialization (the first type mismatch; nothing else is reported then).
// Members the model does not know are ignored, as AWS JSON services do.
func Request(op *smithy.Operation, body []byte) error {
	_, err := check(op, body)
	return err
}

// Decode validates body like Request and, when it is valid, decodes it into
// into (a pointer to the operation's generated input type). Use it rather
// than json.Unmarshal: encoding/json matches member names case-insensitively,
// so {"Catalog":"AWS","catalog":"x"} would decode "x", a value AWS (and the
// validator) ignores as an unknown member. Decode drops unknown members first.
func Decode(op *smithy.Operation, body []byte, into any) error {
	obj, err := check(op, body)
	if err != nil {
		return err
	}
	known, err := json.Marshal(obj)
	if err == nil {
		err = json.Unmarshal(known, into)
	}
	if err != nil {
		return apierr.Serialization("The request body does not fit %s: %v", op.Input.Name, err)
	}
	return nil
}

// check decodes and validates body, returning the decoded object with every
// member the model does not know removed.
func check(op *smithy.Operation, body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := CheckUTF8(body); err != nil {
		return nil, apierr.Serialization("%v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, apierr.Serialization("The request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, apierr.Serialization("The request body has data after the JSON object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, apierr.Serialization("The request body must be a JSON object, found %s", jsonTypeName(v))
	}
	w := walker{}
	w.structure(op.Input, obj, false)
	if w.serialization != nil {
		return nil, w.serialization
	}
	if len(w.fields) > 0 {
		return nil, apierr.RequestInvalid(w.fields...)
	}
	return obj, nil
}

// walker carries the state of one validation: the path to the value being
// checked and what was found so far.
type walker struct {
	path          []string // lowerCamel member names from the input down
	fields        []apierr.FieldError
	serialization *apierr.Error // first type mismatch; stops the walk
}

func (w *walker) fieldName() string { return strings.Join(w.path, ".") }

func (w *walker) fail(code, format string, args ...any) {
	w.fields = append(w.fields, apierr.FieldError{FieldName: w.fieldName(), Code: code, Message: fmt.Sprintf(format, args...)})
}

// violation reports a broken constraint in the usual AWS wording, naming the
// value unless it is sensitive.
func (w *walker) violation(code, value string, sensitive bool, rule string, args ...any) {
	shown := "Value " + value + " "
	if sensitive {
		shown = "Value "
	}
	w.fail(code, "%sat '%s' failed to satisfy constraint: Member %s", shown, w.fieldName(), fmt.Sprintf(rule, args...))
}

func (w *walker) wrongType(want string, v any) {
	if w.serialization == nil {
		w.serialization = apierr.Serialization("Expected %s at '%s' but found %s", want, w.fieldName(), jsonTypeName(v))
	}
}

// value checks v, the value of member m (whose target is m.Target). A null
// has been filtered out by the caller.
func (w *walker) value(m *smithy.Member, v any, sensitive bool) {
	s := m.Target
	sensitive = sensitive || s.Sensitive
	switch s.Kind {
	case smithy.KindString, smithy.KindEnum:
		w.str(m, v, sensitive)
	case smithy.KindIntEnum, smithy.KindByte, smithy.KindShort, smithy.KindInteger, smithy.KindLong,
		smithy.KindFloat, smithy.KindDouble, smithy.KindBigInteger, smithy.KindBigDecimal:
		w.number(m, v, sensitive)
	case smithy.KindBoolean:
		if _, ok := v.(bool); !ok {
			w.wrongType("a boolean", v)
		}
	case smithy.KindTimestamp:
		w.timestamp(s, v, sensitive)
	case smithy.KindBlob:
		w.blob(m, v)
	case smithy.KindDocument:
		// Any JSON value is a document.
	case smithy.KindStructure, smithy.KindUnion:
		obj, ok := v.(map[string]any)
		if !ok {
			w.wrongType("a JSON object", v)
			return
		}
		if s.Kind == smithy.KindUnion {
			w.union(s, obj, sensitive)
		} else {
			w.structure(s, obj, sensitive)
		}
	case smithy.KindList:
		list, ok := v.([]any)
		if !ok {
			w.wrongType("a JSON array", v)
			return
		}
		w.list(m, list, sensitive)
	case smithy.KindMap:
		obj, ok := v.(map[string]any)
		if !ok {
			w.wrongType("a JSON object", v)
			return
		}
		w.mapValue(m, obj, sensitive)
	}
}

func (w *walker) structure(s *smithy.Shape, obj map[string]any, sensitive bool) {
	dropUnknown(s, obj)
	for _, m := range s.Members {
		v := obj[m.Name]
		w.path = append(w.path, smithy.FieldName(m.Name))
		switch {
		case v != nil:
			w.value(m, v, sensitive)
			obj[m.Name] = decodable(m.Target, v)
		case m.Required && !m.HasDefault:
			w.fail(apierr.CodeRequiredFieldMissing, "Value null at '%s' failed to satisfy constraint: Member must not be null", w.fieldName())
		}
		w.path = w.path[:len(w.path)-1]
		if w.serialization != nil {
			return
		}
	}
}

func (w *walker) union(s *smithy.Shape, obj map[string]any, sensitive bool) {
	dropUnknown(s, obj)
	var set []*smithy.Member
	for _, m := range s.Members {
		if obj[m.Name] != nil {
			set = append(set, m)
		}
	}
	if len(set) != 1 {
		names := make([]string, len(set))
		for i, m := range set {
			names[i] = m.Name
		}
		w.fail(apierr.CodeInvalidValue, "Value at '%s' failed to satisfy constraint: Member must have exactly one of [%s] set, found %d%s",
			w.fieldName(), memberNames(s), len(set), listSuffix(names))
		return
	}
	m := set[0]
	w.path = append(w.path, smithy.FieldName(m.Name))
	w.value(m, obj[m.Name], sensitive)
	obj[m.Name] = decodable(m.Target, obj[m.Name])
	w.path = w.path[:len(w.path)-1]
}

func (w *walker) list(m *smithy.Member, list []any, sensitive bool) {
	s := m.Target
	w.count(m, len(list))
	if s.UniqueItems && hasDuplicates(list) {
		w.fail(apierr.CodeDuplicateKeyValue, "Value at '%s' failed to satisfy constraint: Member must not contain duplicate elements", w.fieldName())
	}
	// Elements share the list's path: the FieldName has no index.
	for i, el := range list {
		if el == nil {
			w.fail(apierr.CodeInvalidValue, "Value null in '%s' failed to satisfy constraint: Member must not contain null elements", w.fieldName())
			continue
		}
		w.value(s.ListMember, el, sensitive)
		list[i] = decodable(s.ListMember.Target, el)
		if w.serialization != nil {
			return
		}
	}
}

func (w *walker) mapValue(m *smithy.Member, obj map[string]any, sensitive bool) {
	s := m.Target
	w.count(m, len(obj))
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // errors in a stable order
	for _, k := range keys {
		w.str(s.MapKey, k, sensitive)
		if obj[k] == nil {
			w.fail(apierr.CodeInvalidValue, "Value null in '%s' failed to satisfy constraint: Member must not contain null values", w.fieldName())
			continue
		}
		w.value(s.MapValue, obj[k], sensitive)
		obj[k] = decodable(s.MapValue.Target, obj[k])
		if w.serialization != nil {
			return
		}
	}
}

// count applies @length of a list or map, from the shape and the member.
func (w *walker) count(m *smithy.Member, n int) {
	for _, b := range []*smithy.Bounds{m.Target.Length, m.Length} {
		if b == nil {
			continue
		}
		value := fmt.Sprintf("with %d elements", n)
		if b.Min != nil && float64(n) < *b.Min {
			w.violation(apierr.CodeNotEnoughValues, value, false, "must have length greater than or equal to %s", num(*b.Min))
			return
		}
		if b.Max != nil && float64(n) > *b.Max {
			w.violation(apierr.CodeTooManyValues, value, false, "must have length less than or equal to %s", num(*b.Max))
			return
		}
	}
}

// str checks a string or enum value against the target's and the member's
// constraints, reporting the first that fails.
func (w *walker) str(m *smithy.Member, v any, sensitive bool) {
	s := m.Target
	text, ok := v.(string)
	if !ok {
		w.wrongType("a string", v)
		return
	}
	if s.Kind == smithy.KindEnum && !slices.Contains(s.EnumValues, text) {
		w.violation(apierr.CodeInvalidEnumValue, quote(text), sensitive, "must satisfy enum value set: [%s]", strings.Join(s.EnumValues, ", "))
		return
	}
	for _, c := range []smithy.Constraints{s.Constraints, m.Constraints} {
		if b := c.Length; b != nil {
			n := utf8.RuneCountInString(text)
			if b.Min != nil && float64(n) < *b.Min {
				w.violation(apierr.CodeInvalidStringFormat, quote(text), sensitive, "must have length greater than or equal to %s", num(*b.Min))
				return
			}
			if b.Max != nil && float64(n) > *b.Max {
				w.violation(apierr.CodeInvalidStringFormat, quote(text), sensitive, "must have length less than or equal to %s", num(*b.Max))
				return
			}
		}
		if p := c.Pattern; p != nil && !p.Match(text) {
			w.violation(apierr.CodeInvalidStringFormat, quote(text), sensitive, "must satisfy regular expression pattern: %s", p.Source)
			return
		}
	}
}

// Bit sizes of the fixed-width numeric kinds: a value that does not fit is
// not of the shape's type at all (a JSON decoder refuses it too), so it is a
// serialization error rather than a range violation.
var (
	intBits   = map[smithy.Kind]int{smithy.KindByte: 8, smithy.KindShort: 16, smithy.KindInteger: 32, smithy.KindLong: 64, smithy.KindIntEnum: 32}
	floatBits = map[smithy.Kind]int{smithy.KindFloat: 32, smithy.KindDouble: 64}
)

func (w *walker) number(m *smithy.Member, v any, sensitive bool) {
	s := m.Target
	n, ok := v.(json.Number)
	if !ok {
		w.wrongType("a number", v)
		return
	}
	var f float64
	if bits, isInt := intBits[s.Kind]; isInt {
		i, err := strconv.ParseInt(n.String(), 10, bits)
		if err != nil {
			w.wrongType(fmt.Sprintf("an integer that fits in %d bits", bits), v)
			return
		}
		if s.Kind == smithy.KindIntEnum && !slices.Contains(s.IntEnum, i) {
			w.violation(apierr.CodeInvalidEnumValue, n.String(), sensitive, "must satisfy enum value set: %v", s.IntEnum)
			return
		}
		f = float64(i)
	} else {
		bits, fixed := floatBits[s.Kind]
		if !fixed {
			bits = 64 // BigDecimal, BigInteger: any size; float64 is enough to compare with @range
		}
		var err error
		f, err = strconv.ParseFloat(n.String(), bits)
		if (fixed && err != nil) || (s.Kind == smithy.KindBigInteger && strings.ContainsAny(n.String(), ".eE")) {
			w.wrongType("a number of the member's type", v)
			return
		}
	}
	for _, b := range []*smithy.Bounds{s.Range, m.Range} {
		if b == nil {
			continue
		}
		if b.Min != nil && f < *b.Min {
			w.violation(apierr.CodeValueOutOfRange, n.String(), sensitive, "must have value greater than or equal to %s", num(*b.Min))
			return
		}
		if b.Max != nil && f > *b.Max {
			w.violation(apierr.CodeValueOutOfRange, n.String(), sensitive, "must have value less than or equal to %s", num(*b.Max))
			return
		}
	}
}

// timestamp checks a timestamp in its shape's format; awsJson's default is
// epoch seconds.
func (w *walker) timestamp(s *smithy.Shape, v any, sensitive bool) {
	switch s.TimestampFormat {
	case "date-time", "http-date":
		text, ok := v.(string)
		if !ok {
			w.wrongType("a timestamp string", v)
			return
		}
		var err error
		example := "2025-01-31T12:00:00Z"
		if s.TimestampFormat == "http-date" {
			example = "Fri, 31 Jan 2025 12:00:00 GMT"
			_, err = time.Parse(http.TimeFormat, text)
		} else {
			// UnmarshalText is strict RFC 3339, exactly what decoding into
			// the generated time.Time fields will accept.
			err = new(time.Time).UnmarshalText([]byte(text))
		}
		if err != nil {
			w.violation(apierr.CodeInvalidStringFormat, quote(text), sensitive, "must be a %s timestamp such as %s", s.TimestampFormat, example)
		}
	default:
		if _, ok := v.(json.Number); !ok {
			w.wrongType("a timestamp in epoch seconds", v)
		}
	}
}

// decodable is v as Decode hands it to encoding/json: an epoch-seconds
// timestamp (rpcv2Cbor's only kind, awsJson's default) becomes the RFC 3339
// text time.Time decodes; every other value stays as it is.
func decodable(s *smithy.Shape, v any) any {
	n, ok := v.(json.Number)
	if s.Kind != smithy.KindTimestamp || !ok {
		return v
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v // not a time: Decode reports it
	}
	return time.UnixMilli(int64(math.Round(f * 1000))).UTC().Format(time.RFC3339Nano)
}

// blob checks a base64 blob, whose @length counts decoded bytes.
func (w *walker) blob(m *smithy.Member, v any) {
	text, ok := v.(string)
	if !ok {
		w.wrongType("a base64 string", v)
		return
	}
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		w.wrongType("a base64 string", v)
		return
	}
	for _, b := range []*smithy.Bounds{m.Target.Length, m.Length} {
		if b != nil && ((b.Min != nil && float64(len(data)) < *b.Min) || (b.Max != nil && float64(len(data)) > *b.Max)) {
			w.violation(apierr.CodeInvalidValue, fmt.Sprintf("of %d bytes", len(data)), false, "must have a length within %s", bounds(b))
			return
		}
	}
}

// dropUnknown removes the members of obj that s does not have (names are
// case-sensitive), so that they are ignored downstream as well.
func dropUnknown(s *smithy.Shape, obj map[string]any) {
	for k := range obj {
		if s.Member(k) == nil {
			delete(obj, k)
		}
	}
}

// hasDuplicates reports whether two elements of a decoded JSON list are equal.
func hasDuplicates(list []any) bool {
	seen := make(map[string]bool, len(list))
	for _, el := range list {
		key, err := json.Marshal(el) // canonical: maps marshal with sorted keys
		if err != nil {
			continue
		}
		if seen[string(key)] {
			return true
		}
		seen[string(key)] = true
	}
	return false
}

// quote renders a value for a message, shortening long ones.
func quote(s string) string {
	const max = 100
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "..."
	}
	return strconv.Quote(s)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func bounds(b *smithy.Bounds) string {
	lo, hi := "0", "unbounded"
	if b.Min != nil {
		lo = num(*b.Min)
	}
	if b.Max != nil {
		hi = num(*b.Max)
	}
	return "[" + lo + ", " + hi + "]"
}

func memberNames(s *smithy.Shape) string {
	names := make([]string, len(s.Members))
	for i, m := range s.Members {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

func listSuffix(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}
