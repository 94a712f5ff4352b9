package agenda

import (
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// holiday is one public holiday of a calendar, in one year.
type holiday struct {
	date civil.Date
	key  string // stable: Organisation.WorkedHolidays names holidays by it
	name string
}

// holidayRule is one public holiday: its key, its name, the years it
// applies and its date in a year.
type holidayRule struct {
	key, name string
	applies   func(y int) bool
	date      func(y int) civil.Date
}

func fixed(m time.Month, d int) func(int) civil.Date {
	return func(y int) civil.Date { return civil.DateOf(y, m, d) }
}

func fromEaster(days int) func(int) civil.Date {
	return func(y int) civil.Date { return civil.Easter(y).AddDays(days) }
}

func since(first int) func(int) bool { return func(y int) bool { return y >= first } }

// The holidays and the years they apply follow Etalab's jours-feries-france
// computation (the version with per-zone local days). It computes Easter
// from 1886 only, so the days that move with Easter start then.
var (
	hNewYear      = holidayRule{"new_year", "Jour de l'an", since(1811), fixed(time.January, 1)}
	hEasterMonday = holidayRule{"easter_monday", "Lundi de Pâques", since(1886), fromEaster(1)}
	hLabourDay    = holidayRule{"labour_day", "Fête du travail", since(1920), fixed(time.May, 1)}
	hVictory1945  = holidayRule{"victory_1945", "Victoire 1945",
		func(y int) bool { return 1953 <= y && y <= 1959 || y >= 1982 }, fixed(time.May, 8)}
	hAscension       = holidayRule{"ascension", "Ascension", since(1886), fromEaster(39)}
	hWhitMonday      = holidayRule{"whit_monday", "Lundi de Pentecôte", since(1886), fromEaster(50)}
	hBastilleDay     = holidayRule{"bastille_day", "Fête nationale", since(1880), fixed(time.July, 14)}
	hAssumption      = holidayRule{"assumption", "Assomption", since(1802), fixed(time.August, 15)}
	hAllSaints       = holidayRule{"all_saints", "Toussaint", since(1802), fixed(time.November, 1)}
	hArmistice       = holidayRule{"armistice", "Armistice 1918", since(1918), fixed(time.November, 11)}
	hChristmas       = holidayRule{"christmas", "Noël", since(1802), fixed(time.December, 25)}
	hGoodFriday      = holidayRule{"good_friday", "Vendredi saint", since(1886), fromEaster(-2)}
	hStStephen       = holidayRule{"st_stephen", "Saint Étienne", since(1), fixed(time.December, 26)}
	hSchoelcher      = holidayRule{"victor_schoelcher", "Fête Victor Schœlcher", since(1), fixed(time.July, 21)}
	hStPierreChanel  = holidayRule{"saint_pierre_chanel", "Saint Pierre Chanel", since(1), fixed(time.April, 28)}
	hTerritoryDay    = holidayRule{"territory_day", "Fête du Territoire", since(1), fixed(time.July, 29)}
	hAutonomyDay     = holidayRule{"autonomy_day", "Fête de l'autonomie", since(1), fixed(time.June, 29)}
	hCitizenshipDay  = holidayRule{"citizenship_day", "Fête de la Citoyenneté", since(1), fixed(time.September, 24)}
	mainlandHolidays = []holidayRule{hNewYear, hEasterMonday, hLabourDay, hVictory1945, hAscension, hWhitMonday,
		hBastilleDay, hAssumption, hAllSaints, hArmistice, hChristmas}
)

// abolition is the day of the abolition of slavery, on its local date.
func abolition(m time.Month, d, first int) holidayRule {
	return holidayRule{"abolition_of_slavery", "Abolition de l'esclavage", since(first), fixed(m, d)}
}

// holidayZones maps a calendar name (an ISO 3166-2 code) to its holidays:
// mainland France's eleven and the zone's own.
var holidayZones = map[string][]holidayRule{
	"FR":     mainlandHolidays,
	"FR-57":  slices.Concat(mainlandHolidays, []holidayRule{hGoodFriday, hStStephen}),                 // Moselle
	"FR-67":  slices.Concat(mainlandHolidays, []holidayRule{hGoodFriday, hStStephen}),                 // Bas-Rhin
	"FR-68":  slices.Concat(mainlandHolidays, []holidayRule{hGoodFriday, hStStephen}),                 // Haut-Rhin
	"FR-971": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.May, 27, 1), hSchoelcher}), // Guadeloupe
	"FR-972": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.May, 22, 1), hSchoelcher}), // Martinique
	"FR-973": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.June, 10, 1)}),             // Guyane
	"FR-974": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.December, 20, 1981)}),      // La Réunion
	"FR-976": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.April, 27, 1)}),            // Mayotte
	"FR-977": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.October, 9, 1)}),           // Saint-Barthélemy
	"FR-978": slices.Concat(mainlandHolidays, []holidayRule{abolition(time.May, 28, 1)}),              // Saint-Martin
	"FR-986": slices.Concat(mainlandHolidays, []holidayRule{hStPierreChanel, hTerritoryDay}),          // Wallis-et-Futuna
	"FR-987": slices.Concat(mainlandHolidays, []holidayRule{hAutonomyDay}),                            // Polynésie française
	"FR-988": slices.Concat(mainlandHolidays, []holidayRule{hCitizenshipDay}),                         // Nouvelle-Calédonie
}

// noHolidays is the Organisation.HolidayCalendar value of an organisation
// that closes for no public holiday.
const noHolidays = "none"

// holidaysOf returns the holidays of calendar name in year y, in the
// calendar's order (not date order: Ascension moves with Easter).
func holidaysOf(name string, y int) []holiday {
	var out []holiday
	for _, r := range holidayZones[name] {
		if r.applies(y) {
			out = append(out, holiday{date: r.date(y), key: r.key, name: r.name})
		}
	}
	return out
}

// holidayKeys lists every holiday key, sorted, for validation messages.
func holidayKeys() []string {
	var keys []string
	for _, rules := range holidayZones {
		for _, r := range rules {
			if !slices.Contains(keys, r.key) {
				keys = append(keys, r.key)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// knownCalendars lists the calendar names, sorted, for validation messages.
func knownCalendars() string {
	var names []string
	for n := range holidayZones {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
