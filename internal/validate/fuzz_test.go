package validate

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
)

// target is one operation with the constructor of its generated input type.
type target struct {
	op       *smithy.Operation
	newInput func(string) any
}

// allTargets lists every operation of both services in a fixed order, so a
// fuzz input's operation index means the same operation on every run.
func allTargets() []target {
	var out []target
	for _, svc := range []struct {
		s        *smithy.Service
		newInput func(string) any
	}{{selling.Service, selling.NewInput}, {account.Service, account.NewInput}} {
		names := make([]string, 0, len(svc.s.Operations))
		for name := range svc.s.Operations {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			out = append(out, target{svc.s.Operations[name], svc.newInput})
		}
	}
	return out
}

// checkOutcome asserts the contract of Request for any input, and that an
// accepted body decodes into the generated input type.
func checkOutcome(t *testing.T, tg target, body []byte) error {
	t.Helper()
	err := Request(tg.op, body)
	if err != nil {
		e, ok := apierr.As(err)
		if !ok {
			t.Fatalf("%s: error of type %T: %v", tg.op.Name, err, err)
		}
		switch e.Kind {
		case apierr.KindSerialization:
		case apierr.KindValidation:
			for _, f := range e.Fields {
				if f.FieldName == "" || f.Message == "" || !slices.Contains(fieldCodes, f.Code) {
					t.Fatalf("%s: malformed field error %+v", tg.op.Name, f)
				}
			}
		default:
			t.Fatalf("%s: unexpected kind %v", tg.op.Name, e.Kind)
		}
		return err
	}
	in := tg.newInput(tg.op.Name)
	if in == nil {
		t.Fatalf("%s: no generated input type", tg.op.Name)
	}
	if err := Decode(tg.op, body, in); err != nil {
		t.Fatalf("%s: accepted body does not decode into %T: %v\n%s", tg.op.Name, in, err, body)
	}
	return nil
}

var fieldCodes = []string{
	apierr.CodeRequiredFieldMissing, apierr.CodeInvalidEnumValue, apierr.CodeInvalidStringFormat, apierr.CodeInvalidValue,
	apierr.CodeNotEnoughValues, apierr.CodeTooManyValues, apierr.CodeValueOutOfRange, apierr.CodeDuplicateKeyValue,
}

func FuzzRequest(f *testing.F) {
	targets := allTargets()
	index := map[string]uint16{}
	for i, tg := range targets {
		if _, dup := index[tg.op.Name]; !dup {
			index[tg.op.Name] = uint16(i)
		}
	}
	for op, body := range seedBodies(f) {
		f.Add(index[op], body)
	}
	f.Add(uint16(0), []byte(``))
	f.Add(index["ListEngagements"], []byte(`{"Catalog":"AWS","MaxResults":1e400}`))
	f.Add(index["UpdateOpportunity"], []byte(`{"Catalog":"AWS","Identifier":"O1","LastModifiedDate":"2025-02-30T25:00:00Z","catalog":7}`))
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		checkOutcome(t, targets[int(which)%len(targets)], body)
	})
}

// Property: whatever the validator accepts decodes into the generated type.
// Random mutations of the published sample bodies (members dropped, nulled or
// given values of other types) explore far more than the samples alone.
func TestAcceptedBodiesDecode(t *testing.T) {
	targets := map[string]target{}
	for _, tg := range allTargets() {
		if _, dup := targets[tg.op.Name]; !dup {
			targets[tg.op.Name] = tg
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	accepted, rejected := 0, 0
	bodies := seedBodies(t)
	ops := make([]string, 0, len(bodies))
	for op := range bodies {
		ops = append(ops, op)
	}
	sort.Strings(ops) // one fixed sequence of mutations
	for _, op := range ops {
		body := bodies[op]
		for range 300 {
			var doc any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			for range 1 + rng.IntN(3) {
				mutate(rng, doc)
			}
			mutated, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if checkOutcome(t, targets[op], mutated) == nil {
				accepted++
				// These bodies have exact member names only, so plain
				// encoding/json must agree too.
				if err := json.Unmarshal(mutated, targets[op].newInput(op)); err != nil {
					t.Fatalf("%s: accepted body fails json.Unmarshal: %v\n%s", op, err, mutated)
				}
			} else {
				rejected++
			}
		}
	}
	if accepted < 1000 || rejected < 1000 {
		t.Errorf("mutations should both pass and fail often: %d accepted, %d rejected", accepted, rejected)
	}
}

// replacement returns a fresh value of a random JSON type, some of them valid
// for many members (enum-like words, dates, ids). Fresh, because mutations
// edit documents in place.
func replacement(rng *rand.Rand) any {
	scalars := []any{nil, "", "x", "AWS", "Sandbox", "2025-01-31T12:00:00Z", "2029-10-05", "O1234567",
		1.0, 0.0, -1.0, 1.5, 3e9, true, false}
	switch n := rng.IntN(len(scalars) + 3); n - len(scalars) {
	case 0:
		return []any{}
	case 1:
		return []any{"a"}
	case 2:
		return map[string]any{}
	default:
		return scalars[n]
	}
}

// mutate changes one random node of a decoded JSON document in place.
func mutate(rng *rand.Rand, doc any) {
	switch v := doc.(type) {
	case map[string]any:
		if len(v) == 0 {
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(4) {
		case 0:
			delete(v, k)
		case 1:
			v[k] = replacement(rng)
		default:
			mutate(rng, v[k])
		}
	case []any:
		if len(v) == 0 {
			return
		}
		i := rng.IntN(len(v))
		if rng.IntN(3) == 0 {
			v[i] = replacement(rng)
		} else {
			mutate(rng, v[i])
		}
	}
}

func TestDecodeIgnoresCaseVariants(t *testing.T) {
	op := selling.Service.Operations["ListOpportunities"]
	body := []byte(`{"Catalog":"AWS","catalog":"Sandbox"}`)
	var in selling.ListOpportunitiesRequest
	if err := Decode(op, body, &in); err != nil || in.Catalog != "AWS" {
		t.Fatalf("got %q, %v; the unknown member \"catalog\" must not override Catalog", in.Catalog, err)
	}
}

func BenchmarkRequestCreateOpportunity(b *testing.B) {
	body := seedBodies(b)["CreateOpportunity"]
	op := selling.Service.Operations["CreateOpportunity"]
	if err := Request(op, body); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Request(op, body); err != nil {
			b.Fatal(err)
		}
	}
}
