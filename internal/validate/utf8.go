package validate

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// CheckUTF8 reports the first text in a JSON body that is not valid
// Unicode: a raw byte sequence that is not UTF-8, or an escaped surrogate
// (\uD800-\uDFFF) that is not half of a high-low pair. encoding/json would
// quietly turn either into U+FFFD, storing text the client never sent;
// AWS's JSON front end refuses the request instead.
func CheckUTF8(body []byte) error {
	for i := 0; i < len(body); {
		b := body[i]
		switch {
		case b >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size <= 1 {
				return fmt.Errorf("Invalid UTF-8 byte 0x%02x at offset %d", b, i)
			}
			i += size
		case b == '\\' && i+1 < len(body):
			if body[i+1] != 'u' {
				i++
				if body[i] < utf8.RuneSelf {
					i++ // an escape such as \" or \\: its second byte is not a quote ending the string
				}
				continue
			}
			n, err := checkEscape(body, i)
			if err != nil {
				return err
			}
			i += n
		default:
			i++
		}
	}
	return nil
}

// checkEscape checks the \u escape at body[i:] and returns its length:
// 6 bytes, or 12 for a surrogate pair. Malformed hex is left to the JSON
// decoder, which reports it.
func checkEscape(body []byte, i int) (int, error) {
	r, ok := hex4(body, i+2)
	switch {
	case !ok:
		return 2, nil // not an escape after all; the decoder refuses it, and the bytes after it are still checked
	case !utf16.IsSurrogate(r):
		return 6, nil
	}
	if r < 0xDC00 { // a high surrogate must be followed by an escaped low one
		if low, ok := hex4(body, i+8); ok && i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' && low >= 0xDC00 && low <= 0xDFFF {
			return 12, nil
		}
	}
	return 0, fmt.Errorf("Invalid escaped surrogate \\u%04X at offset %d: not half of a surrogate pair", r, i)
}

// hex4 reads four hex digits at body[at:].
func hex4(body []byte, at int) (rune, bool) {
	if at < 0 || at+4 > len(body) {
		return 0, false
	}
	var r rune
	for _, c := range body[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
