package civil

import (
	"errors"
	"fmt"
	"time"
)

// Date is a day of the proleptic Gregorian calendar, counted in days since
// 1970-01-01 (which is Date 0). Dates order like integers; d+1 is the next
// day. The representable range is about ±5.8 million years around 1970;
// [ParseDate] and [Date.String] use four-digit years.
type Date int32

// DateOf returns the date of day d of month m of year y. Out-of-range months
// and days are normalised the way time.Date does: DateOf(2026, 2, 29) is
// 2026-03-01 and DateOf(2026, 1, 0) is 2025-12-31.
func DateOf(y int, m time.Month, d int) Date {
	// Fold the month into [1, 12] first, carrying whole years.
	mi := int(m) - 1
	y += floorDiv(mi, 12)
	mi -= floorDiv(mi, 12) * 12
	return Date(daysFromCivil(y, mi+1, 1) + d - 1)
}

// YMD returns the year, month and day of d.
func (d Date) YMD() (y int, m time.Month, day int) {
	y, mm, dd := civilFromDays(int(d))
	return y, time.Month(mm), dd
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int(d) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// YearDay returns the day of the year of d, in [1, 365] or [1, 366] in leap
// years.
func (d Date) YearDay() int {
	y, _, _ := civilFromDays(int(d))
	return int(d) - daysFromCivil(y, 1, 1) + 1
}

// Year returns the year of d.
func (d Date) Year() int {
	y, _, _ := civilFromDays(int(d))
	return y
}

// String returns d as "2006-01-02". Years outside [0, 9999] are written
// with as many digits as they need and a leading '-' when negative.
func (d Date) String() string {
	var buf [16]byte
	return string(d.appendFormat(buf[:0]))
}

// AppendFormat appends d formatted as by [Date.String] to b.
func (d Date) AppendFormat(b []byte) []byte { return d.appendFormat(b) }

func (d Date) appendFormat(b []byte) []byte {
	y, m, day := civilFromDays(int(d))
	if y < 0 || y > 9999 {
		b = fmt.Appendf(b, "%d", y)
	} else {
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	}
	return append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// MarshalText implements encoding.TextMarshaler with the [Date.String] form.
func (d Date) MarshalText() ([]byte, error) { return d.appendFormat(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ErrSyntax is wrapped by every parse error of this package.
var ErrSyntax = errors.New("invalid syntax")

// ParseDate parses a date written exactly as "YYYY-MM-DD" with a four-digit
// year. Days that do not exist, such as 2026-02-30, are errors rather than
// normalised.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("civil: date %q: want YYYY-MM-DD: %w", s, ErrSyntax)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("civil: date %q: want YYYY-MM-DD: %w", s, ErrSyntax)
	}
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("civil: date %q: month %d out of range 1..12: %w", s, m, ErrSyntax)
	}
	if n := DaysIn(y, time.Month(m)); d < 1 || d > n {
		return 0, fmt.Errorf("civil: date %q: day %d out of range 1..%d for %s %d: %w", s, d, n, time.Month(m), y, ErrSyntax)
	}
	return Date(daysFromCivil(y, m, d)), nil
}

// DaysIn returns the number of days in month m of year y; m must be in
// [1, 12].
func DaysIn(y int, m time.Month) int {
	if m == time.February {
		if IsLeap(y) {
			return 29
		}
		return 28
	}
	// 30 days hath September, April, June and November: a bit per month.
	return 30 + int((0b1010_1101_0101>>uint(m-1))&1)
}

// IsLeap reports whether y is a leap year of the proleptic Gregorian
// calendar.
func IsLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DateOfTime returns the date of t in t's own location.
func DateOfTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date(daysFromCivil(y, int(m), d))
}

// daysFromCivil is Hinnant's days_from_civil: the day number of y-m-d for
// m in [1, 12] (d may be any integer).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400 // [0, 399]
	mp := m + 9        // March = 0
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1            // [0, 365] for valid d
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}

// Neri and Schneider's constants: shifting day numbers by nsK keeps every
// intermediate value of their algorithm unsigned and within 32 bits for
// day numbers in [-nsK, 1<<30-1-nsK] (years about -32800 to 2,900,000).
const (
	nsShift = 82
	nsK     = 719468 + 146097*nsShift
	nsL     = 400 * nsShift
)

// civilFromDays returns the year, month and day of day number z, with the
// algorithm of Neri and Schneider, "Euclidean affine functions and their
// application to calendar algorithms" (2023), which needs no division by a
// variable and only 32-bit multiplications: a few nanoseconds. Outside its
// range it uses civilFromDaysWide.
func civilFromDays(z int) (y, m, d int) {
	if z < -nsK || z > 1<<30-1-nsK {
		return civilFromDaysWide(z)
	}
	n := uint32(z + nsK)
	// Century and day of the century.
	n1 := 4*n + 3
	c := n1 / 146097
	nc := n1 % 146097 / 4
	// Year of the century and day of the year (from March 1st).
	p2 := uint64(2939745) * uint64(4*nc+3)
	yc := uint32(p2 >> 32)
	ny := uint32(p2) / 2939745 / 4
	// Month and day.
	n3 := 2141*ny + 197913
	mm, dd := n3>>16, n3&0xffff/2141
	y = int(100*c+yc) - nsL
	m = int(mm)
	if ny >= 306 { // January or February: next year
		y++
		m -= 12
	}
	return y, m, int(dd) + 1
}

// civilFromDaysWide is Hinnant's civil_from_days, the inverse of
// daysFromCivil, for any day number.
func civilFromDaysWide(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March = 0
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// digits parses a non-empty string of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
