package benefits

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
)

// A benefit's BenefitRequestSchema is a JSON Schema document (AWS shows
// neither its dialect nor its keywords; JSON Schema is what "schema" and
// the advice to read it before creating an application suggest). cosell
// checks this subset of it, which is what the seeded schemas use: type,
// properties, required, enum, pattern, minLength/maxLength,
// minimum/maximum, items, minItems/maxItems, additionalProperties: false,
// and the formats date, date-time and email. A schema using other keywords
// is refused when AWS's side stores it, rather than ignored.
type schema struct {
	Type                 string             `json:"type,omitempty"`
	Title                string             `json:"title,omitempty"`
	Description          string             `json:"description,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *bool              `json:"additionalProperties,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	MinLength            *int               `json:"minLength,omitempty"`
	MaxLength            *int               `json:"maxLength,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	MinItems             *int               `json:"minItems,omitempty"`
	MaxItems             *int               `json:"maxItems,omitempty"`
	Format               string             `json:"format,omitempty"`
	Dialect              string             `json:"$schema,omitempty"`

	pattern *regexp.Regexp
}

var schemaTypes = []string{"", "object", "string", "number", "integer", "boolean", "array"}

// parseSchema reads a request schema, refusing keywords cosell does not check.
func parseSchema(raw json.RawMessage) (*schema, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var sc schema
	if err := dec.Decode(&sc); err != nil {
		return nil, err
	}
	if sc.Type != "object" {
		return nil, fmt.Errorf(`the top level must be {"type": "object", ...}`)
	}
	return &sc, sc.compile("$")
}

func (sc *schema) compile(path string) error {
	if !slices.Contains(schemaTypes, sc.Type) {
		return fmt.Errorf("%s: type %q is not one of object, string, number, integer, boolean, array", path, sc.Type)
	}
	switch sc.Format {
	case "", "date", "date-time", "email":
	default:
		return fmt.Errorf("%s: format %q is not one of date, date-time, email", path, sc.Format)
	}
	if sc.Pattern != "" {
		re, err := regexp.Compile(sc.Pattern)
		if err != nil {
			return fmt.Errorf("%s: pattern: %w", path, err)
		}
		sc.pattern = re
	}
	for name, p := range sc.Properties {
		if p == nil {
			return fmt.Errorf("%s.%s: empty schema", path, name)
		}
		if err := p.compile(path + "." + name); err != nil {
			return err
		}
	}
	if sc.Items != nil {
		return sc.Items.compile(path + "[]")
	}
	return nil
}

// property is the schema of a top-level member, for amendments.
func (sc *schema) property(name string) *schema { return sc.Properties[name] }

// check validates v (decoded with UseNumber) at path. complete also
// requires the required members: a draft may leave them out, a submitted
// application may not (semantics-2026 §3.3).
func (sc *schema) check(path string, v any, complete bool, out *[]apierr.FieldError) {
	fail := func(code, format string, args ...any) {
		*out = append(*out, apierr.FieldError{FieldName: path, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if len(sc.Enum) > 0 && !slices.ContainsFunc(sc.Enum, func(e any) bool { return sameJSON(e, v) }) {
		fail(apierr.CodeInvalidEnumValue, "%s must be one of %s.", path, enumText(sc.Enum))
		return
	}
	switch sc.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			fail(apierr.CodeInvalidValue, "%s must be a JSON object.", path)
			return
		}
		if complete {
			for _, name := range sc.Required {
				if _, ok := obj[name]; !ok {
					*out = append(*out, apierr.FieldError{FieldName: path + "." + name, Code: apierr.CodeRequiredFieldMissing,
						Message: fmt.Sprintf("%s.%s is required by the benefit's request schema.", path, name)})
				}
			}
		}
		names := make([]string, 0, len(obj))
		for name := range obj {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if p := sc.Properties[name]; p != nil {
				p.check(path+"."+name, obj[name], complete, out)
			} else if sc.AdditionalProperties != nil && !*sc.AdditionalProperties {
				*out = append(*out, apierr.FieldError{FieldName: path + "." + name, Code: apierr.CodeInvalidValue,
					Message: fmt.Sprintf("%s.%s is not a member of the benefit's request schema.", path, name)})
			}
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			fail(apierr.CodeInvalidValue, "%s must be a JSON array.", path)
			return
		}
		if sc.MinItems != nil && len(list) < *sc.MinItems {
			fail(apierr.CodeNotEnoughValues, "%s must have at least %d items.", path, *sc.MinItems)
		}
		if sc.MaxItems != nil && len(list) > *sc.MaxItems {
			fail(apierr.CodeTooManyValues, "%s must have at most %d items.", path, *sc.MaxItems)
		}
		if sc.Items != nil {
			for _, item := range list {
				sc.Items.check(path+"[]", item, complete, out)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			fail(apierr.CodeInvalidValue, "%s must be a string.", path)
			return
		}
		n := len([]rune(str))
		if sc.MinLength != nil && n < *sc.MinLength {
			fail(apierr.CodeInvalidStringFormat, "%s must have at least %d characters.", path, *sc.MinLength)
		}
		if sc.MaxLength != nil && n > *sc.MaxLength {
			fail(apierr.CodeInvalidStringFormat, "%s must have at most %d characters.", path, *sc.MaxLength)
		}
		if sc.pattern != nil && !sc.pattern.MatchString(str) {
			fail(apierr.CodeInvalidStringFormat, "%s must match the pattern %s.", path, sc.Pattern)
		}
		if !formatOK(sc.Format, str) {
			fail(apierr.CodeInvalidStringFormat, "%s must be a valid %s.", path, sc.Format)
		}
	case "number", "integer":
		num, ok := v.(json.Number)
		if !ok {
			fail(apierr.CodeInvalidValue, "%s must be a number.", path)
			return
		}
		f, err := num.Float64()
		if err != nil || (sc.Type == "integer" && strings.ContainsAny(num.String(), ".eE")) {
			fail(apierr.CodeInvalidValue, "%s must be %s.", path, map[bool]string{true: "an integer", false: "a number"}[sc.Type == "integer"])
			return
		}
		if (sc.Minimum != nil && f < *sc.Minimum) || (sc.Maximum != nil && f > *sc.Maximum) {
			fail(apierr.CodeValueOutOfRange, "%s is out of range%s.", path, rangeText(sc.Minimum, sc.Maximum))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail(apierr.CodeInvalidValue, "%s must be true or false.", path)
		}
	}
}

// fromAmendment converts an amendment's NewValue, always a string on the
// wire, to the JSON value the property's schema wants.
func (sc *schema) fromAmendment(text string) (any, bool) {
	switch sc.Type {
	case "boolean":
		b, err := strconv.ParseBool(text)
		return b, err == nil
	case "number", "integer":
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return nil, false
		}
		return json.Number(text), true
	case "object", "array":
		var v any
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		return v, dec.Decode(&v) == nil
	}
	return text, true
}

func formatOK(format, s string) bool {
	switch format {
	case "date":
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	case "email":
		a, err := mail.ParseAddress(s)
		return err == nil && a.Address == s
	}
	return true
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func enumText(values []any) string {
	b, _ := json.Marshal(values)
	return string(b)
}

func rangeText(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf(" [%g, %g]", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf(" (at least %g)", *lo)
	case hi != nil:
		return fmt.Sprintf(" (at most %g)", *hi)
	}
	return ""
}

// decodeDetails reads BenefitApplicationDetails as a JSON object; numbers
// stay as written.
func decodeDetails(raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	return obj, nil
}

// programPattern is the model's Program pattern.
var programPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// validAmount is a MonetaryValue an allocation can carry: a non-negative
// decimal amount and a modelled currency.
func validAmount(m api.MonetaryValue) bool {
	r, ok := new(big.Rat).SetString(m.Amount)
	return ok && r.Sign() >= 0 && !strings.ContainsAny(m.Amount, "/eE") && slices.Contains(api.CurrencyCode("").Values(), m.CurrencyCode)
}
