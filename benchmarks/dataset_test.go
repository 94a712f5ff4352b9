package benchmarks

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the generator and the engine need the zone database

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
	"github.com/crossagenda/crossagenda/internal/testkit/reference"
)

// benchScaleEnv names the environment variable that selects the dataset of
// the query benchmarks: "departement" (the default, for quick runs),
// "million" (about a million appointments), "region" or "small".
const benchScaleEnv = "CROSSAGENDA_BENCH_SCALE"

// benchSeed seeds every generated dataset.
const benchSeed = 1

// benchMillion is the scale of the big run: thousands of agents and about
// a million appointments, between Departement and Region.
var benchMillion = gen.Scale{Name: "million", Organisations: 160, Agents: 4_000, TargetAppointments: 1_000_000, Overseas: 8}

// bufferedService is the id of the service the fixture adds for the
// buffered slots benchmark.
const bufferedService = "bench-buffered"

// Sizes of the fixture's queries.
const (
	slotAgents   = 50  // agents offering the slots query's service
	slotPlaces   = 5   // places those agents receive at
	commonAgents = 400 // agents of the largest group-availability query
	nextDays     = 150 // days of fully booked or closed time before the first free slot
)

// benchScale returns the scale named by CROSSAGENDA_BENCH_SCALE.
func benchScale() (gen.Scale, error) {
	name := os.Getenv(benchScaleEnv)
	switch {
	case name == "":
		return gen.Departement, nil
	case strings.EqualFold(name, benchMillion.Name):
		return benchMillion, nil
	}
	if s, ok := gen.ScaleByName(name); ok {
		return s, nil
	}
	return gen.Scale{}, fmt.Errorf("%s=%q: want small, departement, million or region", benchScaleEnv, name)
}

// rawDatasets caches the generated dataset of each scale, unmodified: the
// build benchmarks compile it, the query fixture derives from it.
var rawDatasets sync.Map // scale name -> func() *agenda.Dataset

func rawDataset(s gen.Scale) *agenda.Dataset {
	f, _ := rawDatasets.LoadOrStore(s.Name, sync.OnceValue(func() *agenda.Dataset { return gen.Generate(s, benchSeed) }))
	return f.(func() *agenda.Dataset)()
}

// benchFixture is a generated dataset with a few records added so that
// each benchmarked query has the shape its benchmark names, compiled once
// for the engine (with one and with two workers) and for the reference.
type benchFixture struct {
	scale        gen.Scale
	appointments int
	anchor       time.Time
	ix           *agenda.Index // WithParallelism(1): ratios compare one core with one core
	ix2          *agenda.Index // WithParallelism(2)
	ref          *reference.Reference

	// An agent of five organisations, over one month.
	agendaAgent          string
	agendaFrom, agendaTo time.Time
	agendaEvents         int
	slots                agenda.SlotQuery // one service, 50 agents, 5 places, 3 months
	slotCount            int
	// The same agents and openings for a 45-minute service with a
	// 10-minute buffer before, 15 after, offered every 15 minutes.
	slotsBuffered          agenda.SlotQuery
	slotBufferedCount      int
	nextBooked, nextClosed agenda.SlotQuery // first free slot about 5 months ahead
	nextBookedWant         agenda.Slot
	nextClosedWant         agenda.Slot
	common                 []string // agents with openings, ascending; queries take a prefix
	commonFrom, commonTo   time.Time
}

var benchFixtureOnce = sync.OnceValues(func() (*benchFixture, error) {
	s, err := benchScale()
	if err != nil {
		return nil, err
	}
	return newBenchFixture(s)
})

