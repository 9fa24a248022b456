package botocore

import (
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/codegen/jsontree"
)

const sample = `{
  "metadata": {"apiVersion": "2020-01-01", "protocol": "json", "serviceId": "Partner Thing", "signingName": "thing",
               "targetPrefix": "ThingService", "endpointPrefix": "thing", "auth": ["aws.auth#sigv4"]},
  "operations": {
    "GetThing": {"name": "GetThing", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "GetThingRequest"},
                 "output": {"shape": "GetThingResponse"}, "errors": [{"shape": "NotFound"}], "readonly": true},
    "DropThing": {"name": "DropThing", "http": {"method": "POST", "requestUri": "/", "responseCode": 204},
                  "input": {"shape": "GetThingRequest"}, "idempotent": true}
  },
  "shapes": {
    "GetThingRequest": {"type": "structure", "required": ["Id"], "members": {
      "Id": {"shape": "Id", "documentation": "dropped"}, "Token": {"shape": "Id", "idempotencyToken": true}, "Max": {"shape": "Size"}}},
    "GetThingResponse": {"type": "structure", "members": {"Kind": {"shape": "Kind"}, "Tags": {"shape": "Tags"}, "At": {"shape": "At"}}},
    "Id": {"type": "string", "min": 1, "max": 10, "pattern": "t-[0-9]+", "sensitive": true},
    "Size": {"type": "integer", "box": true, "min": 1, "max": 100},
    "Kind": {"type": "string", "enum": ["In review", "AWSSalesRep", "ACTIVE"]},
    "Tags": {"type": "list", "member": {"shape": "Id"}, "max": 5},
    "At": {"type": "timestamp", "timestampFormat": "iso8601"},
    "NotFound": {"type": "structure", "members": {"Message": {"shape": "Id"}}, "exception": true}
  }
}`

const pages = `{"pagination": {"GetThing": {"input_token": "Token", "output_token": "Token", "limit_key": "Max", "result_key": "Tags"}}}`

func convert(t *testing.T, supplement string) *jsontree.Value {
	t.Helper()
	var sup []byte
	if supplement != "" {
		sup = []byte(supplement)
	}
	doc, err := Convert([]byte(sample), []byte(pages), sup)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Get("shapes")
}

func TestConvert(t *testing.T) {
	shapes := convert(t, "")
	const ns = "com.amazonaws.partnerthing#"
	svc := shapes.Get(ns + "ThingService")
	if svc.Str("version") != "2020-01-01" || svc.Get("traits").Get("aws.auth#sigv4").Str("name") != "thing" ||
		svc.Get("traits").Get("aws.protocols#awsJson1_0") == nil || len(svc.Get("operations").Items) != 2 {
		t.Errorf("service: %s", svc.Encode(func(string) bool { return true }))
	}
	req := shapes.Get(ns + "GetThingRequest").Get("members")
	if req.Fields[0].Key != "Id" || req.Get("Id").Get("traits").Get("smithy.api#required") == nil {
		t.Error("Id should come first and be required")
	}
	if req.Get("Token").Get("traits").Get("smithy.api#idempotencyToken") == nil || req.Get("Max").Get("traits") != nil {
		t.Error("Token is the idempotency token; Max has no member traits")
	}
	id := shapes.Get(ns + "Id").Get("traits")
	if id.Get("smithy.api#length").Get("max").Text != "10" || id.Str("smithy.api#pattern") != "^t-[0-9]+$" || id.Get("smithy.api#sensitive") == nil {
		t.Errorf("Id traits: %s", id.Encode(func(string) bool { return true }))
	}
	if shapes.Get(ns+"Size").Get("traits").Get("smithy.api#range").Get("min").Text != "1" {
		t.Error("an integer's min/max become @range")
	}
	if shapes.Get(ns+"Tags").Get("traits").Get("smithy.api#length").Get("max").Text != "5" {
		t.Error("a list's max becomes @length")
	}
	if shapes.Get(ns+"At").Get("traits").Str("smithy.api#timestampFormat") != "date-time" {
		t.Error("iso8601 is date-time")
	}
	kind := shapes.Get(ns + "Kind")
	var names []string
	for _, f := range kind.Get("members").Fields {
		names = append(names, f.Key+"="+f.Value.Get("traits").Str("smithy.api#enumValue"))
	}
	if kind.Str("type") != "enum" || strings.Join(names, ",") != "In_review=In review,AWSSalesRep=AWSSalesRep,ACTIVE=ACTIVE" {
		t.Errorf("enum members: %v", names)
	}
	get := shapes.Get(ns + "GetThing").Get("traits")
	if get.Get("smithy.api#readonly") == nil || get.Get("smithy.api#http").Get("code").Text != "200" ||
		get.Get("smithy.api#paginated").Str("items") != "Tags" || get.Get("smithy.api#paginated").Str("pageSize") != "Max" {
		t.Errorf("GetThing traits: %s", get.Encode(func(string) bool { return true }))
	}
	drop := shapes.Get(ns + "DropThing")
	if drop.Get("traits").Get("smithy.api#http").Get("code").Text != "204" || drop.Get("output").Str("target") != "smithy.api#Unit" {
		t.Error("DropThing: 204 and no output")
	}
	nf := shapes.Get(ns + "NotFound").Get("traits")
	if nf.Str("smithy.api#error") != "client" || nf.Get("smithy.api#httpError") != nil {
		t.Error("NotFound is a client error without a status of its own")
	}
}

func TestSupplementMerges(t *testing.T) {
	shapes := convert(t, `{"shapes": {
		"NotFound": {"error": {"httpStatusCode": 404}},
		"Kind": {"enum": ["ACTIVE", "Signatory"]},
		"GetThingResponse": {"members": {"Extra": {"shape": "Id"}}}}}`)
	const ns = "com.amazonaws.partnerthing#"
	if shapes.Get(ns+"NotFound").Get("traits").Get("smithy.api#httpError").Text != "404" {
		t.Error("the supplement's status should become @httpError")
	}
	if n := len(shapes.Get(ns + "Kind").Get("members").Fields); n != 4 {
		t.Errorf("Kind has %d members, want the 3 of the model and Signatory once", n)
	}
	if shapes.Get(ns+"GetThingResponse").Get("members").Get("Extra") == nil {
		t.Error("the supplement's member should be added")
	}
}

func TestBadModelsFail(t *testing.T) {
	for name, mutate := range map[string]func(string) string{
		"unknown protocol":     func(s string) string { return strings.Replace(s, `"protocol": "json"`, `"protocol": "rest-xml"`, 1) },
		"missing required":     func(s string) string { return strings.Replace(s, `"required": ["Id"]`, `"required": ["Nope"]`, 1) },
		"unnamable enum value": func(s string) string { return strings.Replace(s, `"ACTIVE"]`, `"ACTIVE", "--"]`, 1) },
		"colliding enum names": func(s string) string { return strings.Replace(s, `"ACTIVE"]`, `"ACTIVE", "In-review"]`, 1) },
	} {
		if _, err := Convert([]byte(mutate(sample)), nil, nil); err == nil {
			t.Errorf("%s: converted without an error", name)
		}
	}
}
