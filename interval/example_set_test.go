package interval_test

import (
	"fmt"

	"github.com/crossagenda/crossagenda/interval"
)

// Hours of one day stand in for instants in these examples.

func ExampleAppendUnion() {
	morning := []interval.Interval{{Start: 9, End: 12}}
	afternoon := []interval.Interval{{Start: 12, End: 14}, {Start: 16, End: 18}}
	// Touching intervals merge: [9,12) and [12,14) become [9,14).
	fmt.Println(interval.AppendUnion(nil, morning, afternoon))
	// Output: [{9 14} {16 18}]
}

func ExampleAppendSubtract() {
	open := []interval.Interval{{Start: 9, End: 12}, {Start: 14, End: 18}}
	busy := []interval.Interval{{Start: 10, End: 11}, {Start: 11, End: 15}}
	busy = interval.Normalize(busy) // merges the touching busy intervals

	fmt.Println(interval.AppendSubtract(nil, open, busy))
	// Output: [{9 10} {15 18}]
}

func ExampleAppendComplement() {
	busy := []interval.Interval{{Start: 10, End: 11}, {Start: 13, End: 15}}
	day := interval.Interval{Start: 8, End: 18}
	fmt.Println(interval.AppendComplement(nil, busy, day))
	// Output: [{8 10} {11 13} {15 18}]
}

func ExampleAppendAtLeast() {
	// Free time of three agents; when are at least two free together?
	ana := []interval.Interval{{Start: 9, End: 12}, {Start: 14, End: 17}}
	ben := []interval.Interval{{Start: 11, End: 15}}
	chloe := []interval.Interval{{Start: 8, End: 10}, {Start: 16, End: 18}}
	fmt.Println(interval.AppendAtLeast(nil, 2, ana, ben, chloe))
	fmt.Println(interval.AppendAtLeast(nil, 3, ana, ben, chloe))
	// Output:
	// [{9 10} {11 12} {14 15} {16 17}]
	// []
}

func ExampleAppendUnionAll() {
	busy := [][]interval.Interval{
		{{Start: 9, End: 10}, {Start: 15, End: 16}},
		{{Start: 10, End: 11}},
		{{Start: 13, End: 14}, {Start: 15, End: 17}},
	}
	dst := make([]interval.Interval, 0, 8) // with room, nothing is allocated
	fmt.Println(interval.AppendUnionAll(dst, busy...))
	// Output: [{9 11} {13 14} {15 17}]
}

func ExampleMerger() {
	// A Merger keeps its storage between calls: one per goroutine, reused.
	var m interval.Merger
	var dst []interval.Interval
	for _, day := range [][][]interval.Interval{
		{{{Start: 9, End: 12}}, {{Start: 10, End: 13}}},
		{{{Start: 8, End: 9}}, {{Start: 9, End: 10}}, {{Start: 14, End: 15}}},
	} {
		dst = m.AppendUnionAll(dst[:0], day...)
		fmt.Println(dst)
	}
	// Output:
	// [{9 13}]
	// [{8 10} {14 15}]
}

func ExampleSet() {
	var busy interval.Set // the zero Set is empty and ready
	busy.Add(interval.Interval{Start: 13, End: 14})
	busy.Add(interval.Interval{Start: 9, End: 10})
	busy.Add(interval.Interval{Start: 10, End: 11}) // touches [9,10): merged
	fmt.Println(busy, busy.Len(), busy.TotalLength())

	day := interval.Interval{Start: 8, End: 18}
	free := busy.Complement(day)
	fmt.Println(free)
	fmt.Println(free.Contains(12), free.Covers(interval.Interval{Start: 11, End: 13}), free.Overlaps(interval.Interval{Start: 13, End: 14}))

	lunch := interval.NewSet(interval.Interval{Start: 12, End: 14})
	fmt.Println(free.Subtract(lunch))
	for iv := range free.Overlapping(interval.Interval{Start: 10, End: 12}) {
		fmt.Println("free from", iv.Start, "to", iv.End)
	}
	// Output:
	// {[9,11) [13,14)} 2 3
	// {[8,9) [11,13) [14,18)}
	// true true false
	// {[8,9) [11,12) [14,18)}
	// free from 11 to 13
}