// loadFixture returns the shared fixture, built on first use.
func loadFixture(tb interface {
	Helper()
	Fatal(...any)
}) *benchFixture {
	tb.Helper()
	f, err := benchFixtureOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// newBenchFixture derives the query fixture from the generated dataset of
// scale s. Every choice is deterministic: records are picked by counts,
// ties broken by id.
func newBenchFixture(s gen.Scale) (*benchFixture, error) {
	raw := rawDataset(s)
	ds := *raw
	ds.OpeningPeriods = slices.Clone(raw.OpeningPeriods)
	ds.Places = slices.Clone(raw.Places)
	ds.ClosedDays = slices.Clone(raw.ClosedDays)
	f := &benchFixture{scale: s, anchor: gen.DefaultAnchor()}
	m := newDatasetMaps(&ds)

	// The agent agenda: the agent of five organisations, with openings,
	// that has the most appointments.
	best := -1
	for i, a := range ds.Agents {
		if len(a.OrganisationIDs) == 5 && len(m.openingsOf[a.ID]) > 0 &&
			(best < 0 || m.apptCount[a.ID] > m.apptCount[ds.Agents[best].ID]) {
			best = i
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("scale %s: no agent with openings in five organisations", s.Name)
	}
	f.agendaAgent = ds.Agents[best].ID
	f.agendaFrom, f.agendaTo = f.anchor, f.anchor.AddDate(0, 1, 0)
	avoidOrgs := slices.Clone(ds.Agents[best].OrganisationIDs)
	avoidAgents := []string{f.agendaAgent}

	// Slots: the individual service offered by the most agents, topped up
	// to 50 agents whose openings of it recur past the window with copies
	// of one of its weekly openings given to other members of its
	// organisation, and its organisation topped up to five
	// places that the 50 agents' openings of it are spread over.
	svcs := m.individualServicesByAgents(&ds)
	slotSvc := svcs[0]
	org := m.serviceOrg[slotSvc]
	slotsTo := f.anchor.AddDate(0, 3, 0)
	var agents []string // with an opening of the service that recurs beyond the window
	var template agenda.OpeningPeriod
	for _, i := range m.openingsOffering(slotSvc) {
		op := ds.OpeningPeriods[i]
		if op.RRule == "" || op.Until != "" && op.Until < slotsTo.Format(time.DateOnly) {
			continue
		}
		if !slices.Contains(agents, op.AgentID) {
			agents = append(agents, op.AgentID)
		}
		if template.ID == "" && strings.HasPrefix(op.RRule, "FREQ=WEEKLY") {
			template = op
		}
	}
	if template.ID == "" {
		return nil, fmt.Errorf("scale %s: service %s has no weekly opening", s.Name, slotSvc)
	}
	for _, a := range m.members[org] {
		if len(agents) >= slotAgents {
			break
		}
		if !slices.Contains(agents, a) && !slices.Contains(avoidAgents, a) {
			op := template
			op.ID = fmt.Sprintf("bench-p%d", len(agents))
			op.AgentID = a
			op.ServiceIDs = []string{slotSvc}
			ds.OpeningPeriods = append(ds.OpeningPeriods, op)
			agents = append(agents, a)
		}
	}
	if len(agents) < slotAgents {
		return nil, fmt.Errorf("scale %s: service %s: only %d agents can offer it", s.Name, slotSvc, len(agents))
	}
	slices.Sort(agents)
	agents = agents[:slotAgents]
	places := m.placesOf[org]
	for len(places) < slotPlaces {
		id := "bench-l" + strconv.Itoa(len(places))
		ds.Places = append(ds.Places, agenda.Place{ID: id, OrganisationID: org, Name: "Bench site " + id})
		places = append(places, id)
	}
	ds.Services = append(slices.Clone(raw.Services), agenda.Service{ID: bufferedService, OrganisationID: org,
		Name: "Bench buffered", DurationMinutes: 45, BufferBeforeMinutes: 10, BufferAfterMinutes: 15, SlotIntervalMinutes: 15})
	k := 0
	for i := range ds.OpeningPeriods {
		op := &ds.OpeningPeriods[i]
		if slices.Contains(op.ServiceIDs, slotSvc) && slices.Contains(agents, op.AgentID) {
			op.PlaceID = places[k%slotPlaces]
			op.ServiceIDs = append(slices.Clone(op.ServiceIDs), bufferedService)
			k++
		}
	}
	f.slots = agenda.SlotQuery{ServiceID: slotSvc, AgentIDs: agents, From: f.anchor, To: slotsTo,
		Now: f.anchor, View: agenda.ViewAgent}
	f.slotsBuffered = f.slots
	f.slotsBuffered.ServiceID = bufferedService
	avoidOrgs = append(avoidOrgs, org)
	avoidAgents = append(avoidAgents, agents...)

	// Next availability: two services of other organisations, offered by
	// a few agents who offer nothing else benchmarked. The first has
	// every opening occurrence of its agents booked back to back for 150
	// days; the second has its organisation closed for 150 days.
	fresh := func(svc string) bool {
		n := len(m.agentsOffering(svc))
		return n >= 2 && n <= 6 && !slices.Contains(avoidOrgs, m.serviceOrg[svc]) &&
			!slices.ContainsFunc(m.agentsOffering(svc), func(a string) bool { return slices.Contains(avoidAgents, a) })
	}
	var nextSvcs []string
	for _, svc := range svcs {
		if fresh(svc) {
			nextSvcs = append(nextSvcs, svc)
			avoidOrgs = append(avoidOrgs, m.serviceOrg[svc])
			avoidAgents = append(avoidAgents, m.agentsOffering(svc)...)
			if len(nextSvcs) == 2 {
				break
			}
		}
	}
	if len(nextSvcs) < 2 {
		return nil, fmt.Errorf("scale %s: no two services of 2 to 6 agents for next availability", s.Name)
	}
	blockUntil := f.anchor.AddDate(0, 0, nextDays)
	fill, err := bookOpenings(&ds, m.agentsOffering(nextSvcs[0]), f.anchor, blockUntil)
	if err != nil {
		return nil, err
	}
	ds.Appointments = make([]agenda.Appointment, 0, len(raw.Appointments)+len(fill))
	ds.Appointments = append(append(ds.Appointments, raw.Appointments...), fill...)
	closeOrganisation(&ds, m.serviceOrg[nextSvcs[1]], f.anchor, blockUntil)
	f.nextBooked = agenda.SlotQuery{ServiceID: nextSvcs[0], From: f.anchor, Now: f.anchor, View: agenda.ViewAgent}
	f.nextClosed = agenda.SlotQuery{ServiceID: nextSvcs[1], From: f.anchor, Now: f.anchor, View: agenda.ViewAgent}

	// Group availability: agents with openings, by ascending id.
	for _, a := range ds.Agents {
		if len(m.openingsOf[a.ID]) > 0 {
			f.common = append(f.common, a.ID)
		}
	}
	slices.Sort(f.common)
	if len(f.common) < commonAgents {
		return nil, fmt.Errorf("scale %s: %d agents with openings, want %d", s.Name, len(f.common), commonAgents)
	}
	f.common = f.common[:commonAgents]
	f.commonFrom, f.commonTo = f.anchor, f.anchor.AddDate(1, 0, 0)

	f.appointments = len(ds.Appointments)
	if f.ix, err = agenda.New(&ds, agenda.WithParallelism(1)); err != nil {
		return nil, err
	}
	if f.ix2, err = agenda.New(&ds, agenda.WithParallelism(2)); err != nil {
		return nil, err
	}
	if f.ref, err = reference.New(&ds); err != nil {
		return nil, err
	}
	return f, f.check()
}

// check verifies, with the engine, that the queries have the shape the
// benchmarks claim. Agreement with the reference is checked by each
// baseline benchmark on the answer it computed.
func (f *benchFixture) check() error {
	ctx := context.Background()
	ag, err := f.ix.Agenda(ctx, f.agendaAgent, f.agendaFrom, f.agendaTo)
	if err != nil {
		return err
	}
	f.agendaEvents = len(ag.Events)
	slots, err := f.ix.Slots(ctx, f.slots)
	if err != nil {
		return err
	}
	f.slotCount = len(slots)
	buffered, err := f.ix.Slots(ctx, f.slotsBuffered)
	if err != nil {
		return err
	}
	f.slotBufferedCount = len(buffered)
	bufAgents := map[string]bool{}
	for _, s := range buffered {
		bufAgents[s.AgentID] = true
	}
	if len(bufAgents) < slotAgents*9/10 {
		return fmt.Errorf("buffered slots fixture: %d slots from %d agents, want about %d agents", len(buffered), len(bufAgents), slotAgents)
	}
	agents, places := map[string]bool{}, map[string]bool{}
	for _, s := range slots {
		agents[s.AgentID], places[s.PlaceID] = true, true
	}
	if len(agents) < slotAgents*9/10 || len(places) != slotPlaces {
		return fmt.Errorf("slots fixture: %d slots from %d agents and %d places, want about %d agents and %d places",
			len(slots), len(agents), len(places), slotAgents, slotPlaces)
	}
	for _, n := range []struct {
		q    agenda.SlotQuery
		want *agenda.Slot
	}{{f.nextBooked, &f.nextBookedWant}, {f.nextClosed, &f.nextClosedWant}} {
		s, ok, err := f.ix.NextAvailable(ctx, n.q)
		if err != nil {
			return err
		}
		if days := s.Start.Sub(f.anchor).Hours() / 24; !ok || days < nextDays || days > nextDays+30 {
			return fmt.Errorf("next fixture %s: first slot %v (found %v), want %d to %d days ahead",
				n.q.ServiceID, s.Start, ok, nextDays, nextDays+30)
		}
		*n.want = s
	}
	return nil
}

// datasetMaps indexes a dataset's records for choosing the fixture.
type datasetMaps struct {
	openingsOf map[string][]int    // agent -> opening indexes
	apptCount  map[string]int      // agent -> appointments
	serviceOrg map[string]string   // service -> organisation
	members    map[string][]string // organisation -> agents, dataset order
	placesOf   map[string][]string // organisation -> places, dataset order
	offering   map[string][]string // service -> agents with an opening offering it, ascending
	offeringOp map[string][]int    // service -> openings offering it
	collective map[string]bool
}

func newDatasetMaps(ds *agenda.Dataset) *datasetMaps {
	m := &datasetMaps{openingsOf: map[string][]int{}, apptCount: map[string]int{}, serviceOrg: map[string]string{},
		members: map[string][]string{}, placesOf: map[string][]string{}, offering: map[string][]string{},
		offeringOp: map[string][]int{}, collective: map[string]bool{}}
	for i, op := range ds.OpeningPeriods {
		m.openingsOf[op.AgentID] = append(m.openingsOf[op.AgentID], i)
		for _, s := range op.ServiceIDs {
			m.offeringOp[s] = append(m.offeringOp[s], i)
			if !slices.Contains(m.offering[s], op.AgentID) {
				m.offering[s] = append(m.offering[s], op.AgentID)
			}
		}
	}
	for _, l := range m.offering {
		slices.Sort(l)
	}
	for _, ap := range ds.Appointments {
		for _, a := range ap.AgentIDs {
			m.apptCount[a]++
		}
	}
	for _, s := range ds.Services {
		m.serviceOrg[s.ID] = s.OrganisationID
		m.collective[s.ID] = s.Collective
	}
	for _, a := range ds.Agents {
		for _, o := range a.OrganisationIDs {
			m.members[o] = append(m.members[o], a.ID)
		}
	}
	for _, p := range ds.Places {
		m.placesOf[p.OrganisationID] = append(m.placesOf[p.OrganisationID], p.ID)
	}
	return m
}

func (m *datasetMaps) agentsOffering(svc string) []string { return m.offering[svc] }
func (m *datasetMaps) openingsOffering(svc string) []int  { return m.offeringOp[svc] }

// individualServicesByAgents lists the services with computed slots, most
// offering agents first, ties by id.
func (m *datasetMaps) individualServicesByAgents(ds *agenda.Dataset) []string {
	var out []string
	for _, s := range ds.Services {
		if !s.Collective && len(m.offering[s.ID]) > 0 {
			out = append(out, s.ID)
		}
	}
	slices.SortFunc(out, func(x, y string) int {
		return cmp.Or(cmp.Compare(len(m.offering[y]), len(m.offering[x])), strings.Compare(x, y))
	})
	return out
}

// bookOpenings returns appointments that book every opening occurrence of
// the agents starting in [from, to) back to back, in steps of the
// shortest service the opening offers. Occurrences are listed by the
// reference on a dataset holding only those agents' openings, so the
// fixture does not depend on the engine it measures.
func bookOpenings(ds *agenda.Dataset, agents []string, from, to time.Time) ([]agenda.Appointment, error) {
	mini := agenda.Dataset{TimeZone: ds.TimeZone, Organisations: ds.Organisations, Places: ds.Places, Services: ds.Services}
	for _, a := range ds.Agents {
		if slices.Contains(agents, a.ID) {
			mini.Agents = append(mini.Agents, a)
		}
	}
	for _, op := range ds.OpeningPeriods {
		if slices.Contains(agents, op.AgentID) {
			mini.OpeningPeriods = append(mini.OpeningPeriods, op)
		}
	}
	ref, err := reference.New(&mini)
	if err != nil {
		return nil, err
	}
	durations := map[string]time.Duration{}
	for _, s := range ds.Services {
		durations[s.ID] = time.Duration(s.DurationMinutes) * time.Minute
	}
	openings := map[string]agenda.OpeningPeriod{}
	for _, op := range mini.OpeningPeriods {
		openings[op.ID] = op
	}
	var out []agenda.Appointment
	for _, a := range agents {
		ag, err := ref.Agenda(a, from, to)
		if err != nil {
			return nil, err
		}
		for _, ev := range ag.Events {
			if ev.Kind != reference.KindOpening || ev.Start.Before(from) {
				continue
			}
			op := openings[ev.ID]
			step := time.Duration(0)
			for _, s := range op.ServiceIDs {
				if d := durations[s]; step == 0 || d < step {
					step = d
				}
			}
			for t := ev.Start; t.Before(ev.End); t = t.Add(step) {
				end := t.Add(step)
				if end.After(ev.End) {
					end = ev.End
				}
				out = append(out, agenda.Appointment{
					ID: fmt.Sprintf("bench-r%d", len(out)), OrganisationID: op.OrganisationID, PlaceID: op.PlaceID,
					ServiceID: op.ServiceIDs[0], AgentIDs: []string{a}, Start: t, End: end,
				})
			}
		}
	}
	return out, nil
}

// closeOrganisation closes org on every local day of [from, to) that it
// is not already closed on by a closed day of its own.
func closeOrganisation(ds *agenda.Dataset, org string, from, to time.Time) {
	have := map[string]bool{}
	for _, c := range ds.ClosedDays {
		if c.OrganisationID == org {
			have[c.Date] = true
		}
	}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if date := d.Format(time.DateOnly); !have[date] {
			ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{Date: date, OrganisationID: org, Name: "Travaux"})
		}
	}
}

