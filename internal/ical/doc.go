// Package ical turns iCalendar (RFC 5545) text into the busy time it
// describes, and expands it over any window at a cost that depends on the
// window, never on the age of the recurring series in it.
//
// [Parse] reads a calendar with github.com/emersion/go-ical (content lines,
// folding, parameters and components) and interprets each VEVENT itself:
// timed events over [DTSTART, DTEND) or DTSTART plus DURATION, all-day
// events (VALUE=DATE) over whole local days, floating times in the zone
// given in [Options]; TRANSP:TRANSPARENT, STATUS:CANCELLED and
// X-MICROSOFT-CDO-BUSYSTATUS:FREE or WORKINGELSEWHERE make an event block
// nothing. TZID takes IANA names and the Windows names Outlook writes
// ("Romance Standard Time"), mapped by CLDR's windowsZones table; a
// VTIMEZONE named otherwise is matched by its rules to the IANA zone with
// the same offsets (see vtimezone.go), and one that matches none is an
// error naming it.
//
// # Recurrences
//
// RRULE is compiled by internal/recur, whose queries seek to the window;
// RDATE (dates, date-times and periods) and DTSTART itself add instances,
// EXDATE removes them, and a VEVENT with the same UID and a RECURRENCE-ID
// replaces one instance, or with RANGE=THISANDFUTURE shifts and resizes
// that instance and every later one. [Calendar.AppendBetween] finds the
// instances of a window by seeking each rule and binary-searching the
// sorted date lists: O(series · log n + instances in the window).
//
// # Limits
//
// Everything is bounded by [Options]: the size of the text, the number of
// events, the RDATE and EXDATE values of one event, a rule's COUNT, the
// days all the rules walk together when Parse compiles them (MaxRuleDays:
// thousands of rules that never or rarely match fail fast), and the
// instances one expansion may produce. A calendar that breaks a rule is
// refused with an [*Error] naming the calendar, the event's UID and the
// property. BYHOUR and BYMINUTE (and BYSECOND=0) give several instances
// on each occurrence date, and FREQ=HOURLY and MINUTELY step DTSTART's wall
// clock (see internal/recur); FREQ=SECONDLY, BYSETPOS with a time part or
// with HOURLY or MINUTELY, and any of these on an all-day event are refused.
// On a DST day a wall time in the spring gap is read with the offset before
// it, so HOURLY's 02:00 and 03:00 in Paris on 2026-03-29 are both 01:00Z:
// that instant is listed once (COUNT counts both, as dateutil does); the
// autumn's repeated hour is its first instant (recurring_ical_events says
// the second).
//
// A [Calendar] is immutable and safe for concurrent use.
package ical
