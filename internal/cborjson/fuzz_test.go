package cborjson

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/cosell/cosell/internal/smithy"
)

// FuzzDecode: any body either decodes into a JSON document, which Encode
// then writes back as CBOR of the same shape, or is an *Error; in both
// timestamp modes and without a shape. Nothing panics.
func FuzzDecode(f *testing.F) {
	list := &smithy.Shape{Name: "L", Kind: smithy.KindList, ListMember: member("m", smithy.KindTimestamp)}
	dict := &smithy.Shape{Name: "M", Kind: smithy.KindMap, MapKey: member("k", smithy.KindString), MapValue: member("v", smithy.KindLong)}
	s := shape(member("s", smithy.KindString), member("i", smithy.KindInteger), member("f", smithy.KindFloat), member("d", smithy.KindDouble),
		member("b", smithy.KindBlob), member("t", smithy.KindTimestamp), member("o", smithy.KindBoolean),
		&smithy.Member{Name: "l", Target: list}, &smithy.Member{Name: "m", Target: dict})
	for _, seed := range [][]byte{
		{0xa0}, {0xbf, 0xff},
		{0xa1, 0x61, 't', 0xc1, 0xfb, 0x41, 0xcc, 0x37, 0xdb, 0x38, 0x0f, 0xbe, 0x77},
		{0xa1, 0x61, 'l', 0x9f, 0xc1, 0x01, 0xc1, 0xf9, 0x3c, 0x00, 0xff},
		{0xa1, 0x61, 'm', 0xa1, 0x61, 'k', 0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0xa2, 0x61, 'b', 0x5f, 0x41, 'x', 0xff, 0x61, 'f', 0xf9, 0x47, 0xa0},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mode := range []Timestamps{ModelTimestamps, TextTimestamps} {
			doc, err := Decode(s, body, mode)
			var bad *Error
			if err != nil {
				if !errors.As(err, &bad) {
					t.Fatalf("error %v is not an *Error", err)
				}
				continue
			}
			if !json.Valid(doc) {
				t.Fatalf("invalid JSON %q", doc)
			}
			if _, err := Encode(s, doc); err != nil {
				t.Fatalf("Encode(Decode(%x)) = %v; document %s", body, err, doc)
			}
		}
		if doc, err := Decode(nil, body, ModelTimestamps); err == nil && !json.Valid(doc) {
			t.Fatalf("invalid generic JSON %q", doc)
		}
	})
}