// refQuery is q for the reference.
func refQuery(q agenda.SlotQuery) reference.Query {
	return reference.Query{ServiceID: q.ServiceID, PlaceIDs: q.PlaceIDs, AgentIDs: q.AgentIDs,
		From: q.From, To: q.To, Now: q.Now, UserView: q.View == agenda.ViewUser}
}

// sameSlot reports whether the engine's and the reference's slots are
// the same slot.
func sameSlot(x agenda.Slot, y reference.Slot) bool {
	return x.Start.Equal(y.Start) && x.End.Equal(y.End) && x.AgentID == y.AgentID && x.PlaceID == y.PlaceID &&
		x.OrganisationID == y.OrganisationID && x.ServiceID == y.ServiceID &&
		x.AppointmentID == y.AppointmentID && x.SeatsLeft == y.SeatsLeft
}

// diffSlots describes the first difference between two slot lists.
func diffSlots(ours []agenda.Slot, ref []reference.Slot) error {
	for i := range min(len(ours), len(ref)) {
		if !sameSlot(ours[i], ref[i]) {
			return fmt.Errorf("slot %d: ours %+v, reference %+v", i, ours[i], ref[i])
		}
	}
	if len(ours) != len(ref) {
		return fmt.Errorf("ours has %d slots, the reference %d", len(ours), len(ref))
	}
	return nil
}

