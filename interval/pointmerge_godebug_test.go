//go:build amd64 && !purego

package interval

import (
	"slices"
	"testing"
)

// TestVectorMergeGODEBUG checks which forms of the vector merge GODEBUG's
// cpu options leave on a processor with every feature they need.
func TestVectorMergeGODEBUG(t *testing.T) {
	all := x86Features{popcnt: true, bmi2: true, avx2: true, avx512f: true, avx512vbmi2: true}
	for _, tt := range []struct {
		env  string
		want []string
	}{
		{"", []string{"avx512vbmi2", "avx512", "avx2"}},
		{"cpu.avx512f=off", []string{"avx2"}},
		{"cpu.avx2=off", []string{"avx512vbmi2", "avx512"}},
		{"cpu.avx512f=off,cpu.avx2=off", nil},
		{"cpu.all=off", nil},
		{"cpu.all=off,cpu.avx2=on", nil},
		{"cpu.all=off,cpu.avx2=on,cpu.bmi2=on,cpu.popcnt=on", []string{"avx2"}},
		{"cpu.avx2=off,cpu.all=on", []string{"avx512vbmi2", "avx512", "avx2"}},
		{"cpu.bmi2=off", nil},
		{"cpu.popcnt=off", nil},
		{"gctrace=1,cpu.avx512f=off,madvdontneed=1", []string{"avx2"}},
		{"cpu.avx512f=maybe,cpu.avx512f", []string{"avx512vbmi2", "avx512", "avx2"}},
		{"avx512f=off", []string{"avx512vbmi2", "avx512", "avx2"}},
	} {
		var got []string
		for _, m := range all.withGODEBUG(tt.env).vectorMerges() {
			got = append(got, m.name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("GODEBUG=%q: forms %v, want %v", tt.env, got, tt.want)
		}
	}
	// Options cannot turn on what the processor lacks.
	if got := (x86Features{popcnt: true, bmi2: true, avx2: true}).withGODEBUG("cpu.avx512f=on").vectorMerges(); len(got) != 1 || got[0].name != "avx2" {
		t.Errorf("cpu.avx512f=on without AVX-512: %d forms", len(got))
	}
}
