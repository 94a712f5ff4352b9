// Package httpapi serves crossagenda queries as an HTTP JSON API: an agent's
// agenda as a calendar event feed, the free slots and the next availability
// of a service, and a health check.
//
// # Endpoints
//
//	GET /agents/{id}/agenda?start=T&end=T[&timeZone=ZONE][&free=false][&organisation=ID]
//	GET /services/{id}/slots?from=T&to=T[&now=T][&view=user|agent][&place=ID,ID][&agent=ID,ID]
//	GET /services/{id}/next?[now=T][&from=T][&view=user|agent][&place=ID,ID][&agent=ID,ID]
//	GET /services/{id}/explain?agent=ID&start=T[&place=ID][&now=T][&view=user|agent][&organisation=ID]
//	GET /agents/{id}/events   (Server-Sent Events, with Config.Events)
//	POST /services/{id}/bookings   (JSON only, with a Booker engine)
//	DELETE /appointments/{id}, POST /appointments/{id}/cancel   (with a Canceller engine)
//	POST /services/{id}/holds, POST /holds/{id}/confirm, DELETE /holds/{id}   (with a Holder engine)
//	GET /, GET /static/..., GET /catalogue   (the agenda page, page.go)
//	GET /healthz
//
// With [Config.Access], requests without credentials are the public (user
// view, the server's clock, no agent's agenda) and agents authenticate
// with bearer tokens (see [Access]). Writes are JSON only (415), at most
// [MaxBodyBytes] (413), bounded by [Config.MaxWrites]; [Metrics] counts
// requests for Prometheus and [CORS] opens the API to listed origins.
//
// The agenda is a FullCalendar-style event feed: a JSON array of
// {id, title, start, end, extendedProps: {kind, record_id, organisation_id,
// place_id, status, blocking, service_ids}}, plus, unless free=false, the
// agent's free time as background events (display "background", kind
// "free"), which is how FullCalendar shades available hours.
//
// With organisation=ID the agenda is the one that organisation may see
// ([agenda.Index.AgendaFor]): the agent's appointments in their other
// organisations are bare "Busy" events (kind, start, end), absences carry
// no id, and other organisations' openings and closed days are left out.
// With access control ([Config.Access]) the agenda is always read on
// behalf of the caller's organisation: the one named, if it is the
// caller's (else 403), or the first of the caller's organisations the
// agent works for; an agent reads their own agenda whole. Explanations
// likewise, and the public's explanations and booking refusals name no
// record (closed days excepted). Without access control, the parameter
// is trusted as given.
//
// # Pushed changes
//
// GET /agents/{id}/events is a text/event-stream ([Events]): a "ready"
// event first, then a "change" event, data {"agent_id", "from", "to"},
// whenever something in that agent's agenda may have changed over
// [from, to) (from or to absent: unbounded), a comment line every 25s, and
// a "shutdown" event when the server stops. A page subscribes once and
// reloads only that range: no polling. Slow subscribers are dropped (their
// EventSource reconnects, gets "ready" again and reloads), and
// [EventsConfig.MaxSubscribers] bounds the streams (503 past it).
//
// # Times
//
// A time parameter is RFC 3339 ("2026-12-01T09:00:00+01:00"), a date
// ("2026-12-01", its midnight) or a date-time without offset
// ("2026-12-01T09:00:00"), as FullCalendar sends. Values without an offset
// are read in the zone named by the timeZone parameter (FullCalendar's
// timeZoneParam), UTC when there is none; with timeZone the agenda's events
// are also written in that zone. A '+' of an offset that arrives decoded as
// a space (an unescaped curl URL) is read as '+'.
//
// # Errors and bounds
//
// Errors are JSON {"error": "..."}: 400 for malformed parameters and invalid
// queries, 404 for unknown agents, services, places and routes, 405 for
// other methods, 422 with "limit" naming the [agenda.Limits] field for a
// query past a limit, 503 with Retry-After when too many queries are in
// flight, 504 when a query outlives its deadline. A booking or hold that is
// refused answers 409 when the time is taken (an appointment, hold,
// absence, external calendar or daily cap; another booking moved the slot
// grid) and 422 when it can never succeed as asked (notice, slot grid,
// place, service, closed day, outside the openings), both with
// "explanation": the reasons ([agenda.Reason]) and the nearest bookable
// starts, as the service's organisation may see them. A booking or hold
// id is an idempotency key: repeating one answers what it made; an id
// already used otherwise (another appointment or active hold, a booking
// cancelled since) answers 409 without an explanation. Confirming a hold
// that expired answers 410; confirming again answers the appointment.
//
// The explain endpoint returns [agenda.Explanation] for one start of the
// agent at the place: bookable or not, every reason, and the nearest
// bookable starts; records of the agent's organisations other than
// organisation=ID (by default, the service's) appear as kind and time only.
//
// Every query endpoint runs under a deadline ([Config.Timeout]) passed to the
// engine, and behind a semaphore of [Config.MaxInflight] slots: a request
// that finds no slot within [Config.AdmitWait] is refused at once, so
// requests never queue without bound. The response is encoded while the slot
// is held and written after it is released, so a slow reader does not hold
// a slot. /healthz is never behind the semaphore.
package httpapi
