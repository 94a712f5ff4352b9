package intervaloracle_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

type span = interval.Interval

// The model is checked on cases small enough to verify by hand.
func TestBits(t *testing.T) {
	a := intervaloracle.FromIntervals(span{Start: 5, End: 3}, span{Start: 1, End: 3}, span{Start: 3, End: 4}, span{Start: 10, End: 12}, span{Start: 2046, End: 5000}, span{Start: -9, End: 0})
	b := intervaloracle.FromIntervals(span{Start: 2, End: 11})
	tests := []struct {
		name string
		give intervaloracle.Bits
		want []span
	}{
		{"runs", a, []span{{Start: 1, End: 4}, {Start: 10, End: 12}, {Start: 2046, End: 2048}}},
		{"union", a.Union(b), []span{{Start: 1, End: 12}, {Start: 2046, End: 2048}}},
		{"intersect", a.Intersect(b), []span{{Start: 2, End: 4}, {Start: 10, End: 11}}},
		{"subtract", a.Subtract(b), []span{{Start: 1, End: 2}, {Start: 11, End: 12}, {Start: 2046, End: 2048}}},
		{"clip", a.Clip(span{Start: 3, End: 2047}), []span{{Start: 3, End: 4}, {Start: 10, End: 12}, {Start: 2046, End: 2047}}},
		{"at least 2 of 3", intervaloracle.AtLeast(2, a, b, intervaloracle.FromIntervals(span{Start: 0, End: 2})), []span{{Start: 1, End: 4}, {Start: 10, End: 11}}},
		{"at least 0", intervaloracle.AtLeast(0), []span{{Start: 0, End: 2048}}},
		{"empty", intervaloracle.Bits{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.Intervals(); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRandomIntervalsStayInRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		for _, iv := range intervaloracle.RandomIntervals(r, 50) {
			if iv.Start < 0 || iv.End < 0 || iv.Start > intervaloracle.Size || iv.End > intervaloracle.Size {
				t.Fatalf("interval %v outside [0, %d]", iv, intervaloracle.Size)
			}
		}
		w := intervaloracle.RandomWindow(r)
		if w.Start < 0 || w.End > intervaloracle.Size {
			t.Fatalf("window %v outside [0, %d]", w, intervaloracle.Size)
		}
	}
}
