package interval_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/treeoracle"
	"github.com/crossagenda/crossagenda/interval"
)

type iv = interval.Interval

type entry = interval.Entry[string]

// deepEqual is reflect.DeepEqual, except that nil and empty slices are equal.
func deepEqual(got, want any) bool {
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() == reflect.Slice && w.Kind() == reflect.Slice && g.Len() == 0 && w.Len() == 0 {
		return g.Type() == w.Type()
	}
	return reflect.DeepEqual(got, want)
}

// checkEqual reports a test error when got differs from want.
func checkEqual(t testing.TB, got, want any, what string, args ...any) {
	t.Helper()
	if !deepEqual(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", fmt.Sprintf(what, args...), got, want)
	}
}

// mustEqual stops the test when got differs from want.
func mustEqual(t testing.TB, got, want any, what string, args ...any) {
	t.Helper()
	if !deepEqual(got, want) {
		t.Fatalf("%s:\n got %v\nwant %v", fmt.Sprintf(what, args...), got, want)
	}
}

// mustPanic checks that f panics with the value want.
func mustPanic(t testing.TB, want any, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		if got := recover(); got != want {
			t.Fatalf("panic value %v, want %v", got, want)
		}
	}()
	f()
}

func mustBeValidTree[V comparable](t testing.TB, tr *interval.Tree[V]) {
	t.Helper()
	if err := interval.ValidateTree(tr); err != nil {
		t.Fatal(err)
	}
}

// collect gathers an iterator's pairs as entries.
func collect[V any](seq func(func(interval.Interval, V) bool)) []interval.Entry[V] {
	var out []interval.Entry[V]
	for k, v := range seq {
		out = append(out, interval.Entry[V]{Interval: k, Value: v})
	}
	return out
}

func TestTreeZeroValue(t *testing.T) {
	var tr interval.Tree[string]
	mustBeValidTree(t, &tr)
	checkEqual(t, tr.Len(), 0, "Len")
	checkEqual(t, collect(tr.All()), []entry(nil), "All")
	checkEqual(t, tr.AppendOverlapping(nil, iv{math.MinInt64, math.MaxInt64}), []entry(nil), "AppendOverlapping")
	checkEqual(t, tr.Delete(iv{0, 1}, ""), false, "Delete")
}

