package smithy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pattern is a @pattern trait compiled for Go. Smithy patterns are ECMA-262
// regular expressions; Go's RE2 has no look-ahead and caps repeat counts at
// 1000, so a leading length look-ahead "^(?=.{a,b}$)" and ".{a,b}" with large
// counts are turned into a rune-length check beside the regexp.
//
// Like Smithy, a pattern is not implicitly anchored: it matches when it
// matches anywhere in the value, unless the pattern itself anchors.
type Pattern struct {
	Source string // the pattern exactly as the model writes it

	re *regexp.Regexp // nil when the whole pattern is a length check

	// Length check in runes (code points, as Smithy counts characters).
	lengthChecked bool
	minRunes      int
	maxRunes      int // -1: unbounded
	// singleLine: the length check came from ECMAScript '.', which does not
	// match line terminators, so none may occur in the value.
	singleLine bool
}

// Length look-ahead at the start of a pattern: ^(?=.{a,b}$).
var lookaheadLength = regexp.MustCompile(`^\^\(\?=\.\{(\d+)(,(\d*))?\}\$\)`)

// A whole pattern that only bounds the length: ^.{a,b}$ or ^(?s).{a,b}$.
var wholeLength = regexp.MustCompile(`^\^(\(\?s\))?\.\{(\d+)(,(\d*))?\}\$$`)

// CompilePattern translates an ECMA-262 @pattern into a Pattern.
func CompilePattern(src string) (*Pattern, error) {
	p := &Pattern{Source: src, maxRunes: -1}
	rest := src
	if m := lookaheadLength.FindStringSubmatch(rest); m != nil {
		if err := p.addLength(m[1], m[2], m[3], true); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", src, err)
		}
		rest = "^" + rest[len(m[0]):]
	}
	if m := wholeLength.FindStringSubmatch(rest); m != nil {
		if err := p.addLength(m[2], m[3], m[4], m[1] == ""); err != nil {
			return nil, fmt.Errorf("pattern %q: %w", src, err)
		}
		return p, nil
	}
	translated, err := translateECMA(rest)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", src, err)
	}
	re, err := regexp.Compile(translated)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", src, err)
	}
	p.re = re
	return p, nil
}

// addLength narrows the rune-length check by a quantifier {lo}, {lo,} or
// {lo,hi}; comma is "" for the first form.
func (p *Pattern) addLength(lo, comma, hi string, singleLine bool) error {
	min, err := strconv.Atoi(lo)
	if err != nil {
		return err
	}
	max := min
	if comma != "" {
		max = -1
		if hi != "" {
			if max, err = strconv.Atoi(hi); err != nil {
				return err
			}
		}
	}
	if !p.lengthChecked || min > p.minRunes {
		p.minRunes = min
	}
	if max >= 0 && (p.maxRunes < 0 || max < p.maxRunes) {
		p.maxRunes = max
	}
	p.lengthChecked = true
	p.singleLine = p.singleLine || singleLine
	return nil
}

// Match reports whether s satisfies the pattern.
func (p *Pattern) Match(s string) bool {
	if p.lengthChecked {
		n := utf8.RuneCountInString(s)
		if n < p.minRunes || (p.maxRunes >= 0 && n > p.maxRunes) {
			return false
		}
		if p.singleLine && strings.ContainsAny(s, ecmaLineTerminators) {
			return false
		}
	}
	return p.re == nil || p.re.MatchString(s)
}

// ECMAScript LineTerminator: what '.' refuses without the s flag.
const ecmaLineTerminators = "\n\r\u2028\u2029"

// ecmaAnyButNewline is ECMAScript '.' (RE2's '.' only refuses '\n').
const ecmaAnyButNewline = `[^\n\r\x{2028}\x{2029}]`

// ECMAScript \s is WhiteSpace plus LineTerminator, far wider than RE2's
// ASCII-only \s. Inclusive rune ranges, sorted.
var ecmaSpaceRanges = [][2]rune{
	{'\t', '\r'}, {' ', ' '}, {0xA0, 0xA0}, {0x1680, 0x1680}, {0x2000, 0x200A},
	{0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF},
}

// Class bodies (without brackets) for ECMAScript \s and \S.
var ecmaSpaceItems, ecmaNonSpaceItems = classItems(ecmaSpaceRanges), classItems(complementRanges(ecmaSpaceRanges))

