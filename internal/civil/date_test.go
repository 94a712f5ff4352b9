package civil

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// The time package is the independent oracle: Unix seconds of a UTC
// midnight divided by 86400 is the day number.
func timeDays(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func TestDateOfMatchesTimeDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{1970, 1, 1, "1970-01-01"},
		{2026, 2, 29, "2026-03-01"},
		{2024, 2, 29, "2024-02-29"},
		{2026, 1, 0, "2025-12-31"},
		{2026, 13, 1, "2027-01-01"},
		{2026, 0, 1, "2025-12-01"},
		{2026, -11, 1, "2025-01-01"},
		{2026, -12, 1, "2024-12-01"},
		{2000, 2, 29, "2000-02-29"},
		{1900, 2, 29, "1900-03-01"},
		{1, 1, 1, "0001-01-01"},
		{9999, 12, 31, "9999-12-31"},
		{2026, 3, -40, "2026-01-19"},
	}
	for _, tt := range tests {
		got := DateOf(tt.y, tt.m, tt.d)
		if got.String() != tt.want {
			t.Errorf("DateOf(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
		if int64(got) != timeDays(tt.y, tt.m, tt.d) {
			t.Errorf("DateOf(%d, %d, %d) = %d, time.Date says %d", tt.y, tt.m, tt.d, got, timeDays(tt.y, tt.m, tt.d))
		}
	}
}

func TestDateOfRandom(t *testing.T) {
	const seed = 1
	rng := rand.New(rand.NewPCG(seed, seed))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		y := rng.IntN(20000) - 8000
		m := time.Month(rng.IntN(40) - 14)
		d := rng.IntN(800) - 400
		if got, want := int64(DateOf(y, m, d)), timeDays(y, m, d); got != want {
			t.Fatalf("DateOf(%d, %d, %d) = %d, time.Date says %d", y, m, d, got, want)
		}
	}
}

// Every day from year -1000 to 11000 round-trips through YMD, and YMD,
// Weekday and YearDay agree with the time package.
func TestYMDWeekdayYearDayAgainstTime(t *testing.T) {
	lo, hi := int(DateOf(-1000, 1, 1)), int(DateOf(11000, 1, 1))
	step := 1
	if testing.Short() {
		step = 97
	}
	for n := lo; n < hi; n += step {
		d := Date(n)
		tm := time.Unix(int64(n)*86400, 0).UTC()
		y, m, day := d.YMD()
		ty, tmo, td := tm.Date()
		if y != ty || m != tmo || day != td {
			t.Fatalf("Date(%d).YMD() = %d-%d-%d, time says %d-%d-%d", n, y, m, day, ty, tmo, td)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("Date(%d).Weekday() = %v, time says %v", n, d.Weekday(), tm.Weekday())
		}
		if d.YearDay() != tm.YearDay() {
			t.Fatalf("Date(%d).YearDay() = %d, time says %d", n, d.YearDay(), tm.YearDay())
		}
		if DateOf(y, m, day) != d {
			t.Fatalf("DateOf(YMD(%d)) = %d", n, DateOf(y, m, day))
		}
	}
}

func TestDaysInAndIsLeap(t *testing.T) {
	for y := -500; y <= 2500; y++ {
		if got, want := IsLeap(y), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay() == 366; got != want {
			t.Fatalf("IsLeap(%d) = %v, want %v", y, got, want)
		}
		for m := time.January; m <= time.December; m++ {
			want := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := DaysIn(y, m); got != want {
				t.Fatalf("DaysIn(%d, %v) = %d, want %d", y, m, got, want)
			}
		}
	}
}

