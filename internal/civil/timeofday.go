package civil

import "fmt"

// TimeOfDay is a wall-clock time as seconds since local midnight, in
// [0, 86400]. 86400 is "24:00", the end of the day, so that a period such as
// 18:00–24:00 can be written with an exclusive end.
type TimeOfDay int32

// EndOfDay is "24:00", the exclusive end of a day.
const EndOfDay TimeOfDay = 86400

// MakeTimeOfDay returns h:m:s as a TimeOfDay. It does not validate: callers
// passing parsed input should use [ParseTimeOfDay].
func MakeTimeOfDay(h, m, s int) TimeOfDay { return TimeOfDay(h*3600 + m*60 + s) }

// Clock returns the hour, minute and second of t; 24:00 is (24, 0, 0).
func (t TimeOfDay) Clock() (h, m, s int) {
	v := int(t)
	return v / 3600, v / 60 % 60, v % 60
}

// ParseTimeOfDay parses "HH:MM" or "HH:MM:SS" with two-digit fields between
// 00:00 and 23:59:59. "24:00" and "24:00:00" are accepted as [EndOfDay];
// any other time with hour 24 is an error.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if (len(s) != 5 && len(s) != 8) || s[2] != ':' || (len(s) == 8 && s[5] != ':') {
		return 0, fmt.Errorf("civil: time of day %q: want HH:MM or HH:MM:SS: %w", s, ErrSyntax)
	}
	h, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	sec, ok3 := 0, true
	if len(s) == 8 {
		sec, ok3 = digits(s[6:8])
	}
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("civil: time of day %q: want HH:MM or HH:MM:SS: %w", s, ErrSyntax)
	}
	switch {
	case h == 24 && m == 0 && sec == 0:
		return EndOfDay, nil
	case h > 23:
		return 0, fmt.Errorf("civil: time of day %q: hour %d out of range 00..23 (24 only as 24:00): %w", s, h, ErrSyntax)
	case m > 59:
		return 0, fmt.Errorf("civil: time of day %q: minute %d out of range 00..59: %w", s, m, ErrSyntax)
	case sec > 59:
		return 0, fmt.Errorf("civil: time of day %q: second %d out of range 00..59: %w", s, sec, ErrSyntax)
	}
	return MakeTimeOfDay(h, m, sec), nil
}

// String returns t as "15:04", or "15:04:05" when the seconds are not zero.
// Values outside [0, 86400] are written as "TimeOfDay(n)".
func (t TimeOfDay) String() string {
	var buf [8]byte
	return string(t.appendFormat(buf[:0]))
}

func (t TimeOfDay) appendFormat(b []byte) []byte {
	if t < 0 || t > EndOfDay {
		return fmt.Appendf(b, "TimeOfDay(%d)", int32(t))
	}
	h, m, s := t.Clock()
	b = append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
	if s != 0 {
		b = append(b, ':', byte('0'+s/10), byte('0'+s%10))
	}
	return b
}

// MarshalText implements encoding.TextMarshaler with the [TimeOfDay.String]
// form.
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if t < 0 || t > EndOfDay {
		return nil, fmt.Errorf("civil: time of day %d seconds out of range 0..86400", int32(t))
	}
	return t.appendFormat(nil), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseTimeOfDay].
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