func TestTreeQueries(t *testing.T) {
	stored := []entry{
		{iv{1, 3}, "a"}, {iv{3, 5}, "b"}, {iv{0, 10}, "c"}, {iv{3, 5}, "d"}, {iv{7, 8}, "e"},
		{iv{math.MinInt64, -100}, "lo"}, {iv{100, math.MaxInt64}, "hi"},
	}
	var tr interval.Tree[string]
	for _, e := range stored {
		if !tr.Insert(e.Interval, e.Value) {
			t.Fatalf("Insert(%v) = false", e)
		}
		mustBeValidTree(t, &tr)
	}
	tests := []struct {
		name string
		give iv
		want []entry
	}{
		{"touching on the left", iv{5, 7}, []entry{{iv{0, 10}, "c"}}},
		{"touching on the right", iv{-1, 0}, nil},
		{"one instant at a shared bound", iv{3, 4}, []entry{{iv{0, 10}, "c"}, {iv{3, 5}, "b"}, {iv{3, 5}, "d"}}},
		{"one instant before a shared bound", iv{2, 3}, []entry{{iv{0, 10}, "c"}, {iv{1, 3}, "a"}}},
		{"wide", iv{2, 8}, []entry{{iv{0, 10}, "c"}, {iv{1, 3}, "a"}, {iv{3, 5}, "b"}, {iv{3, 5}, "d"}, {iv{7, 8}, "e"}}},
		{"empty query", iv{4, 4}, nil},
		{"reversed query", iv{8, 2}, nil},
		{"gap", iv{10, 100}, nil},
		{"lowest instants", iv{math.MinInt64, math.MinInt64 + 1}, []entry{{iv{math.MinInt64, -100}, "lo"}}},
		{"highest instants", iv{math.MaxInt64 - 1, math.MaxInt64}, []entry{{iv{100, math.MaxInt64}, "hi"}}},
		{"everything", iv{math.MinInt64, math.MaxInt64}, []entry{
			{iv{math.MinInt64, -100}, "lo"}, {iv{0, 10}, "c"}, {iv{1, 3}, "a"}, {iv{3, 5}, "b"}, {iv{3, 5}, "d"},
			{iv{7, 8}, "e"}, {iv{100, math.MaxInt64}, "hi"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEqual(t, tr.AppendOverlapping(nil, tt.give), tt.want, "AppendOverlapping")
		})
	}
}

func TestTreeInsertDelete(t *testing.T) {
	var tr interval.Tree[string]
	defer mustBeValidTree(t, &tr)

	checkEqual(t, tr.Insert(iv{5, 5}, "empty"), false, "Insert(empty)")
	checkEqual(t, tr.Insert(iv{6, 5}, "reversed"), false, "Insert(reversed)")
	checkEqual(t, tr.Len(), 0, "Len")

	for _, v := range []string{"x", "y", "x", "z"} {
		mustEqual(t, tr.Insert(iv{1, 2}, v), true, "Insert(%s)", v)
		mustBeValidTree(t, &tr)
	}
	checkEqual(t, tr.Len(), 4, "Len")
	checkEqual(t, collect(tr.All()), []entry{{iv{1, 2}, "x"}, {iv{1, 2}, "y"}, {iv{1, 2}, "x"}, {iv{1, 2}, "z"}}, "All")

	// The earliest inserted match goes: the remaining x now follows y.
	checkEqual(t, tr.Delete(iv{1, 2}, "x"), true, "Delete(x)")
	mustBeValidTree(t, &tr)
	checkEqual(t, collect(tr.All()), []entry{{iv{1, 2}, "y"}, {iv{1, 2}, "x"}, {iv{1, 2}, "z"}}, "All after Delete")

	checkEqual(t, tr.Delete(iv{1, 3}, "y"), false, "Delete with another interval")
	checkEqual(t, tr.Delete(iv{1, 2}, "w"), false, "Delete with another value")
	checkEqual(t, tr.Delete(iv{2, 1}, "y"), false, "Delete with an empty interval")
	checkEqual(t, tr.Len(), 3, "Len")

	for _, v := range []string{"x", "y", "z"} {
		checkEqual(t, tr.Delete(iv{1, 2}, v), true, "Delete(%s)", v)
		mustBeValidTree(t, &tr)
	}
	checkEqual(t, tr.Len(), 0, "Len")
	checkEqual(t, tr.Delete(iv{1, 2}, "x"), false, "Delete from empty")

	mustEqual(t, tr.Insert(iv{0, 1}, "again"), true, "Insert after emptying")
	checkEqual(t, collect(tr.All()), []entry{{iv{0, 1}, "again"}}, "All")
}

func TestTreeIteratorStops(t *testing.T) {
	var tr interval.Tree[int]
	for i := range 10 {
		tr.Insert(iv{0, int64(i) + 1}, i)
	}
	calls := 0
	for range tr.All() {
		calls++
		if calls == 3 {
			break
		}
	}
	checkEqual(t, calls, 3, "loop bodies run")
}

func TestTreeMutationDuringIterationPanics(t *testing.T) {
	mutations := map[string]func(*interval.Tree[int]){
		"Insert": func(tr *interval.Tree[int]) { tr.Insert(iv{100, 200}, 9) },
		"Delete": func(tr *interval.Tree[int]) { tr.Delete(iv{0, 3}, 2) },
	}
	for name, mutate := range mutations {
		t.Run(name, func(t *testing.T) {
			var tr interval.Tree[int]
			for i := range 10 {
				tr.Insert(iv{0, int64(i) + 1}, i)
			}
			mustPanic(t, "interval: Tree mutated during iteration", func() {
				for range tr.All() {
					mutate(&tr)
				}
			})
			mustBeValidTree(t, &tr)
		})
	}
}

// treeOps drives a Tree and the slice model with the same random operations
// and compares them after every step.
type treeOps struct {
	t     *testing.T
	tree  interval.Tree[int]
	model treeoracle.Model[int]
}

func (o *treeOps) insert(q iv, v int) {
	o.t.Helper()
	mustEqual(o.t, o.tree.Insert(q, v), o.model.Insert(q, v), "Insert(%v, %d)", q, v)
	o.check()
}

func (o *treeOps) delete(q iv, v int) {
	o.t.Helper()
	mustEqual(o.t, o.tree.Delete(q, v), o.model.Delete(q, v), "Delete(%v, %d)", q, v)
	o.check()
}

func (o *treeOps) check() {
	o.t.Helper()
	mustBeValidTree(o.t, &o.tree)
	mustEqual(o.t, o.tree.Len(), o.model.Len(), "Len")
}

func (o *treeOps) query(q iv) {
	o.t.Helper()
	want := o.model.Overlapping(q)
	prefix := []interval.Entry[int]{{Interval: iv{-1, 1}, Value: -1}}
	mustEqual(o.t, o.tree.AppendOverlapping(prefix, q), append(prefix, want...), "AppendOverlapping(%v)", q)
}

func (o *treeOps) all() {
	o.t.Helper()
	mustEqual(o.t, collect(o.tree.All()), o.model.All(), "All")
}

func TestTreeModel(t *testing.T) {
	seeds, steps := 12, 4000
	if testing.Short() {
		seeds, steps = 3, 400
	}
	for seed := range uint64(seeds) {
		// Even seeds crowd small intervals into a narrow range (many
		// duplicates and touching bounds); odd seeds spread them out so the
		// tree grows deep.
		width := int64(40)
		if seed%2 == 1 {
			width = 1 << 20
		}
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			o := &treeOps{t: t}
			randIv := func() iv {
				start := rng.Int64N(width) - width/2
				return iv{start, start + rng.Int64N(width/4+3) - 2}
			}
			for range steps {
				switch p := rng.IntN(100); {
				case p < 45:
					o.insert(randIv(), rng.IntN(4))
				case p < 65 && o.model.Len() > 0:
					e := o.model.Entries()[rng.IntN(o.model.Len())]
					o.delete(e.Interval, e.Value)
				case p < 72:
					o.delete(randIv(), rng.IntN(4))
				case p < 98:
					o.query(randIv())
				default:
					o.all()
				}
			}
			o.all()
		})
	}
}

