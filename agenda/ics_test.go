package agenda_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func spanUnix(ss []agenda.Span) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%d-%d", s.Start.Unix(), s.End.Unix()))
	}
	return out
}

func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// reimport reads ics back as the only calendar of a fresh agent and
// returns that agent's agenda over [from, to).
func reimport(t *testing.T, ics string, from, to time.Time) *agenda.AgentAgenda {
	t.Helper()
	ds := &agenda.Dataset{
		Organisations: []agenda.Organisation{{ID: "o"}},
		Agents:        []agenda.Agent{{ID: "copy", OrganisationIDs: []string{"o"}}},
		Calendars:     []agenda.Calendar{{ID: "export", AgentID: "copy", ICS: ics}},
	}
	ix, err := agenda.New(ds)
	require.NoError(t, err, "%+v\n%s", err, ics)
	ag, err := ix.Agenda(context.Background(), "copy", from, to)
	require.NoError(t, err)
	return ag
}

// TestICSRoundTrip: the agenda of every agent of seeded adversarial
// datasets (several zones, DST changes in the window, buffers, recurring
// absences, cancelled appointments, closed days), as everything and as one
// organisation sees it, exported and read back as an external calendar,
// gives exactly the exported Busy.
func TestICSRoundTrip(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 40
	}
	ctx := context.Background()
	checked := 0
	for seed := range uint64(n) {
		rc := gen.Random(seed, gen.RandomConfig{})
		ix, err := agenda.New(rc.Dataset)
		require.NoError(t, err)
		for _, a := range rc.Dataset.Agents {
			views := []func() (*agenda.AgentAgenda, error){
				func() (*agenda.AgentAgenda, error) { return ix.Agenda(ctx, a.ID, rc.From, rc.To) },
				func() (*agenda.AgentAgenda, error) {
					return ix.AgendaFor(ctx, a.OrganisationIDs[0], a.ID, rc.From, rc.To)
				},
			}
			for v, view := range views {
				ag, err := view()
				require.NoError(t, err)
				var buf bytes.Buffer
				require.NoError(t, agenda.WriteICS(&buf, ag))
				if v == 0 {
					// In the full view every busy instant comes from an
					// event, but for the buffers of appointments just
					// outside the window: a bare busy event touches an end.
					for _, ev := range strings.Split(buf.String(), "BEGIN:VEVENT\r\n")[1:] {
						if strings.Contains(ev, "SUMMARY:Busy\r\n") {
							edge := strings.Contains(ev, "DTSTART:"+rc.From.UTC().Format("20060102T150405Z")) ||
								strings.Contains(ev, "DTEND:"+time.Unix(ceilUnix(rc.To), 0).UTC().Format("20060102T150405Z"))
							require.True(t, edge, "seed %d agent %s: busy time no event explains:\n%s", seed, a.ID, ev)
						}
					}
				}
				back := reimport(t, buf.String(), rc.From, rc.To)
				require.Equal(t, spanUnix(ag.Busy), spanUnix(back.Busy), "seed %d agent %s view %d\n%s", seed, a.ID, v, buf.String())
				checked++
			}
		}
	}
	t.Logf("%d agendas round-tripped", checked)
}

