// Package tz is a compiled, allocation-free view of a time zone for turning
// local wall-clock times into instants and back, with RFC 5545 rules for
// the times that daylight saving makes ambiguous or skips.
//
// # Resolution of wall-clock times
//
// A local (date, time of day) that occurs twice, when clocks fall back, is
// the first of the two instants (the earlier UTC offset). A local time that
// does not occur, because clocks jump forward over it, is read with the UTC
// offset in force before the jump: in Europe/Paris 02:30 on 2026-03-29 is
// 01:30 UTC, shown as 03:30 CEST. These are the rules of RFC 5545 §3.3.5
// and of Python's zoneinfo with fold=0.
//
// time.Date does not follow them. Its documentation leaves the choice open,
// and in practice it resolves an ambiguous time to the later instant in
// zones east of UTC (Europe/Paris, Australia/Lord_Howe, Europe/Dublin) and
// a skipped time backwards in zones west of UTC (02:30 on 2007-03-11 in
// America/New_York becomes 01:30 EST, and 00:30 on 2018-11-04 in
// America/Sao_Paulo becomes 23:30 the day before), as observed with Go
// 1.26. TestTimeDateDivergence logs the cases.
//
// # Cost
//
// [Load] and [New] walk the zone's transitions once, into two sorted
// arrays (about a quarter of a millisecond for a zone with daylight saving);
// Load caches the result per name. [Zone.Instant] and [Zone.Local] then
// binary-search those arrays without allocating, in about ten nanoseconds.
// Instants after the year 2200 fall back to the time package, which is
// correct but slower.
package tz
