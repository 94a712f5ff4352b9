package agenda

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMergeSlotRecs holds the k-way merge against a plain sort.
func TestMergeSlotRecs(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 3))
		lists := make([][]slotRec, rng.IntN(8))
		var all []slotRec
		for a := range lists {
			n := rng.IntN(20)
			for range n {
				lists[a] = append(lists[a], slotRec{start: int64(rng.IntN(30)), agent: int32(a), place: int32(rng.IntN(3))})
			}
			slices.SortFunc(lists[a], compareSlotRecs)
			lists[a] = slices.CompactFunc(lists[a], func(x, y slotRec) bool { return compareSlotRecs(x, y) == 0 })
			all = append(all, lists[a]...)
		}
		slices.SortFunc(all, compareSlotRecs)
		got := mergeSlotRecs(lists, len(all))
		if fmt.Sprint(got) != fmt.Sprint(all) {
			t.Fatalf("seed %d: merge\n got %v\nwant %v", seed, got, all)
		}
	}
}
