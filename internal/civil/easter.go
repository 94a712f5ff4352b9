package civil

import "time"

// Easter returns the date of Western (Gregorian) Easter Sunday of year y,
// for any year of the proleptic Gregorian calendar, by the anonymous
// Gregorian algorithm of Meeus, Jones and Butcher: a dozen integer
// operations. Holidays that move with Easter (Easter Monday, Ascension, Whit
// Monday, Good Friday) are offsets from it.
func Easter(y int) Date {
	a := floorMod(y, 19)
	b := floorDiv(y, 100)
	c := floorMod(y, 100)
	d, e := floorDiv(b, 4), floorMod(b, 4)
	f := floorDiv(b+8, 25)
	g := floorDiv(b-f+1, 3)
	h := floorMod(19*a+b-d-g+15, 30)
	i, k := c/4, c%4
	l := floorMod(32+2*e+2*i-h-k, 7)
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return DateOf(y, time.Month(n/31), n%31+1)
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
