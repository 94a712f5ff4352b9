package agenda

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// holidayTable lists a calendar's holidays of one year as "key date",
// sorted by date then key.
func holidayTable(name string, y int) []string {
	var out []string
	for _, h := range holidaysOf(name, y) {
		out = append(out, fmt.Sprintf("%s %s", h.date, h.key))
	}
	slices.Sort(out)
	return out
}

// mainland2020 and mainland2018 are Etalab's expected tables for mainland
// France (jours-feries-france, tests/test_compute.py), keyed by our keys.
var (
	mainland2018 = []string{"2018-01-01 new_year", "2018-04-02 easter_monday", "2018-05-01 labour_day",
		"2018-05-08 victory_1945", "2018-05-10 ascension", "2018-05-21 whit_monday", "2018-07-14 bastille_day",
		"2018-08-15 assumption", "2018-11-01 all_saints", "2018-11-11 armistice", "2018-12-25 christmas"}
	mainland2020 = []string{"2020-01-01 new_year", "2020-04-13 easter_monday", "2020-05-01 labour_day",
		"2020-05-08 victory_1945", "2020-05-21 ascension", "2020-06-01 whit_monday", "2020-07-14 bastille_day",
		"2020-08-15 assumption", "2020-11-01 all_saints", "2020-11-11 armistice", "2020-12-25 christmas"}
)

func TestHolidayCalendarsMatchEtalab(t *testing.T) {
	assert.Equal(t, mainland2018, holidayTable("FR", 2018))
	assert.Equal(t, mainland2020, holidayTable("FR", 2020))
	for _, z := range []string{"FR-57", "FR-67", "FR-68"} {
		assert.Equal(t, sortedPlus(mainland2018, "2018-03-30 good_friday", "2018-12-26 st_stephen"), holidayTable(z, 2018), z)
		assert.Equal(t, sortedPlus(mainland2020, "2020-04-10 good_friday", "2020-12-26 st_stephen"), holidayTable(z, 2020), z)
	}
	// Etalab's testAbolitionDeLesclavage and testNamesAllZones, for 2020.
	extra2020 := map[string][]string{
		"FR-971": {"2020-05-27 abolition_of_slavery", "2020-07-21 victor_schoelcher"}, // Guadeloupe
		"FR-972": {"2020-05-22 abolition_of_slavery", "2020-07-21 victor_schoelcher"}, // Martinique
		"FR-973": {"2020-06-10 abolition_of_slavery"},                                 // Guyane
		"FR-974": {"2020-12-20 abolition_of_slavery"},                                 // La Réunion
		"FR-976": {"2020-04-27 abolition_of_slavery"},                                 // Mayotte
		"FR-977": {"2020-10-09 abolition_of_slavery"},                                 // Saint-Barthélemy
		"FR-978": {"2020-05-28 abolition_of_slavery"},                                 // Saint-Martin
		"FR-986": {"2020-04-28 saint_pierre_chanel", "2020-07-29 territory_day"},      // Wallis-et-Futuna
		"FR-987": {"2020-06-29 autonomy_day"},                                         // Polynésie française
		"FR-988": {"2020-09-24 citizenship_day"},                                      // Nouvelle-Calédonie
	}
	for z, extra := range extra2020 {
		assert.Equal(t, sortedPlus(mainland2020, extra...), holidayTable(z, 2020), z)
	}
	assert.Len(t, holidayZones, 14, "FR, three Alsace-Moselle départements and ten overseas zones")
}

// TestHolidayFirstYears pins the years from which a day applies, as
// Etalab's computation has them.
func TestHolidayFirstYears(t *testing.T) {
	has := func(name string, y int, key string) bool {
		return slices.ContainsFunc(holidaysOf(name, y), func(h holiday) bool { return h.key == key })
	}
	tests := []struct {
		zone string
		key  string
		year int
		want bool
	}{
		{"FR-974", "abolition_of_slavery", 1980, false},
		{"FR-974", "abolition_of_slavery", 1981, true},
		{"FR", "victory_1945", 1952, false},
		{"FR", "victory_1945", 1953, true},
		{"FR", "victory_1945", 1959, true},
		{"FR", "victory_1945", 1960, false},
		{"FR", "victory_1945", 1981, false},
		{"FR", "victory_1945", 1982, true},
		{"FR", "labour_day", 1919, false},
		{"FR", "labour_day", 1920, true},
		{"FR", "armistice", 1917, false},
		{"FR", "armistice", 1918, true},
		{"FR", "bastille_day", 1879, false},
		{"FR", "bastille_day", 1880, true},
		{"FR", "new_year", 1810, false},
		{"FR", "new_year", 1811, true},
		{"FR", "whit_monday", 1885, false},
		{"FR", "whit_monday", 1886, true},
		{"FR-57", "good_friday", 1886, true},
		{"FR-57", "st_stephen", 1800, true},
		{"FR-976", "abolition_of_slavery", 1900, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, has(tt.zone, tt.year, tt.key), "%s %s %d", tt.zone, tt.key, tt.year)
	}
}

func sortedPlus(base []string, extra ...string) []string {
	out := slices.Concat(base, extra)
	slices.Sort(out)
	return out
}
