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

func ExampleAppendAtLeast() {
	// Free time of three agents: when is one free, when two, when all three?
	ana := []interval.Interval{{Start: 9, End: 12}, {Start: 14, End: 17}}
	ben := []interval.Interval{{Start: 11, End: 15}}
	chloe := []interval.Interval{{Start: 8, End: 10}, {Start: 16, End: 18}}
	fmt.Println(interval.AppendAtLeast(nil, 1, ana, ben, chloe))
	fmt.Println(interval.AppendAtLeast(nil, 2, ana, ben, chloe))
	fmt.Println(interval.AppendAtLeast(nil, 3, ana, ben, chloe))
	// Output:
	// [{8 18}]
	// [{9 10} {11 12} {14 15} {16 17}]
	// []
}
