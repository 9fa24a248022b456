package ace

import (
	"reflect"
	"strconv"
	"strings"
)

// The mapping walks the generated selling types by the CSV's API paths ("Customer.Account.Address.City",
// "Project.ExpectedCustomerSpend[0].Amount"), so one table drives create, update and outbound alike.

// pathStep is one segment of a path: a Go field name and, for lists, the index used.
type pathStep struct {
	name  string
	index int // -1 when the segment is not a list element
}

func parsePath(path string) []pathStep {
	var steps []pathStep
	for _, seg := range strings.Split(path, ".") {
		step := pathStep{name: seg, index: -1}
		if name, rest, ok := strings.Cut(seg, "["); ok {
			if i, err := strconv.Atoi(strings.TrimSuffix(rest, "]")); err == nil {
				step = pathStep{name: name, index: i}
			}
		}
		steps = append(steps, step)
	}
	return steps
}

// leafType is the type at path on t (pointer and slice of the last segment kept), or nil when t has no such path.
func leafType(t reflect.Type, path string) reflect.Type {
	steps := parsePath(path)
	for i, s := range steps {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := t.FieldByName(s.name)
		if !ok {
			return nil
		}
		t = f.Type
		if s.index >= 0 {
			if t.Kind() != reflect.Slice {
				return nil
			}
			t = t.Elem()
		}
		if i == len(steps)-1 {
			return t
		}
	}
	return nil
}

// setPath stores value (a string or []string) at path in *target, creating the structs and list elements on the
// way. It reports false when target's type has no such path or the leaf takes neither.
func setPath(target any, path string, value any) bool {
	v := reflect.ValueOf(target).Elem()
	for _, s := range parsePath(path) {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return false
		}
		v = v.FieldByName(s.name)
		if !v.IsValid() {
			return false
		}
		if s.index >= 0 {
			if v.Kind() != reflect.Slice {
				return false
			}
			if v.Len() <= s.index {
				v.Set(reflect.AppendSlice(v, reflect.MakeSlice(v.Type(), s.index+1-v.Len(), s.index+1-v.Len())))
			}
			v = v.Index(s.index)
		}
	}
	return setLeaf(v, value)
}

func setLeaf(v reflect.Value, value any) bool {
	switch x := value.(type) {
	case string:
		t := v.Type()
		if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.String {
			p := reflect.New(t.Elem())
			p.Elem().SetString(x)
			v.Set(p)
			return true
		}
		if t.Kind() == reflect.String {
			v.SetString(x)
			return true
		}
	case []string:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String {
			s := reflect.MakeSlice(v.Type(), len(x), len(x))
			for i, item := range x {
				s.Index(i).SetString(item)
			}
			v.Set(s)
			return true
		}
	}
	return false
}

// getPath is the value at path in source: a string, a []string, or nil when absent, empty or not a text leaf.
func getPath(source any, path string) any {
	v := reflect.ValueOf(source)
	for _, s := range parsePath(path) {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return nil
		}
		v = v.FieldByName(s.name)
		if !v.IsValid() {
			return nil
		}
		if s.index >= 0 {
			if v.Kind() != reflect.Slice || v.Len() <= s.index {
				return nil
			}
			v = v.Index(s.index)
		}
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.String:
		return v.String()
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		if v.Len() == 0 {
			return nil
		}
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	}
	return nil
}

// enumValues are the values of an API enum type (the generated Values method), nil for plain strings.
func enumValues(t reflect.Type) []string {
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.String {
		return nil
	}
	m, ok := t.MethodByName("Values")
	if !ok {
		return nil
	}
	out := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
	values := make([]string, out.Len())
	for i := range values {
		values[i] = out.Index(i).String()
	}
	return values
}

// typeOf is the reflect type of T.
func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }
