package reference

import (
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

func TestFRHolidays2026(t *testing.T) {
	var got []string
	for _, d := range frHolidays(2026) {
		got = append(got, d.Format(time.DateOnly))
	}
	assert.ElementsMatch(t, []string{
		"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
		"2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
	}, got)
}
