package gen

import (
	"strconv"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// day is a civil date counted in days since 1970-01-01. Generation does its
// date arithmetic on days because it is exact, allocation-free and much
// cheaper than time.Time in a zone.
type day int32

// dayOf returns the day of a civil date (proleptic Gregorian calendar).
func dayOf(y int, m time.Month, d int) day {
	// Howard Hinnant's days_from_civil.
	mm := int(m)
	if mm <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil returns the calendar date of d.
func (d day) civil() (y int, m time.Month, dd int) {
	z := int(d) + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	mm := mp + 3
	if mm > 12 {
		mm -= 12
	}
	y = yoe + era*400
	if mm <= 2 {
		y++
	}
	return y, time.Month(mm), dd
}

// weekday returns the day of the week of d (1970-01-01 was a Thursday).
func (d day) weekday() time.Weekday {
	return time.Weekday((int(d)%7 + 7 + 4) % 7)
}

// String formats d as "YYYY-MM-DD".
func (d day) String() string {
	y, m, dd := d.civil()
	b := make([]byte, 0, 10)
	b = appendPad(b, y, 4)
	b = append(b, '-')
	b = appendPad(b, int(m), 2)
	b = append(b, '-')
	b = appendPad(b, dd, 2)
	return string(b)
}

// rfcDate formats d as the RFC 5545 DATE "YYYYMMDD".
func (d day) rfcDate() string {
	y, m, dd := d.civil()
	b := make([]byte, 0, 8)
	b = appendPad(b, y, 4)
	b = appendPad(b, int(m), 2)
	b = appendPad(b, dd, 2)
	return string(b)
}

// at returns the instant of wall time min minutes after midnight on d in
// loc. Callers use it only for wall times that exist exactly once, where
// Go and RFC 5545 agree.
func (d day) at(minutes int, loc *time.Location) time.Time {
	y, m, dd := d.civil()
	return time.Date(y, m, dd, 0, minutes, 0, 0, loc)
}

// dayOfTime returns the civil date of t in its own location.
func dayOfTime(t time.Time) day {
	y, m, d := t.Date()
	return dayOf(y, m, d)
}

func appendPad(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	if m == time.December {
		return 31
	}
	return int(dayOf(y, m+1, 1) - dayOf(y, m, 1))
}

// easter returns Western (Gregorian) Easter Sunday of year y, from the
// project's one Easter computation.
func easter(y int) day { return day(civil.Easter(y)) }

// frHolidays returns the French public holidays of year y, in date order,
// as the "FR" holiday calendar of the semantics defines them.
func frHolidays(y int) []day {
	e := easter(y)
	return []day{
		dayOf(y, time.January, 1),
		e + 1,
		dayOf(y, time.May, 1),
		dayOf(y, time.May, 8),
		e + 39,
		e + 50,
		dayOf(y, time.July, 14),
		dayOf(y, time.August, 15),
		dayOf(y, time.November, 1),
		dayOf(y, time.November, 11),
		dayOf(y, time.December, 25),
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// hhmm formats minutes after midnight as "HH:MM" ("24:00" for 1440).
func hhmm(minutes int) string {
	b := make([]byte, 0, 5)
	b = appendPad(b, minutes/60, 2)
	b = append(b, ':')
	b = appendPad(b, minutes%60, 2)
	return string(b)
}

// hhmmss formats seconds after midnight as "HH:MM:SS".
func hhmmss(seconds int) string {
	b := make([]byte, 0, 8)
	b = appendPad(b, seconds/3600, 2)
	b = append(b, ':')
	b = appendPad(b, seconds/60%60, 2)
	b = append(b, ':')
	b = appendPad(b, seconds%60, 2)
	return string(b)
}
