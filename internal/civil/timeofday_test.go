package civil

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		give    string
		want    TimeOfDay
		str     string
		errText string
	}{
		{give: "00:00", want: 0, str: "00:00"},
		{give: "09:00", want: 9 * 3600, str: "09:00"},
		{give: "09:00:00", want: 9 * 3600, str: "09:00"},
		{give: "09:00:01", want: 9*3600 + 1, str: "09:00:01"},
		{give: "23:59:59", want: 86399, str: "23:59:59"},
		{give: "24:00", want: EndOfDay, str: "24:00"},
		{give: "24:00:00", want: EndOfDay, str: "24:00"},
		{give: "24:00:01", errText: "hour 24"},
		{give: "24:01", errText: "hour 24"},
		{give: "25:00", errText: "hour 25"},
		{give: "12:60", errText: "minute 60"},
		{give: "12:00:60", errText: "second 60"},
		{give: "9:00", errText: "want HH:MM"},
		{give: "09:00:0", errText: "want HH:MM"},
		{give: "0900", errText: "want HH:MM"},
		{give: "09-00", errText: "want HH:MM"},
		{give: "-1:00", errText: "want HH:MM"},
		{give: "", errText: "want HH:MM"},
	}
	for _, tt := range tests {
		got, err := ParseTimeOfDay(tt.give)
		if tt.errText == "" {
			if err != nil || got != tt.want || got.String() != tt.str {
				t.Errorf("ParseTimeOfDay(%q) = %d (%s), %v; want %d (%s)", tt.give, got, got, err, tt.want, tt.str)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseTimeOfDay(%q) = %v, want an error", tt.give, got)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "civil: ") || !strings.Contains(msg, `"`+tt.give+`"`) || !strings.Contains(msg, tt.errText) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseTimeOfDay(%q) error %q: want prefix, quoted input and %q", tt.give, msg, tt.errText)
		}
	}
}

// Every second of the day survives String then ParseTimeOfDay, and Clock
// agrees with the arithmetic definition.
func TestTimeOfDayRoundTrip(t *testing.T) {
	for v := TimeOfDay(0); v <= EndOfDay; v++ {
		back, err := ParseTimeOfDay(v.String())
		if err != nil || back != v {
			t.Fatalf("ParseTimeOfDay(%q) = %d, %v; want %d", v.String(), back, err, v)
		}
		h, m, s := v.Clock()
		if MakeTimeOfDay(h, m, s) != v {
			t.Fatalf("MakeTimeOfDay(Clock(%d)) = %d", v, MakeTimeOfDay(h, m, s))
		}
	}
	if got := TimeOfDay(-5).String(); got != "TimeOfDay(-5)" {
		t.Errorf("String of -5 = %q", got)
	}
	if _, err := TimeOfDay(86401).MarshalText(); err == nil {
		t.Error("MarshalText accepted 86401")
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"09:00", "09:00:01", "24:00", "24:00:00", "24:00:01", "23:59:59", "99:99", "ab:cd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if v < 0 || v > EndOfDay {
			t.Fatalf("ParseTimeOfDay(%q) = %d, out of range", s, v)
		}
		// A canonical form parses back to the same value; the input is either
		// that form or the same time with ":00" seconds.
		if back, err := ParseTimeOfDay(v.String()); err != nil || back != v {
			t.Fatalf("round trip of %q: %d, %v", s, back, err)
		}
		if s != v.String() && s != v.String()+":00" {
			t.Fatalf("ParseTimeOfDay(%q) = %s: not the same time", s, v)
		}
	})
}
