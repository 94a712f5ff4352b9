package reference

import "time"

// easter is Western (Gregorian) Easter Sunday of year y, by the anonymous
// Gregorian algorithm of Meeus/Jones/Butcher.
func easter(y int) day {
	a := y % 19
	b := y / 100
	c := y % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dom := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), dom, 0, 0, 0, 0, time.UTC)
}

// frHolidays lists the French public holidays of year y.
func frHolidays(y int) []day {
	fixed := func(m time.Month, d int) day { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	e := easter(y)
	return []day{
		fixed(time.January, 1),
		e.AddDate(0, 0, 1), // Easter Monday
		fixed(time.May, 1),
		fixed(time.May, 8),
		e.AddDate(0, 0, 39), // Ascension
		e.AddDate(0, 0, 50), // Whit Monday
		fixed(time.July, 14),
		fixed(time.August, 15),
		fixed(time.November, 1),
		fixed(time.November, 11),
		fixed(time.December, 25),
	}
}
