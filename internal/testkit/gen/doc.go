// Package gen generates deterministic synthetic crossagenda datasets:
// realistic scales for benchmarks and small adversarial ones for
// differential tests.
//
// # Realistic scales
//
// [Generate] builds a dataset shaped like a public-service deployment at a
// named [Scale] ([Small], [Departement], [Region]): organisations mostly in
// Europe/Paris with a few overseas, agents shared between organisations,
// weekly, bi-weekly and monthly opening periods started over the five years
// before an anchor date, recurring and holiday absences, closed days, and
// appointments over the two years before and six months after the anchor,
// booked mostly inside opening occurrences (about 60% of the near future).
// Region (two million appointments) takes a few seconds and a few hundred
// MiB.
//
// # Adversarial cases
//
// [Random] builds a small dataset and a query window that stress the
// corners of the semantics: DST changes inside the window, wall times in
// DST gaps and folds, every supported RRULE shape, nested and overlapping
// busy intervals, closed days and holidays, collective services and every
// appointment status; and the booking rules, drawn from a stream of their
// own: buffers on some services and appointments, slot intervals shorter
// and longer than durations, exdates on and off occurrences, daily caps,
// organisations in every holiday zone (RandomConfig.NoRules leaves them
// out).
//
// # Determinism
//
// The same arguments always give the same dataset, byte for byte through
// [agenda.Dataset.WriteJSON]: randomness comes only from the seed (PCG
// streams of math/rand/v2), never from the clock or from map order.
// Every function is safe for concurrent use; each call returns a dataset
// of its own.
package gen