// TestICSShape checks the export of the calendar fixture's week by hand:
// one VEVENT per event, UTC times, transparency, stable UIDs, folding.
func TestICSShape(t *testing.T) {
	ix, err := agenda.New(calendarDataset())
	require.NoError(t, err)
	ag, err := ix.Agenda(context.Background(), "a1", parisDay(2, 0, 0), parisDay(3, 0, 0))
	require.NoError(t, err)
	stamp := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var a, b bytes.Buffer
	require.NoError(t, agenda.ICSOptions{Stamp: stamp}.WriteICS(&a, ag))
	require.NoError(t, agenda.ICSOptions{Stamp: stamp}.WriteICS(&b, ag))
	assert.Equal(t, a.String(), b.String(), "the same agenda gives the same bytes")
	out := a.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(l), 75, "folded: %q", l)
	}
	// Monday 2 March: the opening 09:00-12:00 Paris (08:00-11:00Z) is
	// transparent, the Outlook meeting 10:00-11:00 (09:00-10:00Z) opaque.
	var uids []string
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	events := strings.Split(unfolded, "BEGIN:VEVENT\r\n")[1:]
	require.Len(t, events, 2)
	assert.Contains(t, events[0], "DTSTART:20260302T080000Z\r\nDTEND:20260302T110000Z\r\n")
	assert.Contains(t, events[0], "SUMMARY:Opening\r\n")
	assert.Contains(t, events[0], "TRANSP:TRANSPARENT\r\n")
	assert.Contains(t, events[1], "DTSTART:20260302T090000Z\r\nDTEND:20260302T100000Z\r\n")
	assert.Contains(t, events[1], "TRANSP:OPAQUE\r\n")
	assert.Contains(t, events[1], "X-CROSSAGENDA-ID:outlook\r\n")
	for _, ev := range events {
		assert.Contains(t, ev, "DTSTAMP:20260301T000000Z\r\n")
		_, rest, _ := strings.Cut(ev, "UID:")
		u, _, _ := strings.Cut(rest, "\r\n")
		uids = append(uids, u)
	}
	assert.NotEqual(t, uids[0], uids[1])
	assert.True(t, strings.HasPrefix(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crossagenda//agenda//EN\r\n"), out)
	assert.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))

	// The next week's Monday meeting keeps its own UID when the window
	// moves: a subscribed calendar sees the same occurrence.
	wide, err := ix.Agenda(context.Background(), "a1", parisDay(1, 0, 0), parisDay(20, 0, 0))
	require.NoError(t, err)
	var w bytes.Buffer
	require.NoError(t, agenda.ICSOptions{Stamp: stamp}.WriteICS(&w, wide))
	assert.Contains(t, w.String(), "UID:"+uids[1]+"\r\n")
}

// TestFreeBusy: a VFREEBUSY of the merged busy time, holds as
// BUSY-TENTATIVE, worked out by hand.
func TestFreeBusy(t *testing.T) {
	clock := newManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	live, err := agenda.NewLive(calendarDataset(), agenda.WithClock(clock.Now))
	require.NoError(t, err)
	ctx := context.Background()
	// Hold Tuesday 3 March 09:00-10:00 Paris (08:00-09:00Z) of o2's service.
	_, err = live.Hold(ctx, agenda.Booking{ID: "h1", ServiceID: "m2", AgentID: "a1", Start: parisDay(3, 9, 0), Now: parisDay(1, 0, 0)}, time.Hour)
	require.NoError(t, err)
	ag, err := live.Agenda(ctx, "a1", parisDay(2, 0, 0), parisDay(5, 0, 0))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, agenda.ICSOptions{Stamp: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}.WriteFreeBusy(&buf, ag))
	got := strings.ReplaceAll(buf.String(), "\r\n ", "")
	_, body, ok := strings.Cut(got, "BEGIN:VFREEBUSY\r\n")
	require.True(t, ok, got)
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	assert.Equal(t, []string{
		lines[0], // UID
		"DTSTAMP:20260301T120000Z",
		"DTSTART:20260301T230000Z",
		"DTEND:20260304T230000Z",
		// Monday's meeting and Wednesday's all-day event (Tuesday 23:00Z
		// to Wednesday 23:00Z, cut at the window's end).
		"FREEBUSY;FBTYPE=BUSY:20260302T090000Z/20260302T100000Z,20260303T230000Z/20260304T230000Z",
		"FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260303T080000Z/20260303T090000Z",
		"END:VFREEBUSY",
		"END:VCALENDAR",
	}, lines)
	assert.True(t, strings.HasPrefix(lines[0], "UID:"))
}
