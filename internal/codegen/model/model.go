// Package model is a typed view of a Smithy 2.0 JSON AST, just wide enough
// for the code generator: shapes, members, traits, operations, resources.
package model

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/cosell/cosell/internal/codegen/jsontree"
)

// Model is a loaded Smithy model.
type Model struct {
	Shapes map[string]*Shape
}

// Shape is one shape of the model, or a synthesized prelude shape.
type Shape struct {
	ID     string
	Type   string // "structure", "string", "operation", ...
	Traits Traits

	Members                      []*Member // structure, union, enum, intEnum: model order
	ListMember, MapKey, MapValue *Member

	Version    string   // service
	Input      string   // operation
	Output     string   // operation
	Errors     []string // operation, service
	Operations []string // service, resource: every operation bound directly, lifecycle ones included
	Resources  []string // service, resource
}

// Member is a member of an aggregate shape.
type Member struct {
	Name   string
	Target string
	Traits Traits
}

// Traits are a shape's or member's traits by absolute id.
type Traits map[string]*jsontree.Value

// Has reports whether the trait is present.
func (t Traits) Has(id string) bool { return t[id] != nil }

// Text returns a string-valued trait, or "".
func (t Traits) Text(id string) string {
	if v := t[id]; v != nil && v.Kind == jsontree.String {
		return v.Text
	}
	return ""
}

// Name is the part of a shape id after '#'.
func Name(id string) string { return id[strings.IndexByte(id, '#')+1:] }

// Namespace is the part of a shape id before '#'.
func Namespace(id string) string { return id[:strings.IndexByte(id, '#')] }

// Unit is the prelude shape meaning "no value".
const Unit = "smithy.api#Unit"

// Load reads a JSON AST model file.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// Parse reads a JSON AST model; name says where it came from in errors.
func Parse(data []byte, name string) (*Model, error) {
	doc, err := jsontree.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	shapes := doc.Get("shapes")
	if shapes == nil {
		return nil, fmt.Errorf("%s: no shapes", name)
	}
	m := &Model{Shapes: make(map[string]*Shape, len(shapes.Fields))}
	for _, f := range shapes.Fields {
		m.Shapes[f.Key] = parseShape(f.Key, f.Value)
	}
	return m, nil
}

// lifecycleKeys bind one operation each to a resource.
var lifecycleKeys = []string{"create", "put", "read", "update", "delete", "list"}

func parseShape(id string, v *jsontree.Value) *Shape {
	s := &Shape{
		ID:      id,
		Type:    v.Str("type"),
		Traits:  parseTraits(v.Get("traits")),
		Version: v.Str("version"),
		Input:   target(v.Get("input")),
		Output:  target(v.Get("output")),
		Errors:  targets(v.Get("errors")),
	}
	if members := v.Get("members"); members != nil {
		for _, f := range members.Fields {
			s.Members = append(s.Members, parseMember(f.Key, f.Value))
		}
	}
	for key, dst := range map[string]**Member{"member": &s.ListMember, "key": &s.MapKey, "value": &s.MapValue} {
		if mv := v.Get(key); mv != nil {
			*dst = parseMember(key, mv)
		}
	}
	for _, key := range lifecycleKeys {
		if op := target(v.Get(key)); op != "" {
			s.Operations = append(s.Operations, op)
		}
	}
	s.Operations = append(s.Operations, targets(v.Get("operations"))...)
	s.Operations = append(s.Operations, targets(v.Get("collectionOperations"))...)
	s.Resources = targets(v.Get("resources"))
	return s
}

func parseMember(name string, v *jsontree.Value) *Member {
	return &Member{Name: name, Target: v.Str("target"), Traits: parseTraits(v.Get("traits"))}
}

func parseTraits(v *jsontree.Value) Traits {
	t := Traits{}
	if v != nil {
		for _, f := range v.Fields {
			t[f.Key] = f.Value
		}
	}
	return t
}

func target(v *jsontree.Value) string { return v.Str("target") }

func targets(v *jsontree.Value) []string {
	if v == nil {
		return nil
	}
	out := make([]string, 0, len(v.Items))
	for _, item := range v.Items {
		out = append(out, target(item))
	}
	return out
}

// preludeTypes maps the simple prelude shapes to their types.
var preludeTypes = map[string]string{
	"String": "string", "Blob": "blob", "Boolean": "boolean", "Byte": "byte", "Short": "short",
	"Integer": "integer", "Long": "long", "Float": "float", "Double": "double",
	"BigInteger": "bigInteger", "BigDecimal": "bigDecimal", "Timestamp": "timestamp", "Document": "document",
	"PrimitiveBoolean": "boolean", "PrimitiveByte": "byte", "PrimitiveShort": "short",
	"PrimitiveInteger": "integer", "PrimitiveLong": "long", "PrimitiveFloat": "float", "PrimitiveDouble": "double",
}

// Shape returns the shape with the given id, synthesizing prelude shapes.
func (m *Model) Shape(id string) (*Shape, error) {
	if s := m.Shapes[id]; s != nil {
		return s, nil
	}
	if Namespace(id) == "smithy.api" {
		if typ, ok := preludeTypes[Name(id)]; ok {
			s := &Shape{ID: id, Type: typ, Traits: Traits{}}
			m.Shapes[id] = s
			return s, nil
		}
	}
	return nil, fmt.Errorf("shape %s is not in the model", id)
}

// Service returns the model's only service shape.
func (m *Model) Service() (*Shape, error) {
	var found []*Shape
	for _, s := range m.Shapes {
		if s.Type == "service" {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("want exactly one service shape, found %d", len(found))
	}
	return found[0], nil
}

// Operations returns every operation of a service, bound directly or through
// its resources (recursively), sorted by id.
func (m *Model) Operations(service *Shape) ([]*Shape, error) {
	seen := map[string]bool{}
	var ops []*Shape
	var visit func(s *Shape) error
	visit = func(s *Shape) error {
		for _, id := range s.Operations {
			if seen[id] {
				continue
			}
			seen[id] = true
			op, err := m.Shape(id)
			if err != nil {
				return err
			}
			ops = append(ops, op)
		}
		for _, id := range s.Resources {
			r, err := m.Shape(id)
			if err != nil {
				return err
			}
			if err := visit(r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(service); err != nil {
		return nil, err
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}
