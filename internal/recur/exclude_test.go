package recur

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExcludeRemovesDates holds a rule with Exclude to the same rule
// without it, minus the excluded dates, through every way of reading the
// occurrences: AppendBetween, Between, Next, Prev and Bounds.
func TestExcludeRemovesDates(t *testing.T) {
	first := civil.DateOf(2026, 1, 5)
	rules := []string{"", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;COUNT=6;BYDAY=MO,TU",
		"FREQ=MONTHLY;BYDAY=1MO,-1FR", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=YEARLY;INTERVAL=2"}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 13))
		for _, rr := range rules {
			hasUntil := rng.IntN(2) == 0
			plain, err := Compile(Spec{RRule: rr, First: first, Until: first + 400, HasUntil: hasUntil})
			require.NoError(t, err)
			all, err := plain.AppendBetween(nil, first-10, first+800, 0)
			require.NoError(t, err)
			var ex []civil.Date
			for range rng.IntN(6) {
				if len(all) > 0 && rng.IntN(3) > 0 {
					ex = append(ex, all[rng.IntN(len(all))]) // an occurrence
				} else {
					ex = append(ex, first+civil.Date(rng.IntN(500))) // maybe not one
				}
			}
			want := slices.DeleteFunc(slices.Clone(all), func(d civil.Date) bool { return slices.Contains(ex, d) })
			if len(want) == 0 {
				want = nil
			}
			r, err := Compile(Spec{RRule: rr, First: first, Until: first + 400, HasUntil: hasUntil, Exclude: ex})
			require.NoError(t, err)
			got, err := r.AppendBetween(nil, first-10, first+800, 0)
			require.NoError(t, err)
			assert.Equal(t, want, slices.Clip(append([]civil.Date(nil), got...)), "seed %d rule %q exclude %v", seed, rr, ex)
			assert.Equal(t, want, slices.Collect(r.Between(first-10, first+800)), "Between")
			var nexts []civil.Date
			for d, ok := r.Next(first - 10); ok && d < first+800; d, ok = r.Next(d + 1) {
				nexts = append(nexts, d)
			}
			assert.Equal(t, want, nexts, "Next")
			if len(want) > 0 {
				p, ok := r.Prev(want[len(want)-1] + 1)
				assert.True(t, ok)
				assert.Equal(t, want[len(want)-1], p, "Prev")
				f, _, _ := r.Bounds()
				assert.Equal(t, want[0], f, "Bounds first")
			}
		}
	}
}

// TestExcludeCountCountsExcluded pins RFC 5545: COUNT counts the
// occurrences before EXDATE removes some.
func TestExcludeCountCountsExcluded(t *testing.T) {
	first := civil.DateOf(2026, 3, 2) // a Monday
	r, err := Compile(Spec{RRule: "FREQ=DAILY;COUNT=3", First: first, Exclude: []civil.Date{first + 1}})
	require.NoError(t, err)
	got, err := r.AppendBetween(nil, first, first+10, 0)
	require.NoError(t, err)
	assert.Equal(t, []civil.Date{first, first + 2}, got)
	_, last, bounded := r.Bounds()
	assert.True(t, bounded)
	assert.Equal(t, first+2, last)

	none, err := Compile(Spec{First: first, Exclude: []civil.Date{first}})
	require.NoError(t, err)
	f, l, bounded := none.Bounds()
	assert.True(t, bounded && f > l, "a single occurrence excluded leaves none")
}
