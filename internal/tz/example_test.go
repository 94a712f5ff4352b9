package tz_test

import (
	"fmt"
	"time"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

// On the spring-forward day in Paris, 02:30 does not exist: it is read with
// the winter offset, landing at 03:30 CEST. On the fall-back day 02:30
// happens twice and means the first one, still in summer time.
func ExampleZone_Instant() {
	paris, err := tz.Load("Europe/Paris")
	if err != nil {
		panic(err)
	}
	at := civil.MakeTimeOfDay(2, 30, 0)
	for _, d := range []civil.Date{civil.DateOf(2026, time.March, 29), civil.DateOf(2026, time.October, 25)} {
		u := paris.Instant(d, at)
		fmt.Println(d, at, "->", time.Unix(u, 0).In(paris.Location()).Format("15:04 MST"), time.Unix(u, 0).UTC().Format("15:04Z"))
	}
	// Output:
	// 2026-03-29 02:30 -> 03:30 CEST 01:30Z
	// 2026-10-25 02:30 -> 02:30 CEST 00:30Z
}

func ExampleZone_Local() {
	paris, _ := tz.Load("Europe/Paris")
	d, t := paris.Local(time.Date(2026, time.July, 14, 7, 0, 0, 0, time.UTC).Unix())
	fmt.Println(d, t)
	// Output: 2026-07-14 09:00
}
