package agenda

import (
	"maps"
	"slices"
)

// Catalogue is what an index knows besides time: its organisations,
// agents, places and services, and the services each agent offers. A page
// lists it in its pickers.
type Catalogue struct {
	// TimeZone is the dataset's default zone.
	TimeZone      string
	Organisations []Organisation
	Agents        []Agent
	Places        []Place
	Services      []Service
	// AgentServices lists, by agent id, the services some opening period
	// of the agent offers, ascending; agents without openings are absent.
	AgentServices map[string][]string
}

// Catalogue returns the index's catalogue, as new slices the caller may
// keep. Unlike [Index.Dataset] it reads no appointment or absence:
// O(organisations + agents + places + services + opening periods).
func (ix *Index) Catalogue() *Catalogue {
	r := &ix.records
	c := &Catalogue{
		TimeZone:      r.timeZone,
		Organisations: slices.Clone(r.organisations),
		Agents:        r.agentsCopy(),
		Places:        slices.Clone(r.places),
		Services:      slices.Clone(r.services),
		AgentServices: map[string][]string{},
	}
	for _, a := range ix.agents {
		set := map[string]bool{}
		for _, o := range a.openings {
			for _, s := range o.rec.ServiceIDs {
				set[s] = true
			}
		}
		if len(set) > 0 {
			c.AgentServices[a.id] = slices.Sorted(maps.Keys(set))
		}
	}
	return c
}

// Service returns the service with the given id, as the dataset gave it,
// and whether there is one. O(1).
func (ix *Index) Service(id string) (Service, bool) {
	s, ok := ix.serviceByID[id]
	if !ok {
		return Service{}, false
	}
	return ix.records.services[s], true
}

// Service answers [Index.Service] on the current snapshot.
func (l *Live) Service(id string) (Service, bool) { return l.Snapshot().Service(id) }
