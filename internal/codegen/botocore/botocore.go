// Package botocore turns botocore's model of a service (service-2.json, with
// its paginators-1.json) into the Smithy JSON AST the generator reads, so that
// botocore's data — what the AWS SDKs are built from, and the newest copy of
// every Partner Central API we have — is the one source of the generated code.
//
// botocore drops a few facts that Smithy models carry: shape namespaces, the
// names of enum members, @httpError statuses where the service's protocol
// does not need them, @default values. The conversion rebuilds what it can:
//   - the namespace is AWS's convention, "com.amazonaws." + the service id
//     lower-cased without spaces (com.amazonaws.partnercentralselling);
//   - enum member names come from their values (see enumMemberName);
//   - what cannot be derived comes from a supplement, a small botocore-format
//     patch committed beside the models and merged in first (see Convert).
//
// Defaults are not carried: no Partner Central member that is required has a
// default, which is the only case where the validator would need one.
package botocore

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/cosell/cosell/internal/codegen/jsontree"
)

// Protocol traits by botocore's metadata.protocol.
var protocolTraits = map[string]string{
	"json":               "aws.protocols#awsJson1_0",
	"smithy-rpc-v2-cbor": "smithy.protocols#rpcv2Cbor",
}

// Convert returns the Smithy JSON AST of a botocore model. paginators and
// supplement may be nil. The supplement is a botocore-format document merged
// into the model before conversion (jsontree.Merge: objects merge, arrays
// gain the items they lack), for facts botocore's copy lacks.
func Convert(service, paginators, supplement []byte) (*jsontree.Value, error) {
	src, err := jsontree.Parse(service)
	if err != nil {
		return nil, fmt.Errorf("service model: %w", err)
	}
	if supplement != nil {
		patch, err := jsontree.Parse(supplement)
		if err != nil {
			return nil, fmt.Errorf("supplement: %w", err)
		}
		src.Merge(patch)
	}
	pages := &jsontree.Value{Kind: jsontree.Object}
	if paginators != nil {
		doc, err := jsontree.Parse(paginators)
		if err != nil {
			return nil, fmt.Errorf("paginators: %w", err)
		}
		if p := doc.Get("pagination"); p != nil {
			pages = p
		}
	}
	c, err := newConverter(src)
	if err != nil {
		return nil, err
	}
	shapes := jsontree.NewObject()
	for _, f := range src.Get("shapes").Fields {
		s, err := c.shape(f.Key, f.Value)
		if err != nil {
			return nil, fmt.Errorf("shape %s: %w", f.Key, err)
		}
		shapes.Set(c.id(f.Key), s)
	}
	var opIDs []string
	for _, f := range src.Get("operations").Fields {
		shapes.Set(c.id(f.Key), c.operation(f.Value, pages.Get(f.Key)))
		opIDs = append(opIDs, c.id(f.Key))
	}
	sort.Strings(opIDs)
	shapes.Set(c.id(c.meta.Str("targetPrefix")), c.service(opIDs))

	out := jsontree.NewObject()
	out.Set("smithy", jsontree.NewString("2.0"))
	out.Set("shapes", shapes)
	return out, nil
}

type converter struct {
	meta      *jsontree.Value
	namespace string
}

func newConverter(src *jsontree.Value) (*converter, error) {
	meta := src.Get("metadata")
	for _, key := range []string{"serviceId", "targetPrefix", "apiVersion", "signingName", "protocol"} {
		if meta.Str(key) == "" {
			return nil, fmt.Errorf("metadata.%s is missing", key)
		}
	}
	if protocolTraits[meta.Str("protocol")] == "" {
		return nil, fmt.Errorf("protocol %q is not supported", meta.Str("protocol"))
	}
	if src.Get("shapes") == nil || src.Get("operations") == nil {
		return nil, fmt.Errorf("no shapes or operations")
	}
	ns := "com.amazonaws." + strings.ToLower(strings.ReplaceAll(meta.Str("serviceId"), " ", ""))
	return &converter{meta: meta, namespace: ns}, nil
}

func (c *converter) id(name string) string { return c.namespace + "#" + name }

func target(id string) *jsontree.Value {
	t := jsontree.NewObject()
	t.Set("target", jsontree.NewString(id))
	return t
}

