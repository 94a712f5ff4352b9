package tz

import (
	"strings"
	"testing"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// BenchmarkInstant converts the 09:00 of 365 consecutive days, across both
// daylight-saving changes, with the compiled zone and with time.Date.
func BenchmarkInstant(b *testing.B) {
	for _, name := range []string{"Europe/Paris", "America/New_York", "Australia/Lord_Howe"} {
		z := mustLoad(b, name)
		first := civil.DateOf(2026, 1, 1)
		nine := civil.MakeTimeOfDay(9, 0, 0)
		prefix := "zone=" + strings.ReplaceAll(name, "/", "_")
		b.Run(prefix+"/impl=ours", func(b *testing.B) {
			b.ReportAllocs()
			var sink int64
			for b.Loop() {
				for i := range 365 {
					sink += z.Instant(first+civil.Date(i), nine)
				}
			}
			_ = sink
		})
		b.Run(prefix+"/impl=time.Date", func(b *testing.B) {
			b.ReportAllocs()
			var sink int64
			for b.Loop() {
				for i := range 365 {
					y, m, d := (first + civil.Date(i)).YMD()
					sink += timeDate(y, m, d, 9, z).Unix()
				}
			}
			_ = sink
		})
	}
}

func timeDate(y int, m time.Month, d, h int, z *Zone) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, z.Location())
}
