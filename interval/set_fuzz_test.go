package interval_test

import (
	"slices"
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/intervaloracle"
	"github.com/crossagenda/crossagenda/interval"
)

// setDecode turns fuzz bytes into raw intervals inside the oracle's range,
// three bytes each: 11 bits of Start, 6 of length (offset so that a few are
// empty or inverted) and one bit that stretches the length.
func setDecode(data []byte) []interval.Interval {
	out := make([]interval.Interval, 0, len(data)/3)
	for ; len(data) >= 3; data = data[3:] {
		v := uint32(data[0]) | uint32(data[1])<<8 | uint32(data[2])<<16
		start := int64(v & (intervaloracle.Size - 1))
		length := int64(v>>11&63) - 8
		if v>>17&1 == 1 {
			length *= 24
		}
		end := min(max(start+length, 0), intervaloracle.Size)
		out = append(out, interval.Interval{Start: start, End: end})
	}
	return out
}

// setDecodeSets splits data into 1 to 8 slices of raw intervals; the first
// byte says how many.
func setDecodeSets(data []byte) [][]interval.Interval {
	if len(data) == 0 {
		return nil
	}
	n := int(data[0]%8) + 1
	data = data[1:]
	per := (len(data) / 3 / n) * 3
	sets := make([][]interval.Interval, n)
	for i := range sets {
		chunk := data[min(i*per, len(data)):min((i+1)*per, len(data))]
		if i == n-1 {
			chunk = data[min(i*per, len(data)):]
		}
		sets[i] = setDecode(chunk)
	}
	return sets
}

// setFuzzPair decodes two slices, checks Normalize on both against the
// oracle, and returns raw and normalised forms.
func setFuzzPair(t *testing.T, da, db []byte) (rawA, rawB, a, b []interval.Interval, oa, ob bits) {
	rawA, rawB = setDecode(da), setDecode(db)
	a = interval.Normalize(slices.Clone(rawA))
	b = interval.Normalize(slices.Clone(rawB))
	oa, ob = intervaloracle.FromIntervals(rawA...), intervaloracle.FromIntervals(rawB...)
	assertSetIs(t, oa, a, "Normalize(%v)", rawA)
	assertSetIs(t, ob, b, "Normalize(%v)", rawB)
	return rawA, rawB, a, b, oa, ob
}

// setRoom returns an empty dst with room for any result on a and b, so that
// the merges run without growing it (nil dst makes them grow it).
func setRoom(a, b []interval.Interval) []interval.Interval {
	return make([]interval.Interval, 0, len(a)+len(b))
}

func setFuzzSeeds(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1, 0, 0}, []byte{})
	f.Add([]byte{10, 16, 0, 20, 24, 0}, []byte{15, 40, 0})              // overlapping
	f.Add([]byte{10, 80, 0, 18, 80, 0}, []byte{18, 64, 0})              // touching
	f.Add([]byte{0, 0, 2, 5, 8, 0, 9, 8, 0}, []byte{4, 64, 0, 5, 8, 0}) // long and nested
	f.Add([]byte{255, 255, 255, 0, 0, 0}, []byte{255, 7, 0, 254, 7, 3})
	// 150 short intervals against one or two: the galloping paths.
	var fine []byte
	for i := range uint32(150) {
		v := i*13 | (8+3+i%5)<<11
		fine = append(fine, byte(v), byte(v>>8), byte(v>>16))
	}
	f.Add(fine, []byte{100, 80, 2})
	f.Add([]byte{100, 80, 2, 0, 7, 2}, fine)
}

func FuzzUnion(f *testing.F) {
	setFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, da, db []byte) {
		rawA, rawB, a, b, oa, ob := setFuzzPair(t, da, db)
		assertSetIs(t, oa.Union(ob), interval.AppendUnion(nil, a, b), "AppendUnion(%v, %v)", a, b)
		assertSetIs(t, oa.Union(ob), interval.AppendUnion(setRoom(a, b), a, b), "AppendUnion(room, %v, %v)", a, b)
		interval.AppendUnion(nil, rawA, rawB) // unnormalised: must return
	})
}

