package pattern

import "testing"

const event = `{"version":"0","id":"e1","detail-type":"Opportunity Created","source":"aws.partnercentral-selling",
"account":"111111111111","resources":["arn:a","arn:b"],"detail":{"catalog":"Sandbox","opportunity":{"identifier":"O1","stage":"Prospect"},"count":3,"flag":true}}`

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{``, true},
		{`{}`, true},
		{`{"source":["aws.partnercentral-selling"]}`, true},
		{`{"source":["aws.partnercentral-account"]}`, false},
		{`{"detail-type":["Opportunity Updated","Opportunity Created"]}`, true},
		{`{"source":["aws.partnercentral-selling"],"detail-type":["Opportunity Updated"]}`, false},
		{`{"detail":{"catalog":["Sandbox"]}}`, true},
		{`{"detail":{"catalog":["AWS"]}}`, false},
		{`{"detail":{"opportunity":{"stage":["Prospect"]}}}`, true},
		{`{"detail":{"opportunity":{"stage":["Qualified"]}}}`, false},
		{`{"detail":{"missing":["x"]}}`, false},
		{`{"detail":{"count":[3]}}`, true},
		{`{"detail":{"flag":[true]}}`, true},
		{`{"resources":["arn:b"]}`, true}, // an array field matches when any element does
		{`{"detail":{"catalog":{"nested":["x"]}}}`, false},
	} {
		p, err := Parse([]byte(c.pattern))
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		got, err := p.Match([]byte(event))
		if err != nil || got != c.want {
			t.Errorf("%s: match %v (%v), want %v", c.pattern, got, err, c.want)
		}
	}
}

func TestParseRefusesWhatItCannotMatch(t *testing.T) {
	for _, bad := range []string{
		`[]`,
		`{"source":"aws.partnercentral-selling"}`,
		`{"source":[]}`,
		`{"source":[{"prefix":"aws."}]}`,
		`{"detail":{"stage":[{"anything-but":"Closed Lost"}]}}`,
		`{"source":`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
