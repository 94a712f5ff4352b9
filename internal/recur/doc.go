// Package recur expands RFC 5545 recurrence rules (RRULE) into occurrence
// dates, at a cost proportional to the occurrences asked for rather than to
// the age of the rule.
//
// # What a rule means here
//
// Occurrences are whole days at DTSTART's time of day: FREQ is DAILY,
// WEEKLY, MONTHLY or YEARLY, and BYHOUR, BYMINUTE and BYSECOND are refused
// unless [Spec].Times is set. The recurrence is therefore computed on civil
// dates alone, independent of time zones; the zone only turns a UTC UNTIL
// into a last date, once, in [Compile].
//
// With Spec.Times (calendar events; opening periods keep one start a day),
// BYHOUR and BYMINUTE, and BYSECOND=0, give each occurrence date several
// instances, at the local times [Rule.AppendTimes] lists: BYHOUR × BYMINUTE ×
// BYSECOND, each defaulting to DTSTART's, as RFC 5545 §3.3.10 expands them.
// COUNT counts instances and UNTIL bounds them, so only DTSTART's date
// (instances before DTSTART dropped, as dateutil does) and the last date
// (instances past COUNT or UNTIL dropped) keep fewer times; Compile works
// that out once, so queries still seek by date. BYSETPOS with a time part
// is refused: it would pick among a period's instances, not its days.
//
// Spec.Times also admits FREQ=HOURLY and MINUTELY (SECONDLY stays
// refused). Their instances step on the local wall clock, DTSTART +
// k·INTERVAL hours or minutes, as python-dateutil steps them; on a DST day
// the caller turns each wall time into an instant (a time in the spring gap
// names the instant after it, see internal/ical). The dates are those of a
// DAILY rule with the same day parts (BYDAY, BYMONTH, BYMONTHDAY, as
// filters), and [Rule.AppendTimes] lists each date's grid times
// arithmetically, BYHOUR (and for MINUTELY BYMINUTE) filtering them,
// BYMINUTE (for HOURLY) and BYSECOND expanding them, per RFC 5545's table:
// a query seeks to its first date like any other, and a date may hold no
// instance. COUNT is counted once in Compile over at most about 274 years
// of dates (an error beyond: give UNTIL); BYSETPOS is refused with them. Supported parts are INTERVAL, COUNT, UNTIL (a DATE, a floating
// DATE-TIME or a UTC DATE-TIME), WKST, BYDAY (with ordinals for MONTHLY and
// YEARLY), BYMONTHDAY (negative too), BYMONTH, BYYEARDAY, BYWEEKNO and
// BYSETPOS. Parsing is strict: unknown or repeated parts, out-of-range
// values and combinations RFC 5545 §3.3.10 forbids are errors naming the
// part.
//
// Semantics follow RFC 5545 and, where it is silent, python-dateutil and
// rrule-go: only dates matching the rule are occurrences, DTSTART included
// only if it matches; days that do not exist (February 30, BYMONTHDAY=31 in
// April) are skipped and not counted; without BYDAY, BYMONTHDAY, BYYEARDAY
// or BYWEEKNO a rule repeats DTSTART's weekday, day of month or date, and
// BYWEEKNO without BYDAY, BYMONTHDAY or BYYEARDAY repeats DTSTART's weekday
// in the weeks it names.
//
// # Week numbers
//
// BYWEEKNO numbers weeks as ISO 8601 does, weeks starting on WKST: week 1
// is the first week with at least four days in the year, so a year has 52
// or 53 weeks, and BYWEEKNO=-n counts back from the year's last week. A
// week may straddle New Year; as in dateutil and rrule-go each of its days
// belongs to the set of its own calendar year, where BYMONTH, BYMONTHDAY
// and BYYEARDAY limit it and BYSETPOS picks: with weeks from Monday,
// 2025-12-29 (in week 1 of 2026) is in 2025's set, and 2027-01-01 (in
// week 53 of 2026) in 2027's.
//
// # Departures from dateutil and rrule-go
//
// The package departs from both libraries on purpose in these places, each
// held by a test:
//
//   - UNTIL given as a DATE includes that whole day. dateutil and rrule-go
//     read it as 00:00 and so drop an occurrence at 09:00 on that day.
//   - A BYDAY list mixing plain and ordinal weekdays (BYDAY=MO,1TU) is the
//     union of its entries, as RFC 5545 reads; dateutil and rrule-go
//     intersect them and produce nothing.
//   - BYWEEKNO without another day part takes DTSTART's weekday, as RFC
//     5545 derives what a rule leaves out from DTSTART; dateutil and
//     rrule-go take every day of the weeks (FREQ=YEARLY;BYWEEKNO=20 from a
//     Monday is that Monday here, seven days there).
//   - January days before week 1 are in the previous year's last week. To
//     number it, dateutil and rrule-go count that year's weeks with a slip
//     that gives some years 53 weeks instead of 52 (206 of the 2800 pairs
//     of a year of the 400-year cycle and a WKST): with weeks from Monday
//     they put 2022-01-01 and 02 in week 53 of 2021, not 52.
//   - December days after the last week are in the next year's week 1,
//     which BYWEEKNO=-52 or -53 can name counting back from that year's
//     end; dateutil and rrule-go match them with BYWEEKNO=1 only.
//
// Without UNTIL or COUNT, occurrences stop at 9999-12-31 (rrule-go stops
// about 292 years after DTSTART).
//
// # Cost
//
// [Compile] expands COUNT once, bounded by Spec.MaxCount, and stores the
// last date, so every rule is queried by seeking: a query jumps to the first
// period (day, week from WKST, month or year) that can touch its window and
// generates the BY* matches period by period, applying BYSETPOS within each.
// A one-month window of a weekly rule visits about five weeks whether the
// rule began last week or twenty years ago; [Rule.AppendBetweenStats]
// reports the work so tests can hold that. With a dst of enough capacity
// [Rule.AppendBetween] does not allocate. Week numbers cost a few date
// computations per year visited; months holding no day of a BYWEEKNO week
// are skipped untested.
//
// A [Rule] is immutable and safe for concurrent use.
package recur
