package gen

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cosell/cosell/internal/codegen/jsontree"
	"github.com/cosell/cosell/internal/codegen/model"
)

// kinds maps Smithy types to smithy.Kind constant names.
var kinds = map[string]string{
	"string": "KindString", "enum": "KindEnum", "intEnum": "KindIntEnum", "boolean": "KindBoolean",
	"byte": "KindByte", "short": "KindShort", "integer": "KindInteger", "long": "KindLong",
	"float": "KindFloat", "double": "KindDouble", "bigInteger": "KindBigInteger", "bigDecimal": "KindBigDecimal",
	"timestamp": "KindTimestamp", "blob": "KindBlob", "document": "KindDocument",
	"structure": "KindStructure", "union": "KindUnion", "list": "KindList", "map": "KindMap",
}

// Schema returns schema_gen.go: var Service, wired in init.
func (g *Generator) Schema() ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "import \"github.com/cosell/cosell/internal/smithy\"\n\n")
	fmt.Fprintf(&b, "// Service is %s as its model describes it.\nvar Service *smithy.Service\n\n", model.Name(g.service.ID))
	b.WriteString("func init() {\n// Every shape first, so members can point at any of them, cycles included.\n")
	for _, s := range g.shapes {
		lit, err := g.shapeLiteral(s)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%s := %s\n", varName(s), lit)
	}
	b.WriteString("\n// Members.\n")
	for _, s := range g.shapes {
		if err := g.writeMembers(&b, s); err != nil {
			return nil, err
		}
	}
	if err := g.writeService(&b); err != nil {
		return nil, err
	}
	b.WriteString("}\n\n")
	b.WriteString(`// mustPattern compiles a model @pattern; the smithy package's tests compile
// every pattern of the models, so this cannot fail for a committed model.
func mustPattern(src string) *smithy.Pattern {
	p, err := smithy.CompilePattern(src)
	if err != nil {
		panic(err)
	}
	return p
}
`)
	return g.finish(b.String())
}

// varName is the local variable holding a shape in the generated init.
func varName(s *model.Shape) string {
	name := model.Name(s.ID)
	if model.Namespace(s.ID) == "smithy.api" {
		return "prelude" + name + "Shape"
	}
	return strings.ToLower(name[:1]) + name[1:] + "Shape"
}

func (g *Generator) shapeLiteral(s *model.Shape) (string, error) {
	kind, ok := kinds[s.Type]
	if !ok {
		return "", fmt.Errorf("%s: shape type %q cannot be part of a request or response", s.ID, s.Type)
	}
	fields := []string{
		fmt.Sprintf("ID: %q", s.ID),
		fmt.Sprintf("Name: %q", model.Name(s.ID)),
		"Kind: smithy." + kind,
	}
	switch s.Type {
	case "enum":
		var values []string
		for _, m := range s.Members {
			v := m.Name
			if t := m.Traits["smithy.api#enumValue"]; t != nil {
				v = t.Text
			}
			values = append(values, strconv.Quote(v))
		}
		fields = append(fields, "EnumValues: []string{"+strings.Join(values, ", ")+"}")
	case "intEnum":
		var values []string
		for _, m := range s.Members {
			t := m.Traits["smithy.api#enumValue"]
			if t == nil || t.Kind != jsontree.Number {
				return "", fmt.Errorf("%s$%s: intEnum member without an integer enumValue", s.ID, m.Name)
			}
			values = append(values, t.Text)
		}
		fields = append(fields, "IntEnum: []int64{"+strings.Join(values, ", ")+"}")
	case "list":
		if s.Traits.Has("smithy.api#sparse") {
			return "", fmt.Errorf("%s: sparse lists are not supported", s.ID)
		}
	}
	c, err := constraints(s.ID, s.Traits)
	if err != nil {
		return "", err
	}
	if c != "" {
		fields = append(fields, "Constraints: "+c)
	}
	if s.Traits.Has("smithy.api#sensitive") {
		fields = append(fields, "Sensitive: true")
	}
	if s.Traits.Has("smithy.api#uniqueItems") {
		fields = append(fields, "UniqueItems: true")
	}
	if f := s.Traits.Text("smithy.api#timestampFormat"); f != "" {
		fields = append(fields, fmt.Sprintf("TimestampFormat: %q", f))
	}
	if e := errorLiteral(s.Traits); e != "" {
		fields = append(fields, "Error: "+e)
	}
	return "&smithy.Shape{" + strings.Join(fields, ", ") + "}", nil
}

// constraints renders @pattern, @length and @range as a smithy.Constraints
// literal, or "" when none is set.
func constraints(where string, t model.Traits) (string, error) {
	var fields []string
	if p := t["smithy.api#pattern"]; p != nil {
		fields = append(fields, "Pattern: mustPattern("+goString(p.Text)+")")
	}
	for _, c := range []struct{ trait, field string }{{"smithy.api#length", "Length"}, {"smithy.api#range", "Range"}} {
		v := t[c.trait]
		if v == nil {
			continue
		}
		var bounds []string
		for _, end := range []struct{ key, field string }{{"min", "Min"}, {"max", "Max"}} {
			n := v.Get(end.key)
			if n == nil {
				continue
			}
			if n.Kind != jsontree.Number {
				return "", fmt.Errorf("%s: %s %s is not a number", where, c.trait, end.key)
			}
			bounds = append(bounds, fmt.Sprintf("%s: smithy.Ptr(%s)", end.field, n.Text))
		}
		fields = append(fields, fmt.Sprintf("%s: &smithy.Bounds{%s}", c.field, strings.Join(bounds, ", ")))
	}
	if len(fields) == 0 {
		return "", nil
	}
	return "smithy.Constraints{" + strings.Join(fields, ", ") + "}", nil
}