// shape converts one botocore shape.
func (c *converter) shape(name string, s *jsontree.Value) (*jsontree.Value, error) {
	out := jsontree.NewObject()
	traits := jsontree.NewObject()
	typ := s.Str("type")
	switch typ {
	case "structure":
		switch {
		case flag(s, "union"):
			typ = "union"
		case flag(s, "document"):
			typ = "document"
		}
		if typ != "document" {
			members, err := c.members(s)
			if err != nil {
				return nil, err
			}
			out.Set("members", members)
		}
		if flag(s, "exception") {
			fault := "client"
			if flag(s, "fault") {
				fault = "server"
			}
			traits.Set("smithy.api#error", jsontree.NewString(fault))
			if code := s.Get("error").Get("httpStatusCode"); code != nil {
				traits.Set("smithy.api#httpError", code)
			}
		}
		if r := s.Get("retryable"); r != nil {
			traits.Set("smithy.api#retryable", r)
		}
	case "string":
		if enum := s.Get("enum"); enum != nil {
			typ = "enum"
			members, err := enumMembers(enum)
			if err != nil {
				return nil, err
			}
			out.Set("members", members)
		} else {
			setBounds(traits, "smithy.api#length", s)
		}
		if p := s.Get("pattern"); p != nil {
			traits.Set("smithy.api#pattern", jsontree.NewString(anchored(p.Text)))
		}
	case "list":
		out.Set("member", target(c.id(s.Get("member").Str("shape"))))
		setBounds(traits, "smithy.api#length", s)
		// botocore has no uniqueItems; a supplement may set it (see
		// api/model/supplements/README.md).
		if flag(s, "uniqueItems") {
			traits.Set("smithy.api#uniqueItems", jsontree.NewObject())
		}
	case "map":
		out.Set("key", target(c.id(s.Get("key").Str("shape"))))
		out.Set("value", target(c.id(s.Get("value").Str("shape"))))
		setBounds(traits, "smithy.api#length", s)
	case "integer", "long", "float", "double", "short", "byte":
		setBounds(traits, "smithy.api#range", s)
	case "timestamp":
		if f := s.Str("timestampFormat"); f != "" {
			smithyFormat, ok := map[string]string{"iso8601": "date-time", "unixTimestamp": "epoch-seconds", "rfc822": "http-date"}[f]
			if !ok {
				return nil, fmt.Errorf("timestamp format %q", f)
			}
			traits.Set("smithy.api#timestampFormat", jsontree.NewString(smithyFormat))
		}
	case "boolean", "blob":
	default:
		return nil, fmt.Errorf("type %q is not supported", typ)
	}
	if flag(s, "sensitive") {
		traits.Set("smithy.api#sensitive", jsontree.NewObject())
	}
	out.Set("type", jsontree.NewString(typ))
	if len(traits.Fields) > 0 {
		out.Set("traits", traits)
	}
	return out, nil
}

// members converts a structure's members, in model order; "required" lists
// the members that get @required.
func (c *converter) members(s *jsontree.Value) (*jsontree.Value, error) {
	required := map[string]bool{}
	if r := s.Get("required"); r != nil {
		for _, item := range r.Items {
			required[item.Text] = true
		}
	}
	members := jsontree.NewObject()
	for _, f := range s.Get("members").Fields {
		m := target(c.id(f.Value.Str("shape")))
		traits := jsontree.NewObject()
		if required[f.Key] {
			traits.Set("smithy.api#required", jsontree.NewObject())
			delete(required, f.Key)
		}
		if flag(f.Value, "idempotencyToken") {
			traits.Set("smithy.api#idempotencyToken", jsontree.NewObject())
		}
		if len(traits.Fields) > 0 {
			m.Set("traits", traits)
		}
		members.Set(f.Key, m)
	}
	for name := range required {
		return nil, fmt.Errorf("required member %s does not exist", name)
	}
	return members, nil
}

// enumMembers turns botocore's list of enum values into Smithy enum members
// named after their values.
func enumMembers(values *jsontree.Value) (*jsontree.Value, error) {
	members := jsontree.NewObject()
	for _, v := range values.Items {
		name := enumMemberName(v.Text)
		if name == "" {
			return nil, fmt.Errorf("enum value %q has no letters or digits to name it by", v.Text)
		}
		if members.Get(name) != nil {
			return nil, fmt.Errorf("enum values %q and another both name member %s", v.Text, name)
		}
		m := target("smithy.api#Unit")
		traits := jsontree.NewObject()
		traits.Set("smithy.api#enumValue", jsontree.NewString(v.Text))
		m.Set("traits", traits)
		members.Set(name, m)
	}
	return members, nil
}

