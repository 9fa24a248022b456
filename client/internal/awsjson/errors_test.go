package awsjson

import (
	"net/http"
	"testing"
)

func TestErrorMetadata(t *testing.T) {
	for _, tc := range []struct {
		name, header, body string
		code, message      string
	}{
		{"namespaced __type", "", `{"__type":"com.amazonaws.partnercentralselling#ConflictException","Message":"stale"}`, "ConflictException", "stale"},
		{"bare __type, lower message", "", `{"__type":"ValidationException","message":"bad"}`, "ValidationException", "bad"},
		{"header wins", "ThrottlingException:http://internal.amazon.com/", `{"__type":"Other","Message":"slow"}`, "ThrottlingException", "slow"},
		{"not JSON", "", `<html>`, "Bad Gateway", ""},
	} {
		res := &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{}}
		if tc.header != "" {
			res.Header.Set("X-Amzn-ErrorType", tc.header)
		}
		res.Header.Set("X-Amzn-RequestId", "req-1")
		meta, message := errorMetadata(res, []byte(tc.body))
		if meta.Code != tc.code || message != tc.message || meta.RequestID != "req-1" || meta.StatusCode != http.StatusBadGateway {
			t.Errorf("%s: %+v %q, want code %q message %q", tc.name, meta, message, tc.code, tc.message)
		}
	}
}
