package cborjson

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/smithy"
)

func shape(members ...*smithy.Member) *smithy.Shape {
	s := &smithy.Shape{Name: "S", Kind: smithy.KindStructure, Members: members}
	s.IndexMembers()
	return s
}

func member(name string, k smithy.Kind) *smithy.Member {
	return &smithy.Member{Name: name, Target: &smithy.Shape{Name: name, Kind: k}}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The shape, not the JSON, decides each member's CBOR type; a value that
// does not fit is an error, never sent.
func TestEncodeFollowsTheShape(t *testing.T) {
	s := shape(member("d", smithy.KindDouble), member("i", smithy.KindInteger), member("s", smithy.KindString), member("t", smithy.KindTimestamp))
	if _, err := Encode(s, []byte(`{"i":"7"}`)); err == nil {
		t.Error("a string for an integer member was encoded")
	}
	b, err := Encode(s, []byte(`{"d":2,"i":2,"s":null,"t":"2026-03-01T00:00:00.5Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	// {"d": 2.0 as a double, "i": 2, "t": tag 1 float 1772323200.5}, keys sorted, null dropped.
	want := mustHex(t, "a3 6164 fb4000000000000000 6169 02 6174 c1 fb 41da68e060200000")
	if !bytes.Equal(b, want) {
		t.Errorf("got %x, want %x", b, want)
	}
}

// Decode writes timestamps in the model's format for the server and as
// text for clients, which decode them into time.Time.
func TestDecodeTimestamps(t *testing.T) {
	s := shape(member("t", smithy.KindTimestamp))
	body := mustHex(t, "a1 6174 c1 1a 69a38300") // 1772323584
	for mode, want := range map[Timestamps]string{ModelTimestamps: `{"t":1772323584}`, TextTimestamps: `{"t":"` + time.Unix(1772323584, 0).UTC().Format(time.RFC3339Nano) + `"}`} {
		got, err := Decode(s, body, mode)
		if err != nil || string(got) != want {
			t.Errorf("mode %v: %s %v, want %s", mode, got, err, want)
		}
	}
	var bad *Error
	if _, err := Decode(s, mustHex(t, "a1 6174 01"), ModelTimestamps); !errors.As(err, &bad) || !strings.Contains(bad.Message, "tag 1") {
		t.Errorf("an untagged timestamp: %v", err)
	}
	// Without a shape (error bodies) the map comes through as it is.
	got, err := Decode(nil, mustHex(t, "a2 66 5f5f74797065 6178 67 4d657373616765 6168"), ModelTimestamps)
	if err != nil || string(got) != `{"Message":"h","__type":"x"}` {
		t.Errorf("generic: %s %v", got, err)
	}
}
