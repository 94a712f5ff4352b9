package gen_test

import (
	"testing"

	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func BenchmarkGenerate(b *testing.B) {
	for _, s := range []gen.Scale{gen.Small, gen.Departement} {
		b.Run("scale="+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = len(gen.Generate(s, 1).Appointments)
			}
			b.ReportMetric(float64(n), "appointments")
		})
	}
}

func BenchmarkRandom(b *testing.B) {
	b.ReportAllocs()
	seed := uint64(0)
	for b.Loop() {
		gen.Random(seed, gen.RandomConfig{})
		seed++
	}
}