func FuzzIntersect(f *testing.F) {
	setFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, da, db []byte) {
		rawA, rawB, a, b, oa, ob := setFuzzPair(t, da, db)
		assertSetIs(t, oa.Intersect(ob), interval.AppendIntersect(nil, a, b), "AppendIntersect(%v, %v)", a, b)
		assertSetIs(t, oa.Intersect(ob), interval.AppendIntersect(setRoom(a, b), a, b), "AppendIntersect(room, %v, %v)", a, b)
		assertSetIs(t, oa.Intersect(ob), interval.AppendAtLeast(nil, 3, a, b, a), "AppendAtLeast(3, a, b, a) a=%v b=%v", a, b)
		interval.AppendIntersect(nil, rawA, rawB)
		interval.AppendAtLeast(nil, 3, rawA, rawB, rawA)
	})
}

func FuzzSubtract(f *testing.F) {
	setFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, da, db []byte) {
		rawA, rawB, a, b, oa, ob := setFuzzPair(t, da, db)
		assertSetIs(t, oa.Subtract(ob), interval.AppendSubtract(nil, a, b), "AppendSubtract(%v, %v)", a, b)
		assertSetIs(t, oa.Subtract(ob), interval.AppendSubtract(setRoom(a, b), a, b), "AppendSubtract(room, %v, %v)", a, b)
		// b's first interval, if any, doubles as a window.
		w := interval.Interval{Start: 0, End: intervaloracle.Size}
		if len(rawB) > 0 {
			w = rawB[0]
		}
		assertSetIs(t, oa.Clip(w), interval.AppendClip(nil, a, w), "AppendClip(%v, %v)", a, w)
		interval.AppendSubtract(nil, rawA, rawB)
		interval.AppendClip(nil, rawA, w)
	})
}

// FuzzUnionMany holds the union of many slices, AppendAtLeast with k = 1,
// to the oracle.
func FuzzUnionMany(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 10, 16, 0, 20, 24, 0, 15, 40, 0, 1, 8, 0, 18, 64, 0, 90, 66, 3})
	f.Add([]byte{7, 0, 0, 2, 5, 8, 0, 9, 8, 0, 4, 64, 0, 5, 8, 0, 10, 80, 0, 18, 80, 0, 18, 64, 0, 30, 9, 0, 31, 9, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		raws := setDecodeSets(data)
		sets := make([][]interval.Interval, len(raws))
		var want bits
		for i, raw := range raws {
			sets[i] = interval.Normalize(slices.Clone(raw))
			want = want.Union(intervaloracle.FromIntervals(raw...))
		}
		assertSetIs(t, want, interval.AppendAtLeast(nil, 1, sets...), "AppendAtLeast(1, %v)", sets)
		interval.AppendAtLeast(nil, 1, raws...)
	})
}

func FuzzAtLeast(f *testing.F) {
	f.Add([]byte{}, int8(1))
	f.Add([]byte{2, 10, 16, 0, 20, 24, 0, 15, 40, 0, 1, 8, 0, 18, 64, 0, 90, 66, 3}, int8(2))
	f.Add([]byte{7, 0, 0, 2, 5, 8, 0, 9, 8, 0, 4, 64, 0, 5, 8, 0, 10, 80, 0, 18, 80, 0, 18, 64, 0, 30, 9, 0, 31, 9, 0}, int8(3))
	f.Add([]byte{3, 10, 80, 0, 18, 80, 0, 18, 64, 0, 10, 80, 0, 18, 80, 0, 18, 64, 0}, int8(0))
	f.Fuzz(func(t *testing.T, data []byte, kb int8) {
		k := int(uint8(kb)%11) - 1 // -1 to 9, around the 1 to 8 slices
		raws := setDecodeSets(data)
		sets := make([][]interval.Interval, len(raws))
		oracles := make([]bits, len(raws))
		for i, raw := range raws {
			sets[i] = interval.Normalize(slices.Clone(raw))
			oracles[i] = intervaloracle.FromIntervals(raw...)
		}
		want := intervaloracle.AtLeast(max(k, 1), oracles...)
		assertSetIs(t, want, interval.AppendAtLeast(nil, k, sets...), "AppendAtLeast(%d, %v)", k, sets)
		interval.AppendAtLeast(nil, k, raws...)
	})
}
