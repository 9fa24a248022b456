package pagetoken

import (
	"strings"
	"testing"
)

type position struct {
	Key string
	ID  string
}

func TestRoundTrip(t *testing.T) {
	c := New([]byte("0123456789abcdef0123456789abcdef"))
	tok, err := c.Encode("acct|AWS|ListOpportunities|filters", position{Key: "2026-01-01T00:00:00.000Z", ID: "O1000001"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "AAMA-") {
		t.Fatalf("token %q lacks the AAMA- prefix", tok)
	}
	var got position
	if err := c.Decode("acct|AWS|ListOpportunities|filters", tok, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "O1000001" || got.Key != "2026-01-01T00:00:00.000Z" {
		t.Fatalf("decoded %+v", got)
	}
}

func TestRejects(t *testing.T) {
	c := New([]byte("0123456789abcdef0123456789abcdef"))
	tok, _ := c.Encode("binding-a", position{ID: "O1"})
	var p position
	flipped := []byte(tok)
	flipped[len(flipped)-3] ^= 1
	other := New([]byte("another key of thirty-two bytes!"))
	for name, check := range map[string]func() error{
		"other binding":  func() error { return c.Decode("binding-b", tok, &p) },
		"flipped byte":   func() error { return c.Decode("binding-a", string(flipped), &p) },
		"no prefix":      func() error { return c.Decode("binding-a", strings.TrimPrefix(tok, "AAMA-"), &p) },
		"not base64":     func() error { return c.Decode("binding-a", "AAMA-***", &p) },
		"too short":      func() error { return c.Decode("binding-a", "AAMA-AAAA", &p) },
		"other key":      func() error { return other.Decode("binding-a", tok, &p) },
		"empty":          func() error { return c.Decode("binding-a", "", &p) },
		"truncated body": func() error { return c.Decode("binding-a", tok[:len(tok)-4], &p) },
	} {
		if err := check(); err != ErrInvalid {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	c := New([]byte("0123456789abcdef0123456789abcdef"))
	tok, _ := c.Encode("b", position{ID: "O1"})
	f.Add(tok)
	f.Add("AAMA-")
	f.Fuzz(func(t *testing.T, s string) {
		var p position
		if err := c.Decode("b", s, &p); err == nil && s != tok {
			// Only tokens the codec made may decode; a forged one would need the key.
			if again, _ := c.Encode("b", p); again != s {
				t.Fatalf("accepted a token the codec did not make: %q", s)
			}
		}
	})
}
