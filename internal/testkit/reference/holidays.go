package reference

import (
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// easter is Western Easter Sunday of year y. The one Easter computation of
// the project is civil.Easter, held to python's dateutil and to published
// tables.
func easter(y int) day {
	yy, m, d := civil.Easter(y).YMD()
	return time.Date(yy, m, d, 0, 0, 0, 0, time.UTC)
}

// holidays returns the public holidays of calendar zone in year y, by
// holiday key, written after Etalab's jours_feries_france/compute.py rule
// by rule: each day, the zones it applies in and the years it applies.
// An unknown zone has none.
func holidays(zone string, y int) map[string]day {
	date := func(m time.Month, d int) day { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	out := map[string]day{}
	if _, known := zoneNames[zone]; !known {
		return out
	}
	if y > 1810 {
		out["new_year"] = date(time.January, 1)
	}
	if y > 1919 {
		out["labour_day"] = date(time.May, 1)
	}
	if 1953 <= y && y <= 1959 || y > 1981 {
		out["victory_1945"] = date(time.May, 8)
	}
	if y >= 1880 {
		out["bastille_day"] = date(time.July, 14)
	}
	if y >= 1802 {
		out["assumption"] = date(time.August, 15)
		out["all_saints"] = date(time.November, 1)
		out["christmas"] = date(time.December, 25)
	}
	if y >= 1918 {
		out["armistice"] = date(time.November, 11)
	}
	if y >= 1886 { // Etalab computes Easter from 1886 only
		e := easter(y)
		out["easter_monday"] = e.AddDate(0, 0, 1)
		out["ascension"] = e.AddDate(0, 0, 39)
		out["whit_monday"] = e.AddDate(0, 0, 50)
		if zoneNames[zone] == "Alsace-Moselle" {
			out["good_friday"] = e.AddDate(0, 0, -2)
		}
	}
	switch zoneNames[zone] {
	case "Alsace-Moselle":
		out["st_stephen"] = date(time.December, 26)
	case "Guadeloupe":
		out["abolition_of_slavery"] = date(time.May, 27)
		out["victor_schoelcher"] = date(time.July, 21)
	case "Martinique":
		out["abolition_of_slavery"] = date(time.May, 22)
		out["victor_schoelcher"] = date(time.July, 21)
	case "Guyane":
		out["abolition_of_slavery"] = date(time.June, 10)
	case "La Réunion":
		if y >= 1981 {
			out["abolition_of_slavery"] = date(time.December, 20)
		}
	case "Mayotte":
		out["abolition_of_slavery"] = date(time.April, 27)
	case "Saint-Barthélémy":
		out["abolition_of_slavery"] = date(time.October, 9)
	case "Saint-Martin":
		out["abolition_of_slavery"] = date(time.May, 28)
	case "Wallis-et-Futuna":
		out["saint_pierre_chanel"] = date(time.April, 28)
		out["territory_day"] = date(time.July, 29)
	case "Polynésie Française":
		out["autonomy_day"] = date(time.June, 29)
	case "Nouvelle-Calédonie":
		out["citizenship_day"] = date(time.September, 24)
	}
	return out
}

// zoneNames maps the calendar names of the dataset format to Etalab's
// zones.
var zoneNames = map[string]string{
	"FR":     "Métropole",
	"FR-57":  "Alsace-Moselle",
	"FR-67":  "Alsace-Moselle",
	"FR-68":  "Alsace-Moselle",
	"FR-971": "Guadeloupe",
	"FR-972": "Martinique",
	"FR-973": "Guyane",
	"FR-974": "La Réunion",
	"FR-976": "Mayotte",
	"FR-977": "Saint-Barthélémy",
	"FR-978": "Saint-Martin",
	"FR-986": "Wallis-et-Futuna",
	"FR-987": "Polynésie Française",
	"FR-988": "Nouvelle-Calédonie",
}
