// Package civil is calendar arithmetic on proleptic Gregorian dates and times
// of day, with no time zone attached.
//
// A [Date] is a day number (days since 1970-01-01) and a [TimeOfDay] is a
// number of seconds since local midnight. Both are plain integers: they
// compare with < and ==, index arrays, and cost nothing to copy. Conversions
// between day numbers and year/month/day use Howard Hinnant's
// days_from_civil and civil_from_days algorithms, a handful of integer
// operations that never touch the time package or allocate.
//
// Turning a (Date, TimeOfDay) pair into an instant needs a time zone: see
// package tz.
package civil
