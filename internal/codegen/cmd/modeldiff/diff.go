package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cosell/cosell/internal/codegen/model"
)

// view is a model reduced to what the diff compares, keyed by shape name
// (namespaces differ between a botocore and a Smithy copy of one service).
type view struct {
	ops    map[string]*model.Shape
	shapes map[string]*model.Shape
}

func newView(m *model.Model) view {
	v := view{ops: map[string]*model.Shape{}, shapes: map[string]*model.Shape{}}
	for id, s := range m.Shapes {
		switch s.Type {
		case "operation":
			v.ops[model.Name(id)] = s
		case "service", "resource":
		default:
			v.shapes[model.Name(id)] = s
		}
	}
	return v
}

// diff lists the changes from old to cur, sorted within each kind.
func diff(oldModel, curModel *model.Model) []string {
	old, cur := newView(oldModel), newView(curModel)
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	for _, name := range union(old.ops, cur.ops) {
		o, c := old.ops[name], cur.ops[name]
		switch {
		case o == nil:
			add("+ operation %s", name)
		case c == nil:
			add("- operation %s", name)
		default:
			added, removed := setDiff(names(o.Errors), names(c.Errors))
			for _, e := range added {
				add("+ error %s on %s", e, name)
			}
			for _, e := range removed {
				add("- error %s on %s", e, name)
			}
		}
	}
	for _, name := range union(old.shapes, cur.shapes) {
		o, c := old.shapes[name], cur.shapes[name]
		switch {
		case o == nil:
			if c.Type == "structure" || c.Type == "union" || c.Type == "enum" {
				add("+ %s %s", c.Type, name)
			}
		case c == nil:
			if o.Type == "structure" || o.Type == "union" || o.Type == "enum" {
				add("- %s %s", o.Type, name)
			}
		case o.Type != c.Type:
			add("~ %s: %s -> %s", name, o.Type, c.Type)
		case o.Type == "enum":
			added, removed := setDiff(enumValues(o), enumValues(c))
			for _, v := range added {
				add("+ enum value %s %q", name, v)
			}
			for _, v := range removed {
				add("- enum value %s %q", name, v)
			}
		case o.Type == "structure" || o.Type == "union":
			out = append(out, memberChanges(name, owned{o, oldModel}, owned{c, curModel})...)
		default:
			if a, b := constraints(o.Traits), constraints(c.Traits); a != b {
				add("~ constraints %s: %s -> %s", name, orNone(a), orNone(b))
			}
		}
	}
	return out
}

// owned is a shape with the model it belongs to, to follow its members.
type owned struct {
	*model.Shape
	model *model.Model
}

// describe is what a member means on the wire, so that the same value
// under another shape name is no change (botocore moves a member's own
// constraints into a shape of their own, e.g. AccountCompanyNameString for
// Name): aggregates and enums by name, lists and maps by their elements,
// anything else by its type and constraints. A member's own constraint
// traits override its target's, as in Smithy.
func describe(m *model.Model, mem *model.Member) string {
	s, err := m.Shape(mem.Target)
	if err != nil {
		return model.Name(mem.Target)
	}
	var d string
	switch s.Type {
	case "structure", "union", "enum", "intEnum":
		return model.Name(mem.Target)
	case "list":
		d = "list of " + describe(m, s.ListMember)
	case "map":
		d = "map of " + describe(m, s.MapKey) + " to " + describe(m, s.MapValue)
	default:
		d = s.Type
	}
	effective := model.Traits{}
	for k, v := range s.Traits {
		effective[k] = v
	}
	for k, v := range mem.Traits {
		effective[k] = v
	}
	if c := constraints(effective); c != "" {
		d += " (" + c + ")"
	}
	return d
}

// memberChanges compares two versions of a structure member by member.
func memberChanges(shape string, o, c owned) []string {
	var out []string
	om, cm := members(o.Shape), members(c.Shape)
	for _, name := range union(om, cm) {
		a, b := om[name], cm[name]
		path := shape + "." + name
		switch {
		case a == nil:
			out = append(out, fmt.Sprintf("+ member %s (%s%s)", path, describe(c.model, b), requiredMark(b)))
		case b == nil:
			out = append(out, fmt.Sprintf("- member %s", path))
		default:
			if ra, rb := a.Traits.Has("smithy.api#required"), b.Traits.Has("smithy.api#required"); ra != rb {
				state := "optional"
				if rb {
					state = "required"
				}
				out = append(out, fmt.Sprintf("~ member %s is now %s", path, state))
			}
			if da, db := describe(o.model, a), describe(c.model, b); da != db {
				out = append(out, fmt.Sprintf("~ member %s: %s -> %s", path, da, db))
			}
		}
	}
	return out
}

func requiredMark(m *model.Member) string {
	if m.Traits.Has("smithy.api#required") {
		return ", required"
	}
	return ""
}

func members(s *model.Shape) map[string]*model.Member {
	out := make(map[string]*model.Member, len(s.Members))
	for _, m := range s.Members {
		out[m.Name] = m
	}
	return out
}

func enumValues(s *model.Shape) map[string]bool {
	out := map[string]bool{}
	for _, m := range s.Members {
		v := m.Name
		if t := m.Traits["smithy.api#enumValue"]; t != nil {
			v = t.Text
		}
		out[v] = true
	}
	return out
}

// constraints renders a shape's @length, @range and @pattern for comparison.
func constraints(t model.Traits) string {
	var parts []string
	for _, c := range []struct{ trait, label string }{{"smithy.api#length", "length"}, {"smithy.api#range", "range"}} {
		if v := t[c.trait]; v != nil {
			lo, hi := "", ""
			if c.label == "length" {
				lo = "0" // a length has no minimum below 0; botocore writes it out
			}
			if n := v.Get("min"); n != nil {
				lo = n.Text
			}
			if n := v.Get("max"); n != nil {
				hi = n.Text
			}
			parts = append(parts, fmt.Sprintf("%s %s..%s", c.label, lo, hi))
		}
	}
	if p := t.Text("smithy.api#pattern"); p != "" {
		parts = append(parts, "pattern "+p)
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func names(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[model.Name(id)] = true
	}
	return out
}

// setDiff returns the sorted keys only in b (added) and only in a (removed).
func setDiff(a, b map[string]bool) (added, removed []string) {
	for k := range b {
		if !a[k] {
			added = append(added, k)
		}
	}
	for k := range a {
		if !b[k] {
			removed = append(removed, k)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

// union returns the sorted keys of both maps.
func union[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
