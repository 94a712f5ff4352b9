// Package agenda compiles a dataset of organisations, agents, opening
// periods, absences, appointments and closed days into an immutable index
// that answers cross-organisation queries fast: an agent's agenda merged
// across all of their organisations, free slots of a service, next
// availability and group availability.
//
// # Model
//
// A [Dataset] holds plain records, the same as the JSON interchange format
// read by [ReadDataset]. [New] validates it — every error names the record
// and the field — and compiles it into an [Index]:
//
//	ds, err := agenda.ReadDataset(f)
//	ix, err := agenda.New(ds)
//	ag, err := ix.Agenda(ctx, "a1", from, to)
//
// An agent works for one or several organisations. Everything that makes
// them busy in one organisation (appointments, absences) makes them busy in
// all the others: that is the point of the cross-organisation agenda.
//
// # Time
//
// Opening periods and absences are local wall-clock times: an opening from
// 09:00 to 12:00 stays 09:00–12:00 in its organisation's zone across DST
// changes. A local time that does not exist (in a spring-forward gap) is
// read with the UTC offset in force before the gap, and an ambiguous one
// (in a fall-back overlap) is its first instant, as RFC 5545 §3.3.5 says.
// Recurrences are RFC 5545 RRULE values (FREQ DAILY, WEEKLY, MONTHLY or
// YEARLY) expanded on dates: expanding an opening over a window costs time
// proportional to the occurrences in the window, never to the age of the
// rule. Every interval is half-open, [start, end), with one-second
// resolution.
//
// # Booking rules
//
// A service may have buffers around its appointments (busy time is
// widened by them before slots are cut, and a booking copies them onto its
// appointment), a slot interval other than its duration, and a daily cap
// per agent; an agent may have a daily cap over all of their
// organisations; opening periods and recurring absences may skip dates
// (exdates). Public holidays come from computed calendars per zone (FR,
// Alsace-Moselle, each overseas territory), chosen per organisation, with
// the holidays it works. The README states each rule exactly.
//
// # External calendars (iCalendar)
//
// An agent's own calendar (Outlook, Google Calendar, Apple Calendar,
// Thunderbird) is a [Calendar] record of RFC 5545 text, in the dataset or
// replaced atomically with [Live.SetCalendar]: its busy events block the
// agent in every organisation, like absences, recurring ones expanded by
// the same seeking engine as openings (RRULE, RDATE, EXDATE, overridden
// instances, RANGE=THISANDFUTURE; IANA and Windows zone names). The agenda
// lists them as [KindCalendar] and reports each calendar's UpdatedAt, so a
// stalled synchronisation shows. The other way, [WriteICS] writes an
// agenda as a VCALENDAR and [WriteFreeBusy] its busy time as a VFREEBUSY.
//
// # Bounds
//
// Every query is bounded by [Limits]: window length, occurrences expanded,
// results returned, agents named. A query past a limit fails with a
// [*LimitError] (errors.Is(err, ErrLimit)) saying which limit and how far;
// limits are raised with [WithLimits]. Queries honour context cancellation;
// a nil context is treated as context.Background(), by every query.
//
// # Concurrency
//
// An [Index] is immutable and safe for concurrent use. Queries over many
// agents fan out over at most [WithParallelism] goroutines (GOMAXPROCS by
// default); their results do not depend on the scheduling.
//
// # Live updates
//
// A [Live] index changes while it answers: appointments, absences, opening
// periods, closed days and agents' external calendars ([Live.SetCalendar],
// iCalendar text) are added, changed and cancelled in microseconds, and
// [Live.Book] checks that a slot is still free and books it atomically.
// [Live.Hold] reserves a slot the same way for a while, until
// [Live.Confirm], [Live.ReleaseHold] or expiry on the [WithClock] clock.
// [Live.OnChange] tells subscribers which agents and times each change
// touched, for pages that would otherwise poll.
// Readers take immutable snapshots ([Live.Snapshot]) and never wait for
// writers; writers take turns under one lock and copy on write: the
// records of the agents they change, the chunk of 64 agents of the agent
// directory that holds each, and the table of chunks (a slice header per
// 64 agents), not a pointer per agent of the dataset.
package agenda