// diffSpans describes the first difference between two span lists.
func diffSpans(what string, ours []agenda.Span, ref []reference.Span) error {
	for i := range min(len(ours), len(ref)) {
		if !ours[i].Start.Equal(ref[i].Start) || !ours[i].End.Equal(ref[i].End) {
			return fmt.Errorf("%s %d: ours [%v, %v), reference [%v, %v)", what, i, ours[i].Start, ours[i].End, ref[i].Start, ref[i].End)
		}
	}
	if len(ours) != len(ref) {
		return fmt.Errorf("%s: ours has %d spans, the reference %d", what, len(ours), len(ref))
	}
	return nil
}

// diffAgenda describes the first difference between two agendas.
func diffAgenda(ours *agenda.AgentAgenda, ref reference.Agenda) error {
	for i := range min(len(ours.Events), len(ref.Events)) {
		x, y := ours.Events[i], ref.Events[i]
		if string(x.Kind) != y.Kind || x.ID != y.ID || x.OrganisationID != y.OrganisationID || x.PlaceID != y.PlaceID ||
			!x.Start.Equal(y.Start) || !x.End.Equal(y.End) {
			return fmt.Errorf("event %d: ours %+v, reference %+v", i, x, y)
		}
	}
	if len(ours.Events) != len(ref.Events) {
		return fmt.Errorf("ours has %d events, the reference %d", len(ours.Events), len(ref.Events))
	}
	if err := diffSpans("busy", ours.Busy, ref.Busy); err != nil {
		return err
	}
	return diffSpans("free", ours.Free, ref.Free)
}