func FuzzTree(f *testing.F) {
	f.Add([]byte{0, 1, 5, 0, 0, 3, 4, 1, 3, 0, 20, 0})
	f.Add([]byte{0, 0, 4, 0, 0, 0, 4, 0, 1, 0, 4, 0, 2, 0, 4, 0, 3, 0, 4, 0})
	f.Add([]byte{0, 10, 3, 1, 0, 12, 3, 1, 0, 11, 5, 2, 4, 0, 0, 0, 3, 11, 2, 0, 5, 0, 0, 0})
	f.Add(binary.LittleEndian.AppendUint64(nil, 0x0123456789abcdef))
	f.Fuzz(func(t *testing.T, ops []byte) {
		// Long inputs add nothing but time: every step checks the whole tree.
		if len(ops) > 4*256 {
			ops = ops[:4*256]
		}
		o := &treeOps{t: t}
		// Each operation is 4 bytes: kind, start, length-2, value.
		for ; len(ops) >= 4; ops = ops[4:] {
			start := int64(int8(ops[1]))
			q := iv{start, start + int64(ops[2]%32) - 2}
			v := int(ops[3] % 4)
			switch ops[0] % 8 {
			case 0, 1, 2:
				o.insert(q, v)
			case 3:
				o.delete(q, v)
			case 4:
				if n := o.model.Len(); n > 0 {
					e := o.model.Entries()[int(ops[1])%n]
					o.delete(e.Interval, e.Value)
				}
			case 5, 6:
				o.query(q)
			case 7:
				o.all()
			}
		}
		o.all()
	})
}

// TestTreeConcurrentReads backs the concurrency contract: queries only read,
// so the race detector stays silent and every goroutine sees the same
// answers.
func TestTreeConcurrentReads(t *testing.T) {
	entries, queries := treeoracle.Workload(2000, 2, 200, 5)
	var tr interval.Tree[int]
	for _, e := range entries {
		tr.Insert(e.Interval, e.Value)
	}
	static := interval.NewStatic(entries)
	want := make([][]interval.Entry[int], len(queries))
	for i, q := range queries {
		want[i] = tr.AppendOverlapping(nil, q)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, q := range queries {
				got := tr.AppendOverlapping(nil, q)
				if g%2 == 1 {
					got = static.AppendOverlapping(nil, q)
				}
				if !deepEqual(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d, query %v: got %v, want %v", g, q, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