func TestDateStringAndAddDays(t *testing.T) {
	d := DateOf(2026, time.December, 31)
	if got := d.AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-365).String(); got != "2025-12-31" {
		t.Errorf("AddDays(-365) = %s", got)
	}
	if got := DateOf(-44, time.March, 15).String(); got != "-44-03-15" {
		t.Errorf("String of year -44 = %s", got)
	}
	if got := DateOf(12026, time.March, 15).String(); got != "12026-03-15" {
		t.Errorf("String of year 12026 = %s", got)
	}
	if got := DateOf(7, time.March, 5).String(); got != "0007-03-05" {
		t.Errorf("String of year 7 = %s", got)
	}
	if got := DateOfTime(time.Date(2026, 3, 29, 23, 30, 0, 0, time.FixedZone("X", 7200))); got.String() != "2026-03-29" {
		t.Errorf("DateOfTime = %s", got)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		give    string
		want    string // "" when an error is expected
		errText string
	}{
		{give: "2026-03-29", want: "2026-03-29"},
		{give: "2024-02-29", want: "2024-02-29"},
		{give: "0000-01-01", want: "0000-01-01"},
		{give: "9999-12-31", want: "9999-12-31"},
		{give: "2026-02-29", errText: "day 29 out of range 1..28"},
		{give: "2026-04-31", errText: "day 31 out of range 1..30"},
		{give: "2026-13-01", errText: "month 13 out of range"},
		{give: "2026-00-01", errText: "month 0 out of range"},
		{give: "2026-01-00", errText: "day 0 out of range"},
		{give: "2026-1-01", errText: "want YYYY-MM-DD"},
		{give: "26-01-01", errText: "want YYYY-MM-DD"},
		{give: "2026/01/01", errText: "want YYYY-MM-DD"},
		{give: "2026-01-01T00:00", errText: "want YYYY-MM-DD"},
		{give: "+026-01-01", errText: "want YYYY-MM-DD"},
		{give: "2026-0a-01", errText: "want YYYY-MM-DD"},
		{give: "", errText: "want YYYY-MM-DD"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.give)
		if tt.want != "" {
			if err != nil || got.String() != tt.want {
				t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.give, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", tt.give, got)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "civil: ") || !strings.Contains(msg, `"`+tt.give+`"`) || !strings.Contains(msg, tt.errText) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseDate(%q) error %q: want prefix, quoted input and %q", tt.give, msg, tt.errText)
		}
	}
}

func TestDateTextRoundTrip(t *testing.T) {
	d := DateOf(2026, 3, 29)
	b, err := d.MarshalText()
	if err != nil || string(b) != "2026-03-29" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	var back Date
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Fatalf("UnmarshalText = %v, %v", back, err)
	}
	if err := back.UnmarshalText([]byte("2026-02-30")); err == nil {
		t.Fatal("UnmarshalText accepted 2026-02-30")
	}
}

// FuzzParseDate holds ParseDate to time.Parse with the same layout, which is
// equally strict about field widths and day ranges.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-29", "2024-02-29", "2026-02-29", "0000-01-01", "9999-12-31", "2026-1-1", "2026-13-01", "abcd-ef-gh", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		tm, terr := time.Parse("2006-01-02", s)
		if (err == nil) != (terr == nil) {
			t.Fatalf("ParseDate(%q) error %v, time.Parse error %v", s, err, terr)
		}
		if err != nil {
			return
		}
		if int64(d) != tm.Unix()/86400 && !(tm.Unix() < 0 && int64(d) == (tm.Unix()-86399)/86400) {
			t.Fatalf("ParseDate(%q) = %d, time.Parse says %v", s, d, tm)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
	})
}

// The fast conversion agrees with Hinnant's on its whole domain edge and on
// every day of years -32,000 to 12,000, and the wide one takes over beyond.
func TestCivilFromDaysAlgorithmsAgree(t *testing.T) {
	check := func(z int) {
		y, m, d := civilFromDays(z)
		wy, wm, wd := civilFromDaysWide(z)
		if y != wy || m != wm || d != wd {
			t.Fatalf("day %d: %d-%d-%d, Hinnant %d-%d-%d", z, y, m, d, wy, wm, wd)
		}
	}
	step := 1
	if testing.Short() {
		step = 13
	}
	for z := daysFromCivil(-32000, 1, 1); z < daysFromCivil(12000, 1, 1); z += step {
		check(z)
	}
	for _, z := range []int{-nsK - 1, -nsK, -nsK + 1, 1<<30 - 2 - nsK, 1<<30 - 1 - nsK, 1<<30 - nsK, 1<<31 - 1, -1 << 31} {
		check(z)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 100000 {
		check(int(rng.Int32()))
	}
}

func BenchmarkYMD(b *testing.B) {
	for _, tt := range []struct {
		name string
		f    func(int) (int, int, int)
	}{{"impl=neri-schneider", civilFromDays}, {"impl=hinnant", civilFromDaysWide}} {
		b.Run(tt.name, func(b *testing.B) {
			sum := 0
			for b.Loop() {
				for z := 20000; z < 20365; z++ {
					y, m, d := tt.f(z)
					sum += y + m + d
				}
			}
			_ = sum
		})
	}
}
