package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

func TestInvalidUTF8IsASerializationError(t *testing.T) {
	op := selling.Service.Operations["CreateOpportunity"]
	for name, body := range map[string]string{
		"raw 0xff 0xfe":                "{\"Catalog\":\"Sandbox\",\"Project\":{\"Title\":\"a\xff\xfeb\"}}",
		"truncated sequence":           "{\"Catalog\":\"Sandbox\",\"ClientToken\":\"\xe2\x82\"}",
		"lone high surrogate":          `{"Catalog":"Sandbox","Project":{"Title":"a\ud800b"}}`,
		"lone low surrogate":           `{"Catalog":"Sandbox","Project":{"Title":"\uDC00"}}`,
		"high then non-low":            `{"Catalog":"Sandbox","Project":{"Title":"\ud800\u0041"}}`,
		"high at end of string":        `{"Catalog":"Sandbox","Project":{"Title":"\ud83d"}}`,
		"surrogate in a member name":   `{"Catalog":"Sandbox","\udfff":1}`,
		"raw invalid in a member name": "{\"Catalog\":\"Sandbox\",\"\xc0\xaf\":1}",
	} {
		err := Request(op, []byte(body))
		var ae *apierr.Error
		if !errors.As(err, &ae) || ae.Kind != apierr.KindSerialization {
			t.Errorf("%s: %v, want a serialization error", name, err)
		}
	}
	for name, body := range map[string]string{
		"escaped pair":             `{"Catalog":"Sandbox","ClientToken":"\ud83d\ude00"}`,
		"raw emoji":                `{"Catalog":"Sandbox","ClientToken":"😀 é"}`,
		"escaped backslash then u": `{"Catalog":"Sandbox","ClientToken":"\\ud800"}`,
		"an escaped U+FFFD":        `{"Catalog":"Sandbox","ClientToken":"\ufffd"}`,
	} {
		if err := CheckUTF8([]byte(body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzCheckUTF8 holds CheckUTF8 to what encoding/json does with the same
// body: whenever it accepts a valid JSON body that spells no U+FFFD itself,
// decoding produces none (nothing was replaced), and raw invalid UTF-8 is
// always refused.
func FuzzCheckUTF8(f *testing.F) {
	for _, seed := range []string{`{"a":"b"}`, `"\ud800"`, `"\ud83d\ude00"`, "\"\xff\"", `"\\u0041"`, `["\udc00x"]`, `{"\u00e9":"\uD83D\uDE00\uD83D"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := CheckUTF8(body)
		if !utf8.Valid(body) && err == nil {
			t.Fatalf("raw invalid UTF-8 accepted: %q", body)
		}
		var v any
		if err != nil || json.Unmarshal(body, &v) != nil {
			return
		}
		if bytes.Contains(body, []byte("\uFFFD")) || strings.Contains(strings.ToLower(string(body)), `\ufffd`) {
			return
		}
		if replaced(v) {
			t.Fatalf("accepted %q, which decodes with a replacement character", body)
		}
	})
}

// replaced reports whether any string or key in v holds U+FFFD.
func replaced(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, utf8.RuneError)
	case []any:
		for _, e := range x {
			if replaced(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if replaced(k) || replaced(e) {
				return true
			}
		}
	}
	return false
}
