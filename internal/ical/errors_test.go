package ical

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cal(events ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + strings.Join(events, "") + "END:VCALENDAR\r\n"
}

func event(lines ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\n"
}

// repeatReader yields prefix, then body n times, then suffix, without
// holding it all in memory.
func repeatReader(prefix, body string, n int, suffix string) io.Reader {
	rs := []io.Reader{strings.NewReader(prefix)}
	chunk := strings.Repeat(body, 1000)
	for ; n >= 1000; n -= 1000 {
		rs = append(rs, strings.NewReader(chunk))
	}
	rs = append(rs, strings.NewReader(strings.Repeat(body, n)), strings.NewReader(suffix))
	return io.MultiReader(rs...)
}

// TestBadInput holds every refusal to a clear error naming the calendar,
// the event and the property, with ErrInvalid or ErrLimit.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name   string
		give   io.Reader
		limit  bool
		uid    string
		prop   string
		errHas string
	}{
		{
			name: "malformed line", errHas: `line 5: missing ':' before the value`, uid: "u1",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART;TZID=Europe/Paris", "DTEND:20260101T100000Z"))),
		},
		{
			name: "no colon", errHas: "missing ':' after the property name", uid: "u1",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART 20260101T090000Z"))),
		},
		{
			name: "quote in a parameter", errHas: "double quote", uid: "u1",
			give: strings.NewReader(cal(event("UID:u1", `DTSTART;TZID=Eu"rope:20260101T090000`))),
		},
		{
			name: "missing DTSTART", uid: "u1", prop: "DTSTART", errHas: "DTSTART is missing",
			give: strings.NewReader(cal(event("UID:u1", "DTEND:20260101T100000Z"))),
		},
		{
			name: "unknown zone", uid: "u1", prop: "DTSTART", errHas: `TZID "Mars/Olympus_Mons"`,
			give: strings.NewReader(cal(event("UID:u1", "DTSTART;TZID=Mars/Olympus_Mons:20260101T090000"))),
		},
		{
			name: "unmappable VTIMEZONE", prop: "VTIMEZONE", errHas: `TZID "Customized Time Zone"`,
			give: strings.NewReader(cal("BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nEND:VTIMEZONE\r\n",
				event("UID:u1", "DTSTART:20260101T090000Z"))),
		},
		{
			name: "FREQ=SECONDLY", uid: "u1", prop: "RRULE", errHas: "FREQ=SECONDLY not supported",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "RRULE:FREQ=SECONDLY"))),
		},
		{
			name: "huge COUNT", limit: true, uid: "u1", prop: "RRULE", errHas: "MaxCount",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "RRULE:FREQ=DAILY;COUNT=999999999"))),
		},
		{
			name: "100,000 EXDATEs", limit: true, uid: "u1", prop: "EXDATE", errHas: "more than 10000 RDATE and EXDATE values",
			give: repeatReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20260101T090000Z\r\nRRULE:FREQ=DAILY\r\n",
				"EXDATE:20260102T090000Z\r\n", 100_000, "END:VEVENT\r\nEND:VCALENDAR\r\n"),
		},
		{
			name: "50 MB", limit: true, errHas: "longer than 10485760 bytes (the limit is MaxBytes)",
			give: repeatReader("BEGIN:VCALENDAR\r\n", "X-PAD:"+strings.Repeat("x", 92)+"\r\n", 500_000, "END:VCALENDAR\r\n"),
		},
		{
			name: "too many events", limit: true, errHas: "more than 50000 events",
			give: repeatReader("BEGIN:VCALENDAR\r\n", "BEGIN:VEVENT\r\nDTSTART:20260101T090000Z\r\nEND:VEVENT\r\n", 50_001, "END:VCALENDAR\r\n"),
		},
		{
			name: "deep nesting", errHas: "nested more than 8 deep",
			give: repeatReader("BEGIN:VCALENDAR\r\n", "BEGIN:X\r\n", 100_000, ""),
		},
		{
			name: "truncated", uid: "u1", errHas: "the text ends inside BEGIN:VEVENT",
			give: strings.NewReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20260101T090000Z\r\n"),
		},
		{
			name: "END mismatch", uid: "u1", errHas: "END:VTODO does not close BEGIN:VEVENT",
			give: strings.NewReader("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"),
		},
		{
			name: "DTEND before DTSTART", uid: "u1", prop: "DTEND", errHas: "is before DTSTART",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "DTEND:20260101T080000Z"))),
		},
		{
			name: "DTEND and DURATION", uid: "u1", prop: "DURATION", errHas: "DTEND and DURATION together",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "DTEND:20260101T100000Z", "DURATION:PT1H"))),
		},
		{
			name: "bad date", uid: "u1", prop: "DTSTART", errHas: "is not a DATE-TIME",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260231T090000Z"))),
		},
		{
			name: "bad duration", uid: "u1", prop: "DURATION", errHas: "is not a DURATION",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "DURATION:1H"))),
		},
		{
			name: "BYHOUR on an all-day event", uid: "u1", prop: "RRULE", errHas: "BYHOUR, BYMINUTE, BYSECOND, FREQ=HOURLY or MINUTELY with an all-day DTSTART",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY;BYHOUR=9,14"))),
		},
		{
			name: "BYSECOND not 0", uid: "u1", prop: "RRULE", errHas: "BYSECOND=30 not supported",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "RRULE:FREQ=DAILY;BYHOUR=9,14;BYSECOND=30"))),
		},
		{
			name: "two RRULEs", uid: "u1", prop: "RRULE", errHas: "2 RRULE properties",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY"))),
		},
		{
			name: "duplicate UID", uid: "u1", prop: "UID", errHas: "two events with this UID",
			give: strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z"), event("UID:u1", "DTSTART:20260102T090000Z"))),
		},
		{
			name: "empty", errHas: "the calendar is empty",
			give: strings.NewReader(""),
		},
		{
			name: "not a calendar", errHas: "line 1: BEGIN:VCARD outside a VCALENDAR",
			give: strings.NewReader("BEGIN:VCARD\r\nEND:VCARD\r\n"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.give, Options{Name: "cal-1"})
			require.Error(t, err)
			var e *Error
			require.True(t, errors.As(err, &e), "%T %v", err, err)
			assert.Equal(t, "cal-1", e.Calendar)
			assert.Equal(t, tt.uid, e.UID)
			assert.Equal(t, tt.prop, e.Property)
			assert.Contains(t, err.Error(), tt.errHas)
			assert.Contains(t, err.Error(), `calendar "cal-1"`)
			if tt.limit {
				assert.ErrorIs(t, err, ErrLimit)
				assert.NotEmpty(t, e.Limit)
			} else {
				assert.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

// TestExpansionLimit: a window with more instances than the limit is an
// error, not a truncated answer.
func TestExpansionLimit(t *testing.T) {
	c, err := Parse(strings.NewReader(cal(event("UID:u1", "DTSTART:20260101T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY"))), Options{Name: "c"})
	require.NoError(t, err)
	from, to := int64(1767225600), int64(1767225600+100*86400) // 2026-01-01, 100 days
	occ, err := c.AppendBetween(nil, from, to, 1000)
	require.NoError(t, err)
	assert.Len(t, occ, 100)
	_, err = c.AppendBetween(nil, from, to, 50)
	assert.ErrorIs(t, err, ErrTooManyOccurrences)
}

// TestAllDayWithoutEnd: RFC 5545 §3.6.1, an all-day event without DTEND or
// DURATION lasts one day; a timed one without either lasts no time and
// blocks nothing.
func TestAllDayWithoutEnd(t *testing.T) {
	c, err := Parse(strings.NewReader(cal(event("UID:d", "DTSTART;VALUE=DATE:20260307"), event("UID:t", "DTSTART:20260308T090000Z"))), Options{Name: "c"})
	require.NoError(t, err)
	occ, err := c.AppendBetween(nil, 1772841600-86400, 1772841600+3*86400, 0) // around 2026-03-07T00:00Z
	require.NoError(t, err)
	require.Len(t, occ, 1)
	assert.Equal(t, Occurrence{Start: 1772841600, End: 1772841600 + 86400, UID: "d", Original: 1772841600, Blocking: true, AllDay: true}, occ[0])
}
