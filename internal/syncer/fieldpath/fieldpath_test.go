package fieldpath

import "testing"

func TestSetGetRoundTrip(t *testing.T) {
	d, err := Decode([]byte(`{"Project":{"Title":"Old"},"Catalog":"Sandbox"}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := Set(d, "Project.Title", "New"); err != nil {
		t.Fatal(err)
	}
	if err := Set(d, "LifeCycle.NextSteps", "Call"); err != nil {
		t.Fatal(err)
	}
	if v, ok := Get(d, "Project.Title"); !ok || v != "New" {
		t.Errorf("Project.Title = %v, %v", v, ok)
	}
	if v, ok := Get(d, "LifeCycle.NextSteps"); !ok || v != "Call" {
		t.Errorf("LifeCycle.NextSteps = %v, %v", v, ok)
	}
	if err := Set(d, "Project.Title", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := Get(d, "Project.Title"); ok {
		t.Error("a nil value should remove the field")
	}
}

func TestBadPaths(t *testing.T) {
	d := Doc{"Catalog": "Sandbox"}
	for _, p := range []string{"", "Project.", ".Title", "Catalog.Name"} {
		if err := Set(d, p, "x"); err == nil {
			t.Errorf("Set(%q) accepted", p)
		}
	}
	if _, ok := Get(d, "Catalog.Name"); ok {
		t.Error("Get through a string should miss")
	}
}

func TestNormalizeComparesNumbers(t *testing.T) {
	a, _ := Normalize(map[string]int{"n": 3})
	b, _ := Decode([]byte(`{"n":3}`))
	if !Equal(a, map[string]any(b)) {
		t.Errorf("%v != %v", a, b)
	}
}
