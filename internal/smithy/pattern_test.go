package smithy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modelPatterns returns every @pattern in the committed models.
func modelPatterns(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("../../api/model/*.json")
	if err != nil || len(files) < 5 {
		t.Fatalf("models: %v %v", files, err)
	}
	found := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				if s, ok := c.(string); ok && k == "smithy.api#pattern" {
					found[s] = true
				}
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		walk(doc)
	}
	return found
}

func TestEveryModelPatternCompiles(t *testing.T) {
	patterns := modelPatterns(t)
	if len(patterns) < 50 {
		t.Fatalf("found only %d patterns; is the model walk broken?", len(patterns))
	}
	for src := range patterns {
		if _, err := CompilePattern(src); err != nil {
			t.Errorf("%v", err)
		}
	}
}

func TestModelPatternsMatchLikeECMAScript(t *testing.T) {
	long := func(n int, s string) string { return strings.Repeat(s, n) }
	cases := []struct {
		pattern   string
		good, bad []string
	}{
		{ // lower-case e-mail with a length look-ahead
			"^(?=.{0,80}$)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
			[]string{"john.doe@example.com", "a+b@mail.example.co"},
			[]string{"John@Example.com", "a@b", "no-at-sign", long(70, "a") + "@example.com", "a@example.com\n", ""},
		},
		{
			"^(?=.{1,80}$)[a-zA-Z0-9.!#$%&'*+/=?^_{|}~-]+@[a-zA-Z0-9-]+(?:.[a-zA-Z0-9-]+)*$",
			[]string{"Test@Test.com", "x@localhost"},
			[]string{"", "no-at-sign", "a b@c.com", long(80, "a") + "@b.com"},
		},
		{ // website URL with lazy quantifiers and a range inside a class
			"^(?=.{4,255}$)((http|https)://)??(www[.])??([a-zA-Z0-9]|-)+?([.][a-zA-Z0-9(-|/|=|?)??]+?)+?$",
			[]string{"https://www.example.com", "example.com", "http://shop.example.co.uk/path"},
			[]string{"example", "exa mple.com", "a.b", "https://" + long(250, "a") + ".com"},
		},
		{ // \s and \S are ECMAScript-wide: NBSP is whitespace
			`^(https|HTTPS):\/\/[^\/\s]+(\/\S*)?$`,
			[]string{"https://example.com/path?x=1", "HTTPS://example.com"},
			[]string{"http://example.com", "https://exa mple.com", "https://example.com/a\u00a0b", "https://exa\u3000mple.com"},
		},
		{
			`^[\S]+$`,
			[]string{"abc", "日本"},
			[]string{"a b", "a\u00a0b", "a\u2028b", "a\ufeffb", ""},
		},
		{
			`^(?=.{1,1000}$)arn:[\w+=/,.@-]+:partnercentral:[\w+=/,.@-]*:[0-9]{12}:catalog/([a-zA-Z]+)/[\w+=,.@-]+(/[\w+=,.@-]+)*$`,
			[]string{"arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/opportunity/O123"},
			[]string{"arn:aws:partnercentral:us-east-1::catalog/AWS/opportunity/O1", "arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/" + long(1000, "a")},
		},
		{ // length-only, counted in runes, any character allowed
			`^(?s).{20,2000}$`,
			[]string{long(20, "a"), long(2000, "b"), long(20, "é"), "line one\nline two, long enough"},
			[]string{long(19, "a"), long(2001, "a"), long(19, "é")},
		},
		{ // without (?s), '.' refuses line terminators
			`^.{1,255}$`,
			[]string{"a", long(255, "x")},
			[]string{"", "a\nb", "a\rb", "a\u2028b", long(256, "x")},
		},
		{ // \u escapes next to the surrogate block
			`^[\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD]+$`,
			[]string{"Hello, wörld ✓", "\ud7ff\ue000"},
			[]string{"tab\there", "a\nb", "\U0001F600", "\x7f", ""},
		},
		{
			`^[\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\n]+$`,
			[]string{"line\nnext"},
			[]string{"a\rb"},
		},
		{
			`^[\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD]{1,80}$`,
			[]string{"x", long(80, "ü")},
			[]string{long(81, "x")},
		},
		{ // Unicode property classes with a look-ahead that also bans line terminators
			`^(?=.{0,256}$)([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`,
			[]string{"", "Tag value 1", "日本語", "a\u3000b"},
			[]string{"a;b", "a\u2028b", long(257, "a")},
		},
		{ // not anchored at the start: search semantics
			`^.*task-[0-9a-z]{13}$`,
			[]string{"task-abcdefghijklm", "arn:aws:partnercentral:us-east-1::catalog/AWS/task/task-abcdefghijklm"},
			[]string{"task-ABCDEFGHIJKLM", "task-abcdefghijklm/x"},
		},
		{
			`^arn:.*$`,
			[]string{"arn:", "arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/eng-1"},
			[]string{"xarn:", "ARN:", "arn:x\ny"},
		},
		{
			`^\+[1-9]\d{1,14}$`,
			[]string{"+14155550100"},
			[]string{"14155550100", "+04155550100", "+1415555010012345"},
		},
		{
			`^https://(calculator\.aws|pricing\.calculator\.aws\.eu)/#/estimate\?id=[a-f0-9]{32,64}$`,
			[]string{"https://calculator.aws/#/estimate?id=" + long(32, "a1")[:40]},
			[]string{"https://calculator.aws/#/estimate?id=invalid", "https://calculatorXaws/#/estimate?id=" + long(40, "a")},
		},
	}
	inModel := modelPatterns(t)
	for _, c := range cases {
		if !inModel[c.pattern] {
			t.Errorf("pattern %q is not in the models any more", c.pattern)
			continue
		}
		p, err := CompilePattern(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range c.good {
			if !p.Match(s) {
				t.Errorf("%s: %q should match", c.pattern, s)
			}
		}
		for _, s := range c.bad {
			if p.Match(s) {
				t.Errorf("%s: %q should not match", c.pattern, s)
			}
		}
	}
}

func TestTranslationCorners(t *testing.T) {
	p, err := CompilePattern(`^\uD83D\uDE00+$`) // a surrogate pair is one code point
	if err != nil {
		t.Fatal(err)
	}
	if !p.Match("😀😀") || p.Match("x") {
		t.Error("surrogate pair not joined into U+1F600")
	}
	for _, bad := range []string{`a(?=b)`, `(?<!a)b`, `(a)\1`, `[]`, `[abc`, `\`} {
		if _, err := CompilePattern(bad); err == nil {
			t.Errorf("%q: want an error, RE2 cannot express it", bad)
		}
	}
	if _, err := CompilePattern(`^.{0,5000}x$`); err == nil {
		t.Error("a repeat count over RE2's limit outside the length forms should fail to compile")
	}
}

func BenchmarkPatternEmail(b *testing.B) {
	p, err := CompilePattern("^(?=.{0,80}$)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p.Match("john.doe@example.com")
	}
}
