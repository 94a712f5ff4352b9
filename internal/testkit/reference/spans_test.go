package reference

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// h is hour n of a fixed day, to keep the interval tables short.
func h(n float64) time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n * float64(time.Hour)))
}

func sp(a, b float64) Span { return Span{h(a), h(b)} }

func TestUnion(t *testing.T) {
	tests := []struct {
		name string
		give []Span
		want []Span
	}{
		{"empty", nil, nil},
		{"drops empty spans", []Span{sp(3, 3), sp(5, 4)}, nil},
		{"sorts", []Span{sp(5, 6), sp(1, 2)}, []Span{sp(1, 2), sp(5, 6)}},
		{"merges touching", []Span{sp(1, 2), sp(2, 3)}, []Span{sp(1, 3)}},
		{"merges nested", []Span{sp(1, 9), sp(2, 3), sp(4, 5)}, []Span{sp(1, 9)}},
		{"merges chains", []Span{sp(4, 6), sp(1, 3), sp(2, 5), sp(8, 9)}, []Span{sp(1, 6), sp(8, 9)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, union(tt.give))
		})
	}
}

func TestSubtract(t *testing.T) {
	tests := []struct {
		name string
		a, b []Span
		want []Span
	}{
		{"nothing to remove", []Span{sp(9, 17)}, nil, []Span{sp(9, 17)}},
		{"hole in the middle", []Span{sp(9, 17)}, []Span{sp(12, 13)}, []Span{sp(9, 12), sp(13, 17)}},
		// The nested busy interval must not swallow the rest of the day.
		{"nested cut", []Span{sp(9, 17)}, []Span{sp(9, 12), sp(10, 10.5)}, []Span{sp(12, 17)}},
		{"cut over both ends", []Span{sp(9, 12), sp(14, 17)}, []Span{sp(11, 15)}, []Span{sp(9, 11), sp(15, 17)}},
		{"all removed", []Span{sp(9, 12)}, []Span{sp(8, 13)}, nil},
		{"touching cuts remove nothing", []Span{sp(9, 12)}, []Span{sp(7, 9), sp(12, 13)}, []Span{sp(9, 12)}},
		{"unsorted input", []Span{sp(14, 17), sp(9, 12)}, []Span{sp(16, 20), sp(8, 10)}, []Span{sp(10, 12), sp(14, 16)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, subtract(tt.a, tt.b))
		})
	}
}

func TestClip(t *testing.T) {
	assert.Equal(t, []Span{sp(10, 12), sp(14, 15)}, clip([]Span{sp(9, 12), sp(14, 17), sp(18, 19)}, h(10), h(15)))
	assert.Nil(t, clip([]Span{sp(9, 10)}, h(10), h(15)))
}

func TestCovered(t *testing.T) {
	a := []Span{sp(9, 12), sp(14, 18)}
	b := []Span{sp(10, 13.5)}
	c := []Span{sp(11, 13), sp(11.5, 12.5), sp(17, 19)}
	sets := [][]Span{a, b, c}
	assert.Equal(t, []Span{sp(9, 13.5), sp(14, 19)}, covered(sets, 1))
	assert.Equal(t, []Span{sp(10, 13), sp(17, 18)}, covered(sets, 2))
	assert.Equal(t, []Span{sp(11, 12)}, covered(sets, 3))
}
