package interval_test

import (
	"fmt"

	"github.com/crossagenda/crossagenda/interval"
)

func ExampleTree() {
	// Appointments of one agent, in minutes since midnight.
	var busy interval.Tree[string]
	busy.Insert(interval.Interval{Start: 9 * 60, End: 10 * 60}, "consultation")
	busy.Insert(interval.Interval{Start: 10 * 60, End: 10*60 + 30}, "phone call")
	busy.Insert(interval.Interval{Start: 14 * 60, End: 16 * 60}, "workshop")

	// Which appointments fall in 09:30-10:15? The phone call starting at
	// 10:00 does; an interval ending at 09:30 would not.
	for _, e := range busy.AppendOverlapping(nil, interval.Interval{Start: 9*60 + 30, End: 10*60 + 15}) {
		fmt.Printf("%02d:%02d-%02d:%02d %s\n", e.Start/60, e.Start%60, e.End/60, e.End%60, e.Value)
	}

	// The consultation is cancelled.
	busy.Delete(interval.Interval{Start: 9 * 60, End: 10 * 60}, "consultation")
	fmt.Println(busy.Len())
	// Output:
	// 09:00-10:00 consultation
	// 10:00-10:30 phone call
	// 2
}

func ExampleTree_AppendOverlapping() {
	var tr interval.Tree[string]
	tr.Insert(interval.Interval{Start: 1, End: 4}, "a")
	tr.Insert(interval.Interval{Start: 3, End: 6}, "b")
	tr.Insert(interval.Interval{Start: 6, End: 9}, "c")

	// A buffer reused across queries: no allocation once it is large enough.
	buf := make([]interval.Entry[string], 0, 8)
	for _, q := range []interval.Interval{{Start: 0, End: 2}, {Start: 5, End: 7}} {
		buf = tr.AppendOverlapping(buf[:0], q)
		fmt.Println(q, buf)
	}
	// Output:
	// {0 2} [{{1 4} a}]
	// {5 7} [{{3 6} b} {{6 9} c}]
}

func ExampleStatic() {
	// Closed days, known in advance and never changed: build once, query
	// often.
	closed := interval.NewStatic([]interval.Entry[string]{
		{Interval: interval.Interval{Start: 20, End: 21}, Value: "holiday"},
		{Interval: interval.Interval{Start: 3, End: 5}, Value: "training"},
		{Interval: interval.Interval{Start: 7, End: 7}, Value: "empty, dropped"},
		{Interval: interval.Interval{Start: 0, End: 30}, Value: "renovation"},
	})
	fmt.Println(closed.Len())
	for _, e := range closed.AppendOverlapping(nil, interval.Interval{Start: 4, End: 21}) {
		fmt.Println(e.Interval, e.Value)
	}
	fmt.Println(len(closed.AppendOverlapping(nil, interval.Interval{Start: 30, End: 40})))
	// Output:
	// 3
	// {0 30} renovation
	// {3 5} training
	// {20 21} holiday
	// 0
}
