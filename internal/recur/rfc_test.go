package recur

import (
	"strings"
	"testing"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/internal/civil"
	"github.com/crossagenda/crossagenda/internal/tz"
)

func d(s string) civil.Date {
	v, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// dates expands a compact list: "1997-09-02 04 09 10-01 1998-01-02" means
// 1997-09-02, 1997-09-04, 1997-09-09, 1997-10-01, 1998-01-02; each item
// inherits the year and month of the previous one unless it gives them.
func dates(s string) []civil.Date {
	var out []civil.Date
	var y, m string
	for _, f := range strings.Fields(s) {
		switch strings.Count(f, "-") {
		case 2:
			y, m = f[:4], f[5:7]
			out = append(out, d(f))
		case 1:
			m = f[:2]
			out = append(out, d(y+"-"+f))
		default:
			out = append(out, d(y+"-"+m+"-"+f))
		}
	}
	return out
}

// TestRFC5545Examples runs the examples of RFC 5545 §3.8.5.3 that need no
// BYHOUR or BYMINUTE. DTSTART is 09:00 America/New_York, as there; the
// expected dates are copied from the RFC.
func TestRFC5545Examples(t *testing.T) {
	ny, err := tz.Load("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		first    string
		rule     string
		from, to string // window; "" = from DTSTART to 2100
		want     string
	}{
		{"daily 10", "1997-09-02", "FREQ=DAILY;COUNT=10", "", "", "1997-09-02 03 04 05 06 07 08 09 10 11"},
		{"daily until UTC", "1997-09-02", "FREQ=DAILY;UNTIL=19971224T000000Z", "1997-12-20", "", "1997-12-20 21 22 23"},
		{"every other day", "1997-09-02", "FREQ=DAILY;INTERVAL=2", "1997-09-02", "1997-09-13", "1997-09-02 04 06 08 10 12"},
		{"every 10 days 5", "1997-09-02", "FREQ=DAILY;INTERVAL=10;COUNT=5", "", "", "1997-09-02 12 22 10-02 12"},
		{"January yearly", "1998-01-01", "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", "1999-12-30", "",
			"2000-01-01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31"},
		{"January daily", "1998-01-01", "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1", "1998-01-30", "1999-01-03", "1998-01-30 31 1999-01-01 02"},
		{"weekly 10", "1997-09-02", "FREQ=WEEKLY;COUNT=10", "", "", "1997-09-02 09 16 23 30 10-07 14 21 28 11-04"},
		{"weekly until", "1997-09-02", "FREQ=WEEKLY;UNTIL=19971224T000000Z", "", "", "1997-09-02 09 16 23 30 10-07 14 21 28 11-04 11 18 25 12-02 09 16 23"},
		{"every other week", "1997-09-02", "FREQ=WEEKLY;INTERVAL=2;WKST=SU", "", "1998-02-18", "1997-09-02 16 30 10-14 28 11-11 25 12-09 23 1998-01-06 20 02-03 17"},
		{"TU TH five weeks until", "1997-09-02", "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", "", "", "1997-09-02 04 09 11 16 18 23 25 30 10-02"},
		{"TU TH five weeks count", "1997-09-02", "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH", "", "", "1997-09-02 04 09 11 16 18 23 25 30 10-02"},
		{"every other week MO WE FR", "1997-09-01", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR", "", "",
			"1997-09-01 03 05 15 17 19 29 10-01 03 13 15 17 27 29 31 11-10 12 14 24 26 28 12-08 10 12 22"},
		{"every other week TU TH 8", "1997-09-02", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", "", "", "1997-09-02 04 16 18 30 10-02 14 16"},
		{"first Friday 10", "1997-09-05", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "", "", "1997-09-05 10-03 11-07 12-05 1998-01-02 02-06 03-06 04-03 05-01 06-05"},
		{"first Friday until", "1997-09-05", "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", "", "", "1997-09-05 10-03 11-07 12-05"},
		{"first and last Sunday", "1997-09-07", "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "", "", "1997-09-07 28 11-02 30 1998-01-04 25 03-01 29 05-03 31"},
		{"second-to-last Monday", "1997-09-22", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "", "", "1997-09-22 10-20 11-17 12-22 1998-01-19 02-16"},
		{"third-to-last day", "1997-09-28", "FREQ=MONTHLY;BYMONTHDAY=-3", "", "1998-03-01", "1997-09-28 10-29 11-28 12-29 1998-01-29 02-26"},
		{"2nd and 15th", "1997-09-02", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "", "", "1997-09-02 15 10-02 15 11-02 15 12-02 15 1998-01-02 15"},
		{"first and last day", "1997-09-30", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "", "", "1997-09-30 10-01 31 11-01 30 12-01 31 1998-01-01 31 02-01"},
		{"every 18 months", "1997-09-10", "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", "", "", "1997-09-10 11 12 13 14 15 1999-03-10 11 12 13"},
		{"Tuesdays every other month", "1997-09-02", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "", "1998-04-01", "1997-09-02 09 16 23 30 11-04 11 18 25 1998-01-06 13 20 27 03-03 10 17 24 31"},
		{"June and July", "1997-06-10", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "", "", "1997-06-10 07-10 1998-06-10 07-10 1999-06-10 07-10 2000-06-10 07-10 2001-06-10 07-10"},
		{"every other year Q1", "1997-03-10", "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", "", "", "1997-03-10 1999-01-10 02-10 03-10 2001-01-10 02-10 03-10 2003-01-10 02-10 03-10"},
		{"yeardays", "1997-01-01", "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "", "", "1997-01-01 04-10 07-19 2000-01-01 04-09 07-18 2003-01-01 04-10 07-19 2006-01-01"},
		{"20th Monday", "1997-05-19", "FREQ=YEARLY;BYDAY=20MO", "", "2000-01-01", "1997-05-19 1998-05-18 1999-05-17"},
		{"week 20 Monday", "1997-05-12", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "", "2000-01-01", "1997-05-12 1998-05-11 1999-05-17"},
		{"Thursdays in March", "1997-03-13", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "", "2000-01-01", "1997-03-13 20 27 1998-03-05 12 19 26 1999-03-04 11 18 25"},
		{"summer Thursdays", "1997-06-05", "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", "", "1999-01-01",
			"1997-06-05 12 19 26 07-03 10 17 24 31 08-07 14 21 28 1998-06-04 11 18 25 07-02 09 16 23 30 08-06 13 20 27"},
		{"Friday 13th", "1997-09-02", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "", "2001-01-01", "1998-02-13 03-13 11-13 1999-08-13 2000-10-13"},
		{"Saturday after first Sunday", "1997-09-13", "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", "", "1998-07-01", "1997-09-13 10-11 11-08 12-13 1998-01-10 02-07 03-07 04-11 05-09 06-13"},
		{"election day", "1996-11-05", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", "", "2005-01-01", "1996-11-05 2000-11-07 2004-11-02"},
		{"third TU WE TH", "1997-09-04", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "", "", "1997-09-04 10-07 11-06"},
		{"second-to-last weekday", "1997-09-29", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "", "1998-04-01", "1997-09-29 10-30 11-27 12-30 1998-01-29 02-26 03-30"},
		{"WKST=MO", "1997-08-05", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "", "", "1997-08-05 10 19 24"},
		{"WKST=SU", "1997-08-05", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "", "", "1997-08-05 17 19 31"},
		{"February 30 ignored", "2007-01-15", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", "", "", "2007-01-15 30 02-15 03-15 30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compile(Spec{RRule: tt.rule, First: d(tt.first), Start: 9 * 3600, Zone: ny})
			if err != nil {
				t.Fatal(err)
			}
			from, to := d(tt.first), d("2100-01-01")
			if tt.from != "" {
				from = d(tt.from)
			}
			if tt.to != "" {
				to = d(tt.to)
			}
			got, err := r.AppendBetween(nil, from, to, 0)
			if want := dates(tt.want); err != nil || !sameDates(got, want) {
				t.Errorf("%s\n got %v %v\nwant %v", tt.rule, got, err, want)
			}
		})
	}
}
