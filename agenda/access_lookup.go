package agenda

import "time"

// AgentOrganisations returns the ids of the organisations an agent works
// for, in the dataset's order, for access control. O(the agent's
// organisations).
func (ix *Index) AgentOrganisations(agentID string) ([]string, bool) {
	a, ok := ix.agentByID[agentID]
	if !ok {
		return nil, false
	}
	out := make([]string, len(ix.agents.at(a).orgs))
	for i, o := range ix.agents.at(a).orgs {
		out[i] = ix.orgs[o].id
	}
	return out, true
}

// ServiceOrganisation returns the id of the organisation a service belongs
// to.
func (ix *Index) ServiceOrganisation(serviceID string) (string, bool) {
	s, ok := ix.serviceByID[serviceID]
	if !ok {
		return "", false
	}
	return ix.orgs[ix.services[s].org].id, true
}

// RecordOrganisation returns the id of the organisation an appointment or
// a hold (confirmed or not, active or expired but not yet forgotten)
// belongs to, and whether it has seats (an appointment of a collective
// service, whose id [Index.Slots] publishes), for access control: a
// server lets an agent cancel, confirm or release only its organisations'
// records, and the public no session with seats. O(1).
func (l *Live) RecordOrganisation(id string) (org string, seats bool, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var a *appt
	if ap, found := l.appts[id]; found {
		a = ap
	} else if h, found := l.holds[id]; found {
		a = h.a
	} else {
		return "", false, false
	}
	return l.Snapshot().orgs[a.org].id, a.capacity > 0, true
}

// OrganisationLocation returns the time zone of an organisation, in which
// the index gives its appointments' times. O(1).
func (ix *Index) OrganisationLocation(organisationID string) (*time.Location, bool) {
	o, ok := ix.orgByID[organisationID]
	if !ok {
		return nil, false
	}
	return ix.orgs[o].zone.Location(), true
}
