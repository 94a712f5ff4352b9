package benchmarks

import (
	"runtime"
	"testing"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// BenchmarkBuild measures agenda.New on generated datasets: Small,
// Departement, and the scale CROSSAGENDA_BENCH_SCALE names when it is
// bigger. It reports the build time per appointment and the heap the
// index keeps per appointment, measured once around a separate build
// (after a GC on each side, so only what the index holds is counted).
func BenchmarkBuild(b *testing.B) {
	scales := []gen.Scale{gen.Small, gen.Departement}
	if s, err := benchScale(); err != nil {
		b.Fatal(err)
	} else if s.TargetAppointments > gen.Departement.TargetAppointments {
		scales = append(scales, s)
	}
	for _, s := range scales {
		b.Run("scale="+s.Name, func(b *testing.B) {
			ds := rawDataset(s)
			n := float64(len(ds.Appointments))
			kept := indexHeap(b, ds)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := agenda.New(ds); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/appt")
			b.ReportMetric(float64(kept)/n, "B/appt")
			b.ReportMetric(n, "appts")
		})
	}
}

// indexHeap returns the bytes of live heap an index of ds holds.
func indexHeap(b *testing.B, ds *agenda.Dataset) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, err := agenda.New(ds)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ix)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}
