package server

import (
	"strings"
	"testing"
)

func TestParseStore(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"sqlite":                               "",
		"postgres://u:p@127.0.0.1:5432/cosell": "postgres://u:p@127.0.0.1:5432/cosell",
		"postgresql://u@/cosell?host=/run/postgresql": "postgresql://u@/cosell?host=/run/postgresql",
	} {
		if got, err := ParseStore(in); err != nil || got != want {
			t.Errorf("ParseStore(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"mysql://u:secret@db/x", "/var/lib/cosell", "postgres://u:secret@host:bad port/db"} {
		_, err := ParseStore(in)
		if err == nil {
			t.Errorf("ParseStore(%q) accepted it", in)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseStore(%q): the error repeats the password: %v", in, err)
		}
	}
}
