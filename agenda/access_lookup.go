package agenda

// AgentOrganisations returns the ids of the organisations an agent works
// for, in the dataset's order, for access control. O(the agent's
// organisations).
func (ix *Index) AgentOrganisations(agentID string) ([]string, bool) {
	a, ok := ix.agentByID[agentID]
	if !ok {
		return nil, false
	}
	out := make([]string, len(ix.agents[a].orgs))
	for i, o := range ix.agents[a].orgs {
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
