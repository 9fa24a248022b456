package sts

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Whatever the parameters, checkAction accepts exactly a well-formed
// GetCallerIdentity of version 2011-06-15 or answers a 400 that encodes
// as STS's XML error.
func FuzzCheckAction(f *testing.F) {
	f.Add("POST", "", []byte("Action=GetCallerIdentity&Version=2011-06-15"))
	f.Add("GET", "Action=GetCallerIdentity&Version=2011-06-15", []byte(nil))
	f.Add("POST", "", []byte("Action=AssumeRole&Version=2011-06-15&RoleArn=x"))
	f.Add("POST", "", []byte("Action=%zz&Version=<>&"))
	f.Fuzz(func(t *testing.T, method, query string, body []byte) {
		e := checkAction(method, query, body)
		if e == nil {
			return
		}
		if e.Status != http.StatusBadRequest || e.Code == "" {
			t.Fatalf("error %+v", e)
		}
		w := httptest.NewRecorder()
		writeError(w, "id", e)
		var back errorResponse
		if err := xml.Unmarshal(w.Body.Bytes(), &back); err != nil || back.Code != e.Code {
			t.Fatalf("the error does not read back: %v\n%s", err, w.Body.Bytes())
		}
		if !bytes.HasPrefix(w.Body.Bytes(), []byte("<?xml")) {
			t.Fatalf("no XML declaration: %s", w.Body.Bytes())
		}
	})
}