// enumMemberName names an enum member by its value, since botocore keeps
// only values: the value's runs of letters and digits joined by "_"
// ("Lost to Competitor - SoftLayer" is Lost_to_Competitor_SoftLayer), which
// the generator turns into a Go constant suffix (LostToCompetitorSoftLayer).
func enumMemberName(value string) string {
	words := strings.FieldsFunc(value, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
	return strings.Join(words, "_")
}

// anchored restores the anchors botocore strips from every pattern. The
// Smithy models AWS validates with write them anchored (97 of the 98 Selling
// patterns of 2026-03 begin with ^, 92 end with $; none of botocore's 214
// keeps either), and an unanchored ECMAScript pattern would match anywhere
// in a value, accepting "AWS!" as a [a-zA-Z]+ catalog. Where a Smithy
// original had no $, its pattern ended in .*, which $ only keeps from
// matching a line break.
// A supplement may give a pattern with its own anchors: they are kept.
func anchored(pattern string) string {
	if !strings.HasPrefix(pattern, "^") {
		pattern = "^" + pattern
	}
	if !strings.HasSuffix(pattern, "$") {
		pattern += "$"
	}
	return pattern
}

// setBounds copies botocore's min/max into a Smithy @length or @range.
func setBounds(traits *jsontree.Value, trait string, s *jsontree.Value) {
	bounds := jsontree.NewObject()
	for _, key := range []string{"min", "max"} {
		if v := s.Get(key); v != nil {
			bounds.Set(key, v)
		}
	}
	if len(bounds.Fields) > 0 {
		traits.Set(trait, bounds)
	}
}

func (c *converter) operation(op, paging *jsontree.Value) *jsontree.Value {
	out := jsontree.NewObject()
	out.Set("type", jsontree.NewString("operation"))
	unitOr := func(ref *jsontree.Value) *jsontree.Value {
		if name := ref.Str("shape"); name != "" {
			return target(c.id(name))
		}
		return target("smithy.api#Unit")
	}
	out.Set("input", unitOr(op.Get("input")))
	out.Set("output", unitOr(op.Get("output")))
	if errs := op.Get("errors"); errs != nil {
		var ids []string
		for _, e := range errs.Items {
			ids = append(ids, c.id(e.Str("shape")))
		}
		sort.Strings(ids)
		list := jsontree.NewArray()
		for _, id := range ids {
			list.Items = append(list.Items, target(id))
		}
		out.Set("errors", list)
	}
	traits := jsontree.NewObject()
	http := jsontree.NewObject()
	http.Set("method", jsontree.NewString(op.Get("http").Str("method")))
	http.Set("uri", jsontree.NewString(op.Get("http").Str("requestUri")))
	code := op.Get("http").Get("responseCode")
	if code == nil {
		code = jsontree.NewNumber("200")
	}
	http.Set("code", code)
	traits.Set("smithy.api#http", http)
	for key, trait := range map[string]string{"readonly": "smithy.api#readonly", "idempotent": "smithy.api#idempotent"} {
		if flag(op, key) {
			traits.Set(trait, jsontree.NewObject())
		}
	}
	if paging != nil {
		p := jsontree.NewObject()
		for _, k := range []struct{ from, to string }{
			{"input_token", "inputToken"}, {"output_token", "outputToken"}, {"limit_key", "pageSize"}, {"result_key", "items"},
		} {
			if v := paging.Get(k.from); v != nil && v.Kind == jsontree.String {
				p.Set(k.to, v)
			}
		}
		traits.Set("smithy.api#paginated", p)
	}
	out.Set("traits", traits)
	return out
}

func (c *converter) service(opIDs []string) *jsontree.Value {
	out := jsontree.NewObject()
	out.Set("type", jsontree.NewString("service"))
	out.Set("version", jsontree.NewString(c.meta.Str("apiVersion")))
	ops := jsontree.NewArray()
	for _, id := range opIDs {
		ops.Items = append(ops.Items, target(id))
	}
	out.Set("operations", ops)
	traits := jsontree.NewObject()
	svc := jsontree.NewObject()
	svc.Set("sdkId", jsontree.NewString(c.meta.Str("serviceId")))
	svc.Set("endpointPrefix", jsontree.NewString(c.meta.Str("endpointPrefix")))
	traits.Set("aws.api#service", svc)
	sigv4 := jsontree.NewObject()
	sigv4.Set("name", jsontree.NewString(c.meta.Str("signingName")))
	traits.Set("aws.auth#sigv4", sigv4)
	if auth := c.meta.Get("auth"); auth != nil {
		traits.Set("smithy.api#auth", auth)
	}
	traits.Set(protocolTraits[c.meta.Str("protocol")], jsontree.NewObject())
	out.Set("traits", traits)
	return out
}

// flag reports whether a boolean key is true.
func flag(v *jsontree.Value, key string) bool {
	b := v.Get(key)
	return b != nil && b.Kind == jsontree.Bool && b.Bool
}
