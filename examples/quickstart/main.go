// Command quickstart shows crossagenda on a built-in dataset: it generates
// a département (60 organisations, 1,500 agents, about 300,000
// appointments), compiles it, and prints for one agent who works in
// several organisations the week's agenda, the next free slots of one of
// their services, next availability and when a group of colleagues is free
// together — with how long each step took. The service gets buffers (a
// rest time around its appointments) and a 15-minute slot grid, and one
// slot is booked to show the buffers the appointment keeps.
//
//	go run ./examples/quickstart [-scale small|departement|region] [-seed N]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
	_ "time/tzdata"
)

func main() {
	scale := flag.String("scale", "departement", "dataset scale: small, departement or region")
	seed := flag.Uint64("seed", 1, "generator seed")
	flag.Parse()
	if err := run(os.Stdout, *scale, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func timed[T any](f func() (T, error)) (T, time.Duration, error) {
	start := time.Now()
	v, err := f()
	return v, time.Since(start), err
}

func run(w io.Writer, scaleName string, seed uint64) error {
	ctx := context.Background()
	ds, took, err := timed(func() (*agenda.Dataset, error) { return gen.GenerateByName(scaleName, seed) })
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "dataset %q: %d organisations, %d agents, %d opening periods, %d appointments (generated in %s)\n",
		scaleName, len(ds.Organisations), len(ds.Agents), len(ds.OpeningPeriods), len(ds.Appointments), round(took))
	// The service shown gets buffers: 5 minutes before and 10 after each of
	// its appointments, and a slot every 15 minutes.
	agent, service := pickAgent(ds)
	svc := &ds.Services[slices.IndexFunc(ds.Services, func(s agenda.Service) bool { return s.ID == service })]
	svc.BufferBeforeMinutes, svc.BufferAfterMinutes, svc.SlotIntervalMinutes = 5, 10, 15
	ix, took, err := timed(func() (*agenda.Index, error) { return agenda.New(ds) })
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "index built in %s\n\n", round(took))

	now := gen.DefaultAnchor() // the dataset's "today": appointments run two years back and six months ahead
	paris := now.Location()

	// 1. The week's agenda, merged across all of the agent's organisations.
	ag, took, err := timed(func() (*agenda.AgentAgenda, error) { return ix.Agenda(ctx, agent.ID, now, now.AddDate(0, 0, 7)) })
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "agenda of agent %s, who works in organisations %s, week of %s: %d events, computed in %s\n",
		agent.ID, strings.Join(agent.OrganisationIDs, ", "), now.Format("2006-01-02"), len(ag.Events), round(took))
	for _, e := range ag.Events {
		line := fmt.Sprintf("  %s–%s  %-11s %-8s %s", e.Start.In(paris).Format("Mon 02 15:04"), e.End.In(paris).Format("15:04"),
			e.Kind, e.OrganisationID, e.ID)
		if e.Kind == agenda.KindAppointment {
			line += fmt.Sprintf(" (%s)", e.Status)
		}
		if e.Name != "" {
			line += " " + e.Name
		}
		fmt.Fprintln(w, line)
	}
	free := time.Duration(0)
	for _, s := range ag.Free {
		free += s.End.Sub(s.Start)
	}
	fmt.Fprintf(w, "  busy intervals: %d, free time: %s\n\n", len(ag.Busy), free)

	// 2. The next free slots of one of the agent's services, public view.
	q := agenda.SlotQuery{ServiceID: service, From: now, To: now.AddDate(0, 0, 14), Now: now, View: agenda.ViewUser}
	slots, took, err := timed(func() ([]agenda.Slot, error) { return ix.Slots(ctx, q) })
	if err != nil {
		return err
	}
	agents := map[string]bool{}
	for _, s := range slots {
		agents[s.AgentID] = true
	}
	fmt.Fprintf(w, "slots of service %s (%d minutes, buffers %d before and %d after, a slot every %d minutes) over two weeks:\n"+
		"%d slots across %d agents, computed in %s; the first ones:\n",
		service, svc.DurationMinutes, svc.BufferBeforeMinutes, svc.BufferAfterMinutes, svc.SlotIntervalMinutes,
		len(slots), len(agents), round(took))
	for _, s := range slots[:min(5, len(slots))] {
		fmt.Fprintf(w, "  %s–%s  %s at %s\n", s.Start.In(paris).Format("Mon 02 15:04"), s.End.In(paris).Format("15:04"), s.AgentID, s.PlaceID)
	}
	if len(slots) > 0 {
		// Booking copies the service's buffers onto the appointment: the
		// agent is busy from 5 minutes before it to 10 minutes after, in
		// every organisation.
		live := agenda.LiveFrom(ix)
		s := slots[0]
		r, err := live.Book(ctx, agenda.Booking{ID: "quickstart-1", ServiceID: service, AgentID: s.AgentID, PlaceID: s.PlaceID,
			Start: s.Start, Now: now, View: agenda.ViewUser})
		if err != nil {
			return err
		}
		day, err := live.Agenda(ctx, s.AgentID, s.Start.Add(-time.Hour), s.End.Add(time.Hour))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "booked %s–%s for %s (buffers %d and %d minutes); busy around it:",
			r.Start.In(paris).Format("Mon 02 15:04"), r.End.In(paris).Format("15:04"), s.AgentID, *r.BufferBeforeMinutes, *r.BufferAfterMinutes)
		for _, b := range day.Busy {
			fmt.Fprintf(w, " %s–%s", b.Start.In(paris).Format("15:04"), b.End.In(paris).Format("15:04"))
		}
		fmt.Fprintln(w)
	}

	// 3. Next availability: the first slot, searched lazily up to the
	// service's maximum notice.
	next, took, err := timed(func() (agenda.Slot, error) {
		s, ok, err := ix.NextAvailable(ctx, agenda.SlotQuery{ServiceID: service, AgentIDs: []string{agent.ID}, Now: now})
		if err == nil && !ok {
			err = fmt.Errorf("no availability for %s", agent.ID)
		}
		return s, err
	})
	if err != nil {
		fmt.Fprintf(w, "\nnext availability of %s for %s: none (%s)\n", agent.ID, service, round(took))
	} else {
		fmt.Fprintf(w, "\nnext availability of %s for %s: %s at %s, found in %s\n",
			agent.ID, service, next.Start.In(paris).Format("Mon 2 Jan 15:04"), next.PlaceID, round(took))
	}

	// 4. When is the agent free together with colleagues of their first
	// organisation: all of them, then at least two of the group.
	group := colleagues(ds, agent, 4)
	for _, quorum := range []int{0, 2} {
		cq := agenda.CommonQuery{AgentIDs: group, From: now, To: now.AddDate(0, 1, 0), Quorum: quorum, MinLength: time.Hour}
		spans, took, err := timed(func() ([]agenda.Span, error) { return ix.Common(ctx, cq) })
		if err != nil {
			return err
		}
		who := "all of"
		if quorum > 0 {
			who = fmt.Sprintf("at least %d of", quorum)
		}
		fmt.Fprintf(w, "\n%s %s free together for an hour or more over the next month: %d intervals, computed in %s\n",
			who, strings.Join(group, ", "), len(spans), round(took))
		for _, s := range spans[:min(3, len(spans))] {
			fmt.Fprintf(w, "  %s–%s\n", s.Start.In(paris).Format("Mon 02 Jan 15:04"), s.End.In(paris).Format("15:04"))
		}
	}
	return nil
}

