package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/crossagenda/crossagenda/agenda"
)

// agendaViewer returns the organisation on whose behalf r reads the agenda
// of agentID: "" for every organisation's records. Without access control
// it is the organisation parameter. With it, an agent reading their own
// agenda with a token of every organisation they work for sees it all;
// another caller (or a token of only some of them) reads on behalf of the
// organisation parameter, which must be one of theirs, or else of the
// first of their organisations the agent works for (the guard has checked
// there is one).
func (s *server) agendaViewer(r *http.Request, agentID string) (string, error) {
	org := r.URL.Query().Get("organisation")
	if s.access == nil {
		return org, nil
	}
	id := identity(r)
	if id == nil {
		return "", &errForbidden{"an agent's agenda is not public"}
	}
	if org != "" {
		if !slices.Contains(id.OrganisationIDs, org) {
			return "", &errForbidden{fmt.Sprintf("organisation %q is not one of yours", org)}
		}
		return org, nil
	}
	orgs, _ := s.snapshot().AgentOrganisations(agentID)
	if id.AgentID == agentID && !slices.ContainsFunc(orgs, func(o string) bool { return !slices.Contains(id.OrganisationIDs, o) }) {
		return "", nil // their own agenda, with a token of all their organisations
	}
	for _, o := range id.OrganisationIDs {
		if slices.Contains(orgs, o) {
			return o, nil
		}
	}
	return "", &errForbidden{fmt.Sprintf("agent %q works for none of your organisations", agentID)}
}

// explainViewer returns the organisation on whose behalf r asks for an
// explanation of a start of service serviceID, and whether the caller is
// the public, who sees no record at all. Without access control, it is
// the organisation parameter, else the service's organisation. With it,
// an agent asks on behalf of the parameter (one of theirs), else the
// service's organisation when it is theirs, else their first.
func (s *server) explainViewer(r *http.Request, serviceID string) (org string, public bool, err error) {
	org = r.URL.Query().Get("organisation")
	if s.access != nil {
		id := identity(r)
		if id == nil {
			return "", true, nil
		}
		if org != "" && !slices.Contains(id.OrganisationIDs, org) {
			return "", false, &errForbidden{fmt.Sprintf("organisation %q is not one of yours", org)}
		}
		if org == "" {
			org = id.OrganisationIDs[0]
			if so, ok := s.snapshot().ServiceOrganisation(serviceID); ok && slices.Contains(id.OrganisationIDs, so) {
				org = so
			}
		}
		return org, false, nil
	}
	if org != "" {
		return org, false, nil
	}
	svc, ok := s.eng.(interface {
		Service(id string) (agenda.Service, bool)
	})
	if !ok {
		return "", false, &paramError{"organisation", "required: this engine cannot say whose the service is"}
	}
	sv, found := svc.Service(serviceID)
	if !found {
		return "", false, fmt.Errorf("httpapi: service %q: %w", serviceID, agenda.ErrNotFound)
	}
	return sv.OrganisationID, false, nil
}

// withoutRecords removes from an explanation every record the public may
// not see: ids and organisations of appointments, holds, absences,
// calendars and caps. Closed days keep their date and name, which are
// public.
func withoutRecords(ex *agenda.Explanation) { withoutRecordsOutside(ex, nil) }

// withoutRecordsOutside removes, like withoutRecords, the records of every
// organisation but orgs: what an agent sees of the others' records is the
// blocking time alone (issue 14).
func withoutRecordsOutside(ex *agenda.Explanation, orgs []string) {
	if ex == nil {
		return
	}
	for i := range ex.Reasons {
		if r := &ex.Reasons[i]; r.Kind != agenda.ReasonClosed && !slices.Contains(orgs, r.OrganisationID) {
			r.RecordID, r.OrganisationID = "", ""
		}
	}
}

// forCaller strips the explanation of a refused booking or hold, which
// the engine gives as the service's organisation sees it, of the records
// the caller may not see: all of them for the public, those of the other
// organisations for an agent.
func (s *server) forCaller(r *http.Request, err error) error {
	var be *agenda.BookingError
	if s.access == nil || !errors.As(err, &be) {
		return err
	}
	var orgs []string
	if id := identity(r); id != nil {
		orgs = id.OrganisationIDs
	}
	withoutRecordsOutside(be.Explanation, orgs)
	return err
}
