package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeAccounts(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "accounts.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadAccounts(t *testing.T) {
	p := writeAccounts(t, `{"accounts":[
		{"accountId":"111111111111","accessKeyId":"AKIDEXAMPLE1","secretAccessKey":"secret1","companyName":"Example Partner One"},
		{"accountId":"333333333333","accessKeyId":"AKIDEXAMPLE3","secretAccessKey":"secret3","companyName":"Three"}]}`)
	a, err := LoadAccounts(p)
	if err != nil {
		t.Fatal(err)
	}
	acc, ok := a.ByAccessKey("AKIDEXAMPLE3")
	if !ok || acc.AccountID != "333333333333" || acc.SecretAccessKey != "secret3" || acc.CompanyName != "Three" {
		t.Fatalf("got %+v %v", acc, ok)
	}
	if _, ok := a.ByAccessKey("test"); ok {
		t.Fatal("defaults leaked into a loaded file")
	}
	if l := a.List(); len(l) != 2 || l[0].AccountID != "111111111111" {
		t.Fatalf("list %+v", l)
	}
}

func TestLoadAccountsRejects(t *testing.T) {
	entry := func(id, key, secret string) string {
		return `{"accountId":"` + id + `","accessKeyId":"` + key + `","secretAccessKey":"` + secret + `"}`
	}
	cases := map[string]struct{ content, want string }{
		"short id":        {`{"accounts":[` + entry("12345", "k", "s") + `]}`, "exactly 12 digits"},
		"letters in id":   {`{"accounts":[` + entry("11111111111a", "k", "s") + `]}`, "exactly 12 digits"},
		"duplicate id":    {`{"accounts":[` + entry("111111111111", "k1", "s") + `,` + entry("111111111111", "k2", "s") + `]}`, "listed twice"},
		"duplicate key":   {`{"accounts":[` + entry("111111111111", "k", "s") + `,` + entry("222222222222", "k", "s") + `]}`, `"k" is already used by account 111111111111`},
		"empty secret":    {`{"accounts":[` + entry("111111111111", "k", "") + `]}`, "secretAccessKey is empty"},
		"empty key":       {`{"accounts":[` + entry("111111111111", "", "s") + `]}`, "accessKeyId is empty"},
		"no accounts":     {`{"accounts":[]}`, "at least one account"},
		"not json":        {`accounts: []`, "not valid JSON"},
		"misspelled keys": {`{"accounts":[{"accountId":"111111111111","accessKeyId":"k","secretKey":"s"}]}`, "unknown field"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := LoadAccounts(writeAccounts(t, tc.content))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want error containing %q", err, tc.want)
			}
		})
	}
	if _, err := LoadAccounts(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestDefaultAccounts(t *testing.T) {
	a := DefaultAccounts()
	for key, id := range map[string]string{"test": "111111111111", "test2": "222222222222"} {
		acc, ok := a.ByAccessKey(key)
		if !ok || acc.AccountID != id || acc.SecretAccessKey != key {
			t.Fatalf("%s: %+v %v", key, acc, ok)
		}
	}
}
