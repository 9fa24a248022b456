package coselltest_test

import (
	"os"
	"strings"
	"testing"
)

// The README shows the fresh-module test that scripts/test.sh runs, word
// for word, so what a newcomer copies is what is tested.
func TestReadmeShowsTheFreshModuleTest(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	test, err := os.ReadFile("testdata/freshmodule/crm_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+string(test)+"```\n") {
		t.Fatal("README.md does not show coselltest/testdata/freshmodule/crm_test.go as it is")
	}
}
