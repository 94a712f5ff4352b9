package agenda

import "slices"

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
// O(organisations + agents + places + services offered by agents).
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
	for s, agents := range ix.serviceAgents { // what slot searches read
		for _, a := range agents {
			id := ix.agents.at(a).id
			c.AgentServices[id] = append(c.AgentServices[id], ix.services[s].id)
		}
	}
	for _, list := range c.AgentServices {
		slices.Sort(list)
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
