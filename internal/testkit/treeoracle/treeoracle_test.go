package treeoracle

import (
	"reflect"
	"testing"

	"github.com/crossagenda/crossagenda/interval"
)

func TestWorkload(t *testing.T) {
	entries, queries := Workload(20_000, 3, 500, 9)
	again, queriesAgain := Workload(20_000, 3, 500, 9)
	if !reflect.DeepEqual(entries, again) || !reflect.DeepEqual(queries, queriesAgain) {
		t.Fatal("the same arguments gave different workloads")
	}
	if len(entries) != 20_003 || len(queries) != 500 {
		t.Fatalf("got %d entries and %d queries, want 20003 and 500", len(entries), len(queries))
	}
	seen := map[interval.Interval]bool{}
	long := 0
	for i, e := range entries {
		if e.Value != i {
			t.Fatalf("entry %d has value %d", i, e.Value)
		}
		if seen[e.Interval] {
			t.Fatalf("interval %v twice", e.Interval)
		}
		seen[e.Interval] = true
		switch l := e.End - e.Start; {
		case l > MaxLen:
			long++
		case l < MinLen:
			t.Fatalf("entry %v shorter than MinLen", e)
		}
	}
	if long != 3 {
		t.Errorf("%d long entries, want 3", long)
	}
	hits := 0
	for _, q := range queries {
		if q.End-q.Start != QueryLen {
			t.Fatalf("query %v is not QueryLen long", q)
		}
		hits += len(Overlapping(entries, q))
	}
	// About 2 short entries per query, plus the 3 long ones nearly always.
	if avg := float64(hits) / float64(len(queries)); avg < 4 || avg > 6 {
		t.Errorf("%.2f hits per query, want about 5", avg)
	}
}

func TestModel(t *testing.T) {
	var m Model[string]
	if m.Insert(interval.Interval{Start: 3, End: 3}, "empty") {
		t.Error("Insert of an empty interval reported true")
	}
	m.Insert(interval.Interval{Start: 5, End: 9}, "a")
	m.Insert(interval.Interval{Start: 1, End: 6}, "b")
	m.Insert(interval.Interval{Start: 5, End: 9}, "c")
	m.Insert(interval.Interval{Start: 5, End: 9}, "a")
	want := []interval.Entry[string]{
		{Interval: interval.Interval{Start: 1, End: 6}, Value: "b"},
		{Interval: interval.Interval{Start: 5, End: 9}, Value: "a"},
		{Interval: interval.Interval{Start: 5, End: 9}, Value: "c"},
		{Interval: interval.Interval{Start: 5, End: 9}, Value: "a"},
	}
	if got := m.All(); !reflect.DeepEqual(got, want) {
		t.Errorf("All = %v, want %v", got, want)
	}
	if got := m.Overlapping(interval.Interval{Start: 6, End: 7}); !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("Overlapping([6,7)) = %v, want %v", got, want[1:])
	}
	if !m.Delete(interval.Interval{Start: 5, End: 9}, "a") || m.Delete(interval.Interval{Start: 5, End: 9}, "z") {
		t.Error("Delete reported the wrong result")
	}
	if got := m.All(); !reflect.DeepEqual(got, []interval.Entry[string]{want[0], want[2], want[3]}) {
		t.Errorf("after Delete, All = %v: the earliest inserted match should be gone", got)
	}
}