func classItems(ranges [][2]rune) string {
	var b strings.Builder
	for _, r := range ranges {
		fmt.Fprintf(&b, `\x{%X}`, r[0])
		if r[1] != r[0] {
			fmt.Fprintf(&b, `-\x{%X}`, r[1])
		}
	}
	return b.String()
}

func complementRanges(ranges [][2]rune) [][2]rune {
	var out [][2]rune
	next := rune(0)
	for _, r := range ranges {
		if r[0] > next {
			out = append(out, [2]rune{next, r[0] - 1})
		}
		next = r[1] + 1
	}
	return append(out, [2]rune{next, utf8.MaxRune})
}

// translateECMA rewrites the ECMAScript constructs whose meaning differs in
// RE2: \uXXXX (including surrogate pairs), \s and \S (Unicode-wide in
// ECMAScript), '.' (refuses all line terminators) and a "(?s)" flag, which
// makes '.' match everything from there on. Look-around has no RE2 form and
// is rejected; everything else is the same in both dialects.
func translateECMA(src string) (string, error) {
	var b strings.Builder
	inClass, dotAll := false, false
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\\':
			n, err := translateEscape(&b, src[i:], inClass)
			if err != nil {
				return "", err
			}
			i += n
			continue
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			b.WriteByte(c)
			i++
			if strings.HasPrefix(src[i:], "^") {
				b.WriteByte('^')
				i++
			}
			if strings.HasPrefix(src[i:], "]") {
				return "", fmt.Errorf("empty character class at offset %d is not supported", i)
			}
			continue
		case c == '.':
			if dotAll {
				b.WriteString(`(?s:.)`)
			} else {
				b.WriteString(ecmaAnyButNewline)
			}
			i++
			continue
		case strings.HasPrefix(src[i:], "(?s)"):
			dotAll = true
			i += len("(?s)")
			continue
		case strings.HasPrefix(src[i:], "(?=") || strings.HasPrefix(src[i:], "(?!") || strings.HasPrefix(src[i:], "(?<"):
			return "", fmt.Errorf("look-around at offset %d has no RE2 form", i)
		}
		b.WriteByte(c)
		i++
	}
	if inClass {
		return "", fmt.Errorf("unterminated character class")
	}
	return b.String(), nil
}

// translateEscape writes the RE2 form of the escape at the start of s and
// returns how many bytes of s it consumed.
func translateEscape(b *strings.Builder, s string, inClass bool) (int, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("trailing backslash")
	}
	switch s[1] {
	case 'u':
		cp, n, err := unicodeEscape(s)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(b, `\x{%X}`, cp)
		return n, nil
	case 's', 'S':
		items := ecmaSpaceItems
		if s[1] == 'S' {
			items = ecmaNonSpaceItems
		}
		if inClass {
			b.WriteString(items)
		} else {
			b.WriteString("[" + items + "]")
		}
		return 2, nil
	case 'p', 'P':
		end := strings.IndexByte(s, '}')
		if !strings.HasPrefix(s[2:], "{") || end < 0 {
			return 0, fmt.Errorf("malformed Unicode property escape %q", s)
		}
		b.WriteString(s[:end+1])
		return end + 1, nil
	case 'c', 'k', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return 0, fmt.Errorf("escape %q has no RE2 form", s[:2])
	case '0':
		b.WriteString(`\x{0}`)
		return 2, nil
	}
	// Other escapes (\d \w \b \. \/ \- \t ...) mean the same in RE2; copy the
	// whole escaped rune so multi-byte characters stay intact.
	_, size := utf8.DecodeRuneInString(s[1:])
	b.WriteString(s[:1+size])
	return 1 + size, nil
}

// unicodeEscape decodes \uXXXX at the start of s, joining a UTF-16 surrogate
// pair \uD83D\uDE00 into the code point it encodes.
func unicodeEscape(s string) (rune, int, error) {
	hex4 := func(at int) (rune, bool) {
		if len(s) < at+6 || s[at] != '\\' || s[at+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(s[at+2:at+6], 16, 32)
		return rune(v), err == nil
	}
	hi, ok := hex4(0)
	if !ok {
		return 0, 0, fmt.Errorf("malformed \\u escape %q", s)
	}
	if hi >= 0xD800 && hi <= 0xDBFF {
		if lo, ok := hex4(6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			return 0x10000 + (hi-0xD800)<<10 + (lo - 0xDC00), 12, nil
		}
	}
	return hi, 6, nil
}
