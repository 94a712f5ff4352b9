// Package reference is a slow, obviously correct implementation of
// crossagenda's queries, used as the oracle in differential tests and as the
// straightforward baseline in benchmarks.
//
// It follows the query semantics of the project word for word and shares no
// code with the fast engine: it has its own local-time resolution (RFC 5545
// §3.3.5), its own holiday calendars written rule by rule after Etalab's,
// its own interval arithmetic on plain slices, and it expands recurrences
// with rrule-go from DTSTART on every query. Easter alone comes from
// internal/civil, the project's one Easter computation, held to python's
// dateutil and to published tables.
//
// # Cost model
//
// Nothing is indexed. Every query expands each relevant opening period and
// absence with rrule-go's Between, which iterates from the rule's first day
// (so the cost grows with the rule's age), scans all the appointments of the
// dataset linearly, sorts and sweeps. [Reference.NextWeekByWeek] repeats a
// whole slot query per 7-day window, as the historical platform did.
//
// # Extended ranges
//
// Free intervals are maximal intervals of whole occurrences. To find the
// true start of a free interval that begins before a query's start, slot
// queries compute free time over [from - L, to + duration + 2 days) with L = 2
// days, and double L while a free interval touches the lower end of that
// range (until the range starts before every opening of the group), so the
// result is exact, not an approximation.
package reference
