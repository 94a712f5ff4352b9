// Package recur expands RFC 5545 recurrence rules (RRULE) into occurrence
// dates, at a cost proportional to the occurrences asked for rather than to
// the age of the rule.
//
// # What a rule means here
//
// Occurrences are whole days at DTSTART's time of day: FREQ is DAILY,
// WEEKLY, MONTHLY or YEARLY, and BYHOUR, BYMINUTE and BYSECOND are refused.
// The recurrence is therefore computed on civil dates alone, independent of
// time zones; the zone only turns a UTC UNTIL into a last date, once, in
// [Compile]. Supported parts are INTERVAL, COUNT, UNTIL (a DATE, a floating
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
// or BYWEEKNO a rule repeats DTSTART's weekday, day of month or date. The
// package departs from both libraries on purpose in two places:
//
//   - UNTIL given as a DATE includes that whole day. dateutil and rrule-go
//     read it as 00:00 and so drop an occurrence at 09:00 on that day.
//   - A BYDAY list mixing plain and ordinal weekdays (BYDAY=MO,1TU) is the
//     union of its entries, as RFC 5545 reads; dateutil and rrule-go
//     intersect them and produce nothing.
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
// [Rule.AppendBetween] does not allocate.
//
// Rules using BYWEEKNO are not on the fast path: [Rule.Fast] reports false
// and they are expanded by rrule-go from DTSTART on each query.
//
// A [Rule] is immutable and safe for concurrent use.
package recur
