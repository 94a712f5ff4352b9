package agenda

import (
	"time"

	"github.com/crossagenda/crossagenda/internal/civil"
)

// holiday is one public holiday of a calendar.
type holiday struct {
	date civil.Date
	name string
}

// holidayCalendars maps a calendar name to the function listing its
// holidays of one year.
var holidayCalendars = map[string]func(year int) []holiday{
	"FR": frenchHolidays,
}

// frenchHolidays returns the eleven public holidays of metropolitan France
// in year. Three move with Easter, so the list is not in date order:
// Ascension falls anywhere from April 30 to June 3.
func frenchHolidays(year int) []holiday {
	easter := easterSunday(year)
	return []holiday{
		{civil.DateOf(year, time.January, 1), "Jour de l'an"},
		{easter.AddDays(1), "Lundi de Pâques"},
		{civil.DateOf(year, time.May, 1), "Fête du travail"},
		{civil.DateOf(year, time.May, 8), "Victoire 1945"},
		{easter.AddDays(39), "Ascension"},
		{easter.AddDays(50), "Lundi de Pentecôte"},
		{civil.DateOf(year, time.July, 14), "Fête nationale"},
		{civil.DateOf(year, time.August, 15), "Assomption"},
		{civil.DateOf(year, time.November, 1), "Toussaint"},
		{civil.DateOf(year, time.November, 11), "Armistice 1918"},
		{civil.DateOf(year, time.December, 25), "Noël"},
	}
}

// easterSunday returns the Gregorian date of Western Easter Sunday, by
// Oudin's algorithm (1940), valid for every Gregorian year.
func easterSunday(year int) civil.Date {
	c := year / 100
	n := year - 19*(year/19)
	k := (c - 17) / 25
	i := c - c/4 - (c-k)/3 + 19*n + 15
	i -= 30 * (i / 30)
	i -= (i / 28) * (1 - (i/28)*(29/(i+1))*((21-n)/11))
	j := year + year/4 + i + 2 - c + c/4
	j -= 7 * (j / 7)
	l := i - j
	month := 3 + (l+40)/44
	day := l + 28 - 31*(month/4)
	return civil.DateOf(year, time.Month(month), day)
}
