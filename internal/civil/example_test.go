package civil_test

import (
	"fmt"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

func ExampleDateOf() {
	d := civil.DateOf(2024, time.February, 28)
	fmt.Println(d, d.Weekday(), d.AddDays(1), d.AddDays(2))
	fmt.Println(civil.DateOf(2026, time.February, 29)) // normalised like time.Date
	// Output:
	// 2024-02-28 Wednesday 2024-02-29 2024-03-01
	// 2026-03-01
}

func ExampleParseTimeOfDay() {
	for _, s := range []string{"09:00", "09:00:30", "24:00", "24:30"} {
		t, err := civil.ParseTimeOfDay(s)
		fmt.Println(int32(t), t, err)
	}
	// Output:
	// 32400 09:00 <nil>
	// 32430 09:00:30 <nil>
	// 86400 24:00 <nil>
	// 0 00:00 civil: time of day "24:30": hour 24 out of range 00..23 (24 only as 24:00): invalid syntax
}
