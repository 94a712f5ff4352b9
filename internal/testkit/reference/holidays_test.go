package reference

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Western Easter Sundays 2000..2030 as published (e.g. by the US Naval
// Observatory), written out by hand.
var publishedEaster = map[int]string{
	2000: "04-23", 2001: "04-15", 2002: "03-31", 2003: "04-20", 2004: "04-11",
	2005: "03-27", 2006: "04-16", 2007: "04-08", 2008: "03-23", 2009: "04-12",
	2010: "04-04", 2011: "04-24", 2012: "04-08", 2013: "03-31", 2014: "04-20",
	2015: "04-05", 2016: "03-27", 2017: "04-16", 2018: "04-01", 2019: "04-21",
	2020: "04-12", 2021: "04-04", 2022: "04-17", 2023: "04-09", 2024: "03-31",
	2025: "04-20", 2026: "04-05", 2027: "03-28", 2028: "04-16", 2029: "04-01",
	2030: "04-21",
}

func TestEaster(t *testing.T) {
	for y := 2000; y <= 2030; y++ {
		assert.Equal(t, publishedEaster[y], easter(y).Format("01-02"), "Easter %d", y)
	}
}

func dates(m map[string]day) []string {
	var out []string
	for _, d := range m {
		out = append(out, d.Format(time.DateOnly))
	}
	slices.Sort(out)
	return out
}

func TestFRHolidays2026(t *testing.T) {
	assert.Equal(t, []string{
		"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
		"2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
	}, dates(holidays("FR", 2026)))
}

// TestZoneHolidays holds the zones to tables written by hand from Etalab's
// tests (2018 and 2020 in Alsace-Moselle; each zone's own days in 2020)
// and from its rules for the years a day starts applying.
func TestZoneHolidays(t *testing.T) {
	assert.Equal(t, []string{"2018-01-01", "2018-03-30", "2018-04-02", "2018-05-01", "2018-05-08", "2018-05-10",
		"2018-05-21", "2018-07-14", "2018-08-15", "2018-11-01", "2018-11-11", "2018-12-25", "2018-12-26"},
		dates(holidays("FR-67", 2018)))
	assert.Equal(t, []string{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-01", "2020-05-08", "2020-05-21",
		"2020-06-01", "2020-07-14", "2020-08-15", "2020-11-01", "2020-11-11", "2020-12-25", "2020-12-26"},
		dates(holidays("FR-57", 2020)))
	own := map[string][]string{
		"FR-971": {"2020-05-27", "2020-07-21"}, "FR-972": {"2020-05-22", "2020-07-21"}, "FR-973": {"2020-06-10"},
		"FR-974": {"2020-12-20"}, "FR-976": {"2020-04-27"}, "FR-977": {"2020-10-09"}, "FR-978": {"2020-05-28"},
		"FR-986": {"2020-04-28", "2020-07-29"}, "FR-987": {"2020-06-29"}, "FR-988": {"2020-09-24"},
		"FR": nil, "FR-68": {"2020-04-10", "2020-12-26"},
	}
	mainland := dates(holidays("FR", 2020))
	for zone, extra := range own {
		want := slices.Sorted(slices.Values(slices.Concat(mainland, extra)))
		assert.Equal(t, want, dates(holidays(zone, 2020)), zone)
	}
	assert.Len(t, holidays("FR-974", 1980), 10, "no 8 May before 1982 nor abolition before 1981")
	assert.Len(t, holidays("FR-974", 1981), 11)
	assert.Len(t, holidays("FR-974", 1982), 12)
	assert.Empty(t, holidays("FR-975", 2020), "Saint-Pierre-et-Miquelon is not a zone of this computation")
}