// pickAgent returns an agent of several organisations with an opening this
// week, and a non-collective service one of their openings offers.
func pickAgent(ds *agenda.Dataset) (agenda.Agent, string) {
	collective := map[string]bool{}
	for _, s := range ds.Services {
		collective[s.ID] = s.Collective
	}
	best, bestOrgs := 0, 0
	for i, a := range ds.Agents {
		if len(a.OrganisationIDs) > bestOrgs {
			best, bestOrgs = i, len(a.OrganisationIDs)
		}
	}
	agent := ds.Agents[best]
	for _, p := range ds.OpeningPeriods {
		if p.AgentID == agent.ID && p.RRule != "" {
			for _, s := range p.ServiceIDs {
				if !collective[s] {
					return agent, s
				}
			}
		}
	}
	return agent, ds.Services[0].ID
}

// colleagues returns the agent and the n-1 others of its organisations
// with the most opening periods.
func colleagues(ds *agenda.Dataset, agent agenda.Agent, n int) []string {
	openings := map[string]int{}
	for _, p := range ds.OpeningPeriods {
		openings[p.AgentID]++
	}
	var others []string
	for _, a := range ds.Agents {
		if a.ID != agent.ID && slices.ContainsFunc(a.OrganisationIDs, func(o string) bool { return slices.Contains(agent.OrganisationIDs, o) }) {
			others = append(others, a.ID)
		}
	}
	slices.SortStableFunc(others, func(a, b string) int { return openings[b] - openings[a] })
	return append([]string{agent.ID}, others[:min(n-1, len(others))]...)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
