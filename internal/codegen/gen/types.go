package gen

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cosell/cosell/internal/codegen/model"
)

// scalarTypes are the Go types of simple shapes. BigInteger and BigDecimal
// become json.Number: it keeps every digit and still travels as a JSON number.
var scalarTypes = map[string]string{
	"string": "string", "boolean": "bool", "byte": "int8", "short": "int16",
	"integer": "int32", "long": "int64", "float": "float32", "double": "float64",
	"bigInteger": "json.Number", "bigDecimal": "json.Number", "timestamp": "time.Time",
}

// Types returns types_gen.go: a Go type for every structure, union, enum and
// intEnum reachable from an operation.
func (g *Generator) Types() ([]byte, error) {
	if err := g.claim("Service", "the generated Service variable"); err != nil {
		return nil, err
	}
	shapes := make([]*model.Shape, 0, len(g.shapes))
	for _, s := range g.shapes {
		switch s.Type {
		case "structure", "union", "enum", "intEnum":
			if err := g.claim(exported(model.Name(s.ID)), s.ID); err != nil {
				return nil, err
			}
			shapes = append(shapes, s)
		}
	}
	sort.Slice(shapes, func(i, j int) bool { return model.Name(shapes[i].ID) < model.Name(shapes[j].ID) })

	var body strings.Builder
	imports := map[string]bool{}
	for _, s := range shapes {
		var err error
		switch s.Type {
		case "structure", "union":
			err = g.writeStruct(&body, s, imports)
		default:
			err = g.writeEnum(&body, s)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := g.writeNewInput(&body); err != nil {
		return nil, err
	}
	var head strings.Builder
	if len(imports) > 0 {
		paths := make([]string, 0, len(imports))
		for p := range imports {
			paths = append(paths, strconv.Quote(p))
		}
		sort.Strings(paths)
		fmt.Fprintf(&head, "import (\n%s\n)\n\n", strings.Join(paths, "\n"))
	}
	return g.finish(head.String() + body.String())
}

func (g *Generator) writeStruct(b *strings.Builder, s *model.Shape, imports map[string]bool) error {
	name := exported(model.Name(s.ID))
	what := s.Type
	if s.Traits.Has("smithy.api#error") {
		what = "error structure"
	}
	fmt.Fprintf(b, "// %s is the %s %s.", name, what, s.ID)
	if s.Type == "union" {
		b.WriteString(" Exactly one member is set.")
	}
	fmt.Fprintf(b, "\ntype %s struct {\n", name)
	fields := map[string]bool{}
	for _, m := range s.Members {
		field := exported(m.Name)
		if fields[field] {
			return fmt.Errorf("%s: two members become Go field %s", s.ID, field)
		}
		fields[field] = true
		// Union members are all optional: exactly one is present.
		required := s.Type == "structure" && m.Traits.Has("smithy.api#required")
		typ, err := g.goType(m.Target, !required, imports)
		if err != nil {
			return fmt.Errorf("%s$%s: %w", s.ID, m.Name, err)
		}
		tag := m.Name
		if !required {
			tag += ",omitempty"
		}
		fmt.Fprintf(b, "%s %s `json:%q`\n", field, typ, tag)
	}
	b.WriteString("}\n\n")
	return nil
}

func (g *Generator) writeEnum(b *strings.Builder, s *model.Shape) error {
	name := exported(model.Name(s.ID))
	base, quote := "string", strconv.Quote
	if s.Type == "intEnum" {
		base, quote = "int32", func(v string) string { return v }
	}
	fmt.Fprintf(b, "// %s is the %s %s.\ntype %s %s\n\n", name, s.Type, s.ID, name, base)
	b.WriteString("// Values of " + name + ".\nconst (\n")
	consts := make([]string, 0, len(s.Members))
	for _, m := range s.Members {
		c := name + enumConstSuffix(m.Name)
		if err := g.claim(c, s.ID+"$"+m.Name); err != nil {
			return err
		}
		value := m.Name
		if t := m.Traits["smithy.api#enumValue"]; t != nil {
			value = t.Text
		}
		fmt.Fprintf(b, "%s %s = %s\n", c, name, quote(value))
		consts = append(consts, c)
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(b, "// Values returns every value of %s, in model order.\nfunc (%s) Values() []%s {\nreturn []%s{%s}\n}\n\n",
		name, name, name, name, strings.Join(consts, ", "))
	return nil
}

// goType is the Go type of a value of the target shape. Optional values are
// pointers, except slices, maps and raw JSON, whose nil already means absent.
func (g *Generator) goType(targetID string, optional bool, imports map[string]bool) (string, error) {
	t, err := g.m.Shape(targetID)
	if err != nil {
		return "", err
	}
	ptr := ""
	if optional {
		ptr = "*"
	}
	switch t.Type {
	case "structure", "union", "enum", "intEnum":
		return ptr + exported(model.Name(t.ID)), nil
	case "list":
		elem, err := g.goType(t.ListMember.Target, false, imports)
		return "[]" + elem, err
	case "map":
		key, err := g.m.Shape(t.MapKey.Target)
		if err != nil {
			return "", err
		}
		if key.Type != "string" && key.Type != "enum" {
			return "", fmt.Errorf("map %s: keys must be strings", t.ID)
		}
		val, err := g.goType(t.MapValue.Target, false, imports)
		return "map[string]" + val, err
	case "blob":
		return "[]byte", nil // encoding/json uses base64, as awsJson does
	case "document":
		imports["encoding/json"] = true
		return "json.RawMessage", nil
	case "timestamp":
		// rpcv2Cbor always sends timestamps as CBOR epoch seconds, whatever
		// the model says; in awsJson the default is epoch-seconds, which
		// time.Time does not encode as JSON, and no JSON model needs it yet.
		if f := t.Traits.Text("smithy.api#timestampFormat"); f != "date-time" && !g.cbor() {
			return "", fmt.Errorf("timestamp %s: format %q is not supported (only date-time)", t.ID, f)
		}
		imports["time"] = true
	case "bigInteger", "bigDecimal":
		imports["encoding/json"] = true
	}
	scalar, ok := scalarTypes[t.Type]
	if !ok {
		return "", fmt.Errorf("shape %s of type %q has no Go type", t.ID, t.Type)
	}
	return ptr + scalar, nil
}

// writeNewInput emits NewInput, so that code handling any operation (the wire
// layer, tests) can decode a request into its generated type by name.
func (g *Generator) writeNewInput(b *strings.Builder) error {
	if err := g.claim("NewInput", "the generated NewInput function"); err != nil {
		return err
	}
	b.WriteString("// NewInput returns a pointer to a new, empty value of the operation's input\n// type, or nil when the service has no such operation.\n")
	b.WriteString("func NewInput(operation string) any {\nswitch operation {\n")
	for _, op := range g.ops {
		fmt.Fprintf(b, "case %q:\nreturn new(%s)\n", model.Name(op.ID), exported(model.Name(op.Input)))
	}
	b.WriteString("}\nreturn nil\n}\n")
	return nil
}
