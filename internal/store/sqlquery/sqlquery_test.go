package sqlquery

import "testing"

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT 1`:                               `SELECT 1`,
		`a = ? AND b IN (?, ?)`:                  `a = $1 AND b IN ($2, $3)`,
		`arn LIKE ? ESCAPE '\' AND k = ?`:        `arn LIKE $1 ESCAPE '\' AND k = $2`,
		`x = '?' AND "we?ird" = ? AND y = '''?'`: `x = '?' AND "we?ird" = $1 AND y = '''?'`,
	} {
		if got := Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
	}
}
