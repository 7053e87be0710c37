package output

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/store"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// TestKeysSnakeCase checks that every field of every shape has a JSON
// name of its own, in snake_case.
func TestKeysSnakeCase(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !snakeCase.MatchString(name) {
				t.Errorf("%s.%s: JSON name %q is not snake_case", path, f.Name, name)
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	for _, v := range []any{Cluster{}, Article{}, Stats{}, SearchHit{}, Decision{}, Histogram{}, Export{}, Error{}} {
		walk(reflect.TypeOf(v), reflect.TypeOf(v).Name())
	}
}

// TestEmptyListsAreArrays checks that a shape made from empty store
// values writes [] or {} for its lists, never null; the one null is the
// unknown thresholds of a histogram.
func TestEmptyListsAreArrays(t *testing.T) {
	for name, v := range map[string]any{
		"cluster":    NewCluster(store.Cluster{}),
		"stats":      NewStats(store.Stats{}),
		"search":     NewSearchHits(nil),
		"decision":   NewDecision(store.Decision{}),
		"decisions":  NewDecisions(nil),
		"histogram":  NewHistogram(store.Histogram{}, nil),
		"export":     NewExport(store.ExportRow{}, false),
		"export_var": NewExport(store.ExportRow{}, true),
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), `"thresholds":null`, "", 1)
		if strings.Contains(s, "null") {
			t.Errorf("%s: %s has a null", name, b)
		}
	}
}

func TestRound3(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{{0, 0}, {1, 1}, {0.3974, 0.397}, {0.8475, 0.848}, {0.9125, 0.913}, {0.0004, 0}} {
		if got := Round3(tc.in); got != tc.want {
			t.Errorf("Round3(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