func errorLiteral(t model.Traits) string {
	fault := t.Text("smithy.api#error")
	if fault == "" {
		return ""
	}
	status := "400"
	if fault == "server" {
		status = "500"
	}
	if v := t["smithy.api#httpError"]; v != nil {
		status = v.Text
	}
	return fmt.Sprintf("&smithy.Error{Fault: %q, HTTPStatus: %s}", fault, status)
}

func (g *Generator) writeMembers(b *strings.Builder, s *model.Shape) error {
	switch s.Type {
	case "structure", "union":
		fmt.Fprintf(b, "%s.Members = []*smithy.Member{\n", varName(s))
		for _, m := range s.Members {
			lit, err := g.memberLiteral(s, m)
			if err != nil {
				return err
			}
			fmt.Fprintf(b, "%s,\n", lit)
		}
		fmt.Fprintf(b, "}\n%s.IndexMembers()\n", varName(s))
	case "list":
		return g.writeMember(b, s, "ListMember", s.ListMember)
	case "map":
		if err := g.writeMember(b, s, "MapKey", s.MapKey); err != nil {
			return err
		}
		return g.writeMember(b, s, "MapValue", s.MapValue)
	}
	return nil
}

func (g *Generator) writeMember(b *strings.Builder, s *model.Shape, field string, m *model.Member) error {
	lit, err := g.memberLiteral(s, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "%s.%s = &smithy.Member%s\n", varName(s), field, lit)
	return nil
}

// memberLiteral renders a member as a composite literal body "{...}".
func (g *Generator) memberLiteral(owner *model.Shape, m *model.Member) (string, error) {
	where := owner.ID + "$" + m.Name
	if m.Traits.Has("smithy.api#timestampFormat") {
		return "", fmt.Errorf("%s: member-level @timestampFormat is not supported", where)
	}
	target, err := g.m.Shape(m.Target)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	fields := []string{fmt.Sprintf("Name: %q", m.Name), "Target: " + varName(target)}
	for _, f := range []struct{ trait, field string }{
		{"smithy.api#required", "Required"},
		{"smithy.api#idempotencyToken", "IdempotencyToken"},
		{"smithy.api#default", "HasDefault"},
	} {
		if m.Traits.Has(f.trait) {
			fields = append(fields, f.field+": true")
		}
	}
	c, err := constraints(where, m.Traits)
	if err != nil {
		return "", err
	}
	if c != "" {
		fields = append(fields, "Constraints: "+c)
	}
	return "{" + strings.Join(fields, ", ") + "}", nil
}

func (g *Generator) writeService(b *strings.Builder) error {
	sigv4 := g.service.Traits["aws.auth#sigv4"]
	if sigv4.Str("name") == "" {
		return fmt.Errorf("%s: no aws.auth#sigv4 signing name", g.service.ID)
	}
	protocol, err := g.protocol()
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "\nService = &smithy.Service{\nID: %q,\nName: %q,\nNamespace: %q,\nVersion: %q,\nSigningName: %q,\nProtocol: smithy.%s,\n",
		g.service.ID, model.Name(g.service.ID), model.Namespace(g.service.ID), g.service.Version, sigv4.Str("name"), protocol)
	b.WriteString("Operations: map[string]*smithy.Operation{\n")
	errorShapes := map[string]*model.Shape{}
	for _, op := range g.ops {
		lit, err := g.operationLiteral(op, errorShapes)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "%q: %s,\n", model.Name(op.ID), lit)
	}
	b.WriteString("},\nErrorsByName: map[string]*smithy.Shape{\n")
	names := make([]string, 0, len(errorShapes))
	for name := range errorShapes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(b, "%q: %s,\n", name, varName(errorShapes[name]))
	}
	b.WriteString("},\n}\n")
	return nil
}

// operationLiteral renders an operation and records its errors by name.
func (g *Generator) operationLiteral(op *model.Shape, errorShapes map[string]*model.Shape) (string, error) {
	name := model.Name(op.ID)
	if op.Input == "" || op.Input == model.Unit {
		return "", fmt.Errorf("%s: operations without an input structure are not supported", op.ID)
	}
	in, err := g.m.Shape(op.Input)
	if err != nil {
		return "", err
	}
	fields := []string{fmt.Sprintf("Name: %q", name), "Input: " + varName(in)}
	if op.Output != "" && op.Output != model.Unit {
		out, err := g.m.Shape(op.Output)
		if err != nil {
			return "", err
		}
		fields = append(fields, "Output: "+varName(out))
	}
	var errs []string
	for _, id := range g.operationErrors(op) {
		e, err := g.m.Shape(id)
		if err != nil {
			return "", err
		}
		if prev := errorShapes[model.Name(id)]; prev != nil && prev.ID != id {
			return "", fmt.Errorf("two error shapes named %s", model.Name(id))
		}
		errorShapes[model.Name(id)] = e
		errs = append(errs, varName(e))
	}
	fields = append(fields, "Errors: []*smithy.Shape{"+strings.Join(errs, ", ")+"}")
	if op.Traits.Has("smithy.api#idempotent") {
		fields = append(fields, "Idempotent: true")
	}
	if op.Traits.Has("smithy.api#readonly") {
		fields = append(fields, "ReadOnly: true")
	}
	code := "200"
	if c := op.Traits["smithy.api#http"].Get("code"); c != nil {
		code = c.Text
	}
	fields = append(fields, "HTTPCode: "+code)
	return "{" + strings.Join(fields, ", ") + "}", nil
}

// goString quotes s as a Go literal, raw when possible so that patterns read
// as the model writes them.
func goString(s string) string {
	if strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
