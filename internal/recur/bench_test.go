package recur

import (
	"testing"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// BenchmarkAppendBetween expands one month of rules started five years
// earlier: the fast path's cost per query, without instants.
func BenchmarkAppendBetween(b *testing.B) {
	from, to := d("2026-12-01"), d("2027-01-01")
	for _, tt := range []struct{ name, rule string }{
		{"weekly", "FREQ=WEEKLY;BYDAY=MO,TU,TH"},
		{"daily", "FREQ=DAILY"},
		{"monthly-nth", "FREQ=MONTHLY;BYDAY=2TU,-1FR"},
		{"monthly-setpos", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"},
		{"yearly", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"},
	} {
		r, err := Compile(Spec{RRule: tt.rule, First: d("2021-12-01")})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("rule="+tt.name, func(b *testing.B) {
			b.ReportAllocs()
			dst := make([]civil.Date, 0, 64)
			for b.Loop() {
				dst, _ = r.AppendBetween(dst[:0], from, to, 0)
			}
			b.ReportMetric(float64(len(dst)), "occurrences")
		})
	}
}
