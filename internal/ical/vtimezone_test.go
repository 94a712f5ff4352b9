package ical

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outlookCustom is the VTIMEZONE Outlook writes for a zone it calls by a
// name of its own: Paris's rules (the last Sundays of March and October).
const outlookCustom = "BEGIN:VTIMEZONE\r\nTZID:%s\r\n" +
	"BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n" +
	"END:VTIMEZONE\r\n"

// sydneyRules: standard time from the first Sunday of April, daylight
// time from the first Sunday of October (UTC+10, UTC+11).
const sydneyRules = "BEGIN:VTIMEZONE\r\nTZID:Eastern Australia (custom)\r\n" +
	"BEGIN:STANDARD\r\nDTSTART:20080406T030000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nDTSTART:20081005T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nEND:DAYLIGHT\r\n" +
	"END:VTIMEZONE\r\n"

func startsUTC(t *testing.T, text string, from, to time.Time) []string {
	t.Helper()
	c, err := Parse(strings.NewReader(text), Options{Name: "c"})
	require.NoError(t, err)
	occ, err := c.AppendBetween(nil, from.Unix(), to.Unix(), 0)
	require.NoError(t, err)
	var out []string
	for _, o := range occ {
		out = append(out, time.Unix(o.Start, 0).UTC().Format("2006-01-02T15:04Z"))
	}
	return out
}

// TestVTimezoneByRules: a TZID that names no zone is read by its
// VTIMEZONE's rules. A weekly Monday 10:00 in Outlook's custom Paris zone
// is 09:00Z in March and 08:00Z from 30 March (DST from 29 March 2026); a
// daily 09:00 in custom Sydney rules is 22:00Z the day before in summer
// (UTC+11) and 23:00Z in winter (UTC+10, from 5 April 2026).
func TestVTimezoneByRules(t *testing.T) {
	for _, name := range []string{"Customized Time Zone", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"} {
		text := cal(strings.Replace(outlookCustom, "%s", name, 1),
			event("UID:w", `DTSTART;TZID="`+name+`":20260316T100000`, `DTEND;TZID="`+name+`":20260316T110000`, "RRULE:FREQ=WEEKLY;COUNT=4"))
		assert.Equal(t, []string{"2026-03-16T09:00Z", "2026-03-23T09:00Z", "2026-03-30T08:00Z", "2026-04-06T08:00Z"},
			startsUTC(t, text, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)), name)
	}
	text := cal(event("UID:d", `DTSTART;TZID=Eastern Australia (custom):20260403T090000`, "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=4"), sydneyRules)
	assert.Equal(t, []string{"2026-04-02T22:00Z", "2026-04-03T22:00Z", "2026-04-04T23:00Z", "2026-04-05T23:00Z"},
		startsUTC(t, text, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)))

	// Rules no IANA zone follows: an error naming the VTIMEZONE.
	odd := strings.NewReplacer("+0100", "+0537", "+0200", "+0637").Replace(strings.Replace(outlookCustom, "%s", "Mars Time", 1))
	_, err := Parse(strings.NewReader(cal(odd, event("UID:x", "DTSTART;TZID=Mars Time:20260316T100000"))), Options{Name: "c"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "VTIMEZONE", e.Property)
	assert.Contains(t, err.Error(), `TZID "Mars Time"`)
	assert.Contains(t, err.Error(), "its rules match no zone")

	// "Local" would be the machine's zone: it is read by its rules too.
	text = cal(strings.Replace(outlookCustom, "%s", "Local", 1), event("UID:l", "DTSTART;TZID=Local:20260316T100000", "DURATION:PT1H"))
	assert.Equal(t, []string{"2026-03-16T09:00Z"}, startsUTC(t, text, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)))
}
