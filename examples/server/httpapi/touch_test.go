package httpapi

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// TestCancelConfirmReleaseOwnership: an appointment or a hold is
// cancelled, confirmed or released only by an agent of its organisation,
// or by the public with the unguessable id it booked with. An agent of
// another organisation is told the id does not exist (404: its ids stay
// unknown), the public with a short (guessable) id is refused (403), and
// neither answer names the record's organisation, service or agent.
func TestCancelConfirmReleaseOwnership(t *testing.T) {
	f := newAccessFixture(t)
	sl := f.slot
	var staff agenda.Appointment // an appointment made by the organisation, short id
	for _, ap := range f.live.Snapshot().Dataset().Appointments {
		if ap.OrganisationID == sl.OrganisationID && len(ap.ID) < MinPublicIDLength &&
			(ap.Status == "" || ap.Status == agenda.StatusBooked) {
			staff = ap
			break
		}
	}
	require.NotEmpty(t, staff.ID, "the data set has an appointment of organisation %q", sl.OrganisationID)
	hold := func(id, token string) {
		t.Helper()
		body := fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q}`, id, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339))
		r := f.do(t, http.MethodPost, "/services/"+sl.ServiceID+"/holds", token, "application/json", body)
		require.Equal(t, http.StatusOK, r.status, "hold %s: %s", id, r.body)
	}
	const publicHold = "hold-7d1e5b3c9a0f4e2d8c6b1a7f3e5d9c0b" // 128 random bits: the public's key
	const staffHold = "h-staff"

	// Each step runs in order: the refused ones must leave the record as it was.
	steps := []struct {
		name, method, target, token string
		want                        int
	}{
		{"public cancels an appointment by a guessable id", http.MethodDelete, "/appointments/" + staff.ID, "", 403},
		{"public cancels by POST", http.MethodPost, "/appointments/" + staff.ID + "/cancel", "", 403},
		{"other organisation cancels", http.MethodDelete, "/appointments/" + staff.ID, f.outside, 404},
		{"other organisation revokes", http.MethodPost, "/appointments/" + staff.ID + "/cancel", f.outside, 404},
		{"own organisation cancels", http.MethodDelete, "/appointments/" + staff.ID, f.ownToken, 200},

		{"hold by the public", "", publicHold, "", 0},
		{"other organisation confirms the public's hold", http.MethodPost, "/holds/" + publicHold + "/confirm", f.outside, 404},
		{"other organisation releases the public's hold", http.MethodDelete, "/holds/" + publicHold, f.outside, 404},
		{"public releases its own hold", http.MethodDelete, "/holds/" + publicHold, "", 200},

		{"hold by an agent", "", staffHold, f.ownToken, 0},
		{"public confirms a guessable hold", http.MethodPost, "/holds/" + staffHold + "/confirm", "", 403},
		{"public releases a guessable hold", http.MethodDelete, "/holds/" + staffHold, "", 403},
		{"other organisation confirms", http.MethodPost, "/holds/" + staffHold + "/confirm", f.outside, 404},
		{"other organisation releases", http.MethodDelete, "/holds/" + staffHold, f.outside, 404},
		{"own organisation confirms", http.MethodPost, "/holds/" + staffHold + "/confirm", f.ownToken, 200},
		{"other organisation cancels the confirmed hold", http.MethodDelete, "/appointments/" + staffHold, f.outside, 404},
		{"public cancels the confirmed hold", http.MethodDelete, "/appointments/" + staffHold, "", 403},
		{"own organisation cancels the confirmed hold", http.MethodDelete, "/appointments/" + staffHold, f.ownToken, 200},
	}
	for _, st := range steps {
		if st.method == "" {
			hold(st.target, st.token)
			continue
		}
		r := f.do(t, st.method, st.target, st.token, "application/json", "")
		assert.Equal(t, st.want, r.status, "%s: %s", st.name, r.body)
		if st.want != 200 {
			body := string(r.body)
			for _, secret := range []string{sl.OrganisationID, sl.ServiceID, sl.AgentID, staff.OrganisationID} {
				assert.False(t, strings.Contains(body, `"`+secret+`"`), "%s: the refusal names %q: %s", st.name, secret, body)
			}
		}
	}
	// A cancellation is final: again, the same status is answered as it
	// was; the other one is a conflict.
	r := f.do(t, http.MethodDelete, "/appointments/"+staff.ID, f.ownToken, "application/json", "")
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = f.do(t, http.MethodPost, "/appointments/"+staff.ID+"/cancel", f.ownToken, "application/json", `{"status":"revoked"}`)
	assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), "cancelled already (excused)")

	// An agent of another organisation gets the very answer an unknown id
	// gets: nothing tells the two apart.
	hold("h-staff2", f.ownToken)
	for _, tc := range []struct{ method, known, unknown string }{
		{http.MethodDelete, "/appointments/" + staff.ID, "/appointments/zz" + staff.ID},
		{http.MethodPost, "/appointments/" + staff.ID + "/cancel", "/appointments/zz" + staff.ID + "/cancel"},
		{http.MethodPost, "/holds/h-staff2/confirm", "/holds/zzh-staff2/confirm"},
		{http.MethodDelete, "/holds/h-staff2", "/holds/zzh-staff2"},
	} {
		known := f.do(t, tc.method, tc.known, f.outside, "application/json", "")
		unknown := f.do(t, tc.method, tc.unknown, f.outside, "application/json", "")
		require.Equal(t, http.StatusNotFound, known.status, "%s %s", tc.method, tc.known)
		require.Equal(t, http.StatusNotFound, unknown.status, "%s %s", tc.method, tc.unknown)
		assert.Equal(t, string(known.body), strings.ReplaceAll(string(unknown.body), `\"zz`, `\"`), "%s %s", tc.method, tc.known)
	}
	// The refused cancellations left the appointment as it was until its
	// organisation cancelled it.
	for _, ap := range f.live.Snapshot().Dataset().Appointments {
		if ap.ID == staff.ID {
			assert.Equal(t, agenda.StatusExcused, ap.Status)
		}
		if ap.ID == staffHold {
			assert.Equal(t, agenda.StatusExcused, ap.Status)
		}
	}
}

// TestPutCalendarCannotTakeAnotherOrganisationsCalendar: an agent may put
// a calendar on an agent of their organisations, but not move there, by
// its id, the calendar of an agent of none of them (which would wipe that
// agent's busy time from the other organisation's slots).
func TestPutCalendarCannotTakeAnotherOrganisationsCalendar(t *testing.T) {
	f := newAccessFixture(t)
	ix := f.live.Snapshot()
	var theirs, ours string // an agent only of the outsider's organisation, one only of the fixture's slot's
	for _, a := range ix.Dataset().Agents {
		orgs, _ := ix.AgentOrganisations(a.ID)
		if len(orgs) != 1 {
			continue
		}
		switch orgs[0] {
		case f.slot.OrganisationID:
			ours = cmp.Or(ours, a.ID)
		case outsideOrganisation(f):
			theirs = cmp.Or(theirs, a.ID)
		}
	}
	require.NotEmpty(t, theirs)
	require.NotEmpty(t, ours)
	put := func(agent, token string) response {
		return f.do(t, http.MethodPut, "/agents/"+agent+"/calendars/cal-x", token, "text/calendar", meetingICS)
	}
	r := put(theirs, f.outside)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = put(ours, f.ownToken)
	assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
	assert.NotContains(t, string(r.body), theirs)
	r = put(theirs, f.ownToken)
	assert.Equal(t, http.StatusForbidden, r.status, "the guard: %s", r.body)
	r = put(theirs, "")
	assert.Equal(t, http.StatusForbidden, r.status, "the public: %s", r.body)
	for _, c := range f.live.Calendars() {
		if c.ID == "cal-x" {
			assert.Equal(t, theirs, c.AgentID, "the calendar stayed where it was")
		}
	}
	r = put(theirs, f.outside)
	assert.Equal(t, http.StatusOK, r.status, "its own organisation replaces it: %s", r.body)
}

// outsideOrganisation is the organisation of the fixture's outside token.
func outsideOrganisation(f *accessFixture) string {
	if f.slot.OrganisationID == "o1" {
		return "o2"
	}
	return "o1"
}

// TestRefusalNamesNoOtherOrganisationsRecord: a booking refused because
// the time is taken explains why as the service's organisation sees it;
// an agent of another organisation (who may book in the user view) gets
// the reasons without the appointment's id or organisation, like the
// public; an agent of the service's organisation gets them whole.
func TestRefusalNamesNoOtherOrganisationsRecord(t *testing.T) {
	f := newAccessFixture(t)
	sl := f.slot
	const first = "first-3b9d0e7c1a5f4e2d8b6c0a9f7e3d1c5b"
	body := func(id string) string {
		return fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q}`, id, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339))
	}
	for _, route := range []string{"bookings", "holds"} {
		r := f.do(t, http.MethodPost, "/services/"+sl.ServiceID+"/bookings", "", "application/json", body(first+route))
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		for _, tc := range []struct {
			who, token string
			sees       bool
		}{{"public", "", false}, {"other organisation", f.outside, false}, {"own organisation", f.ownToken, true}} {
			r = f.do(t, http.MethodPost, "/services/"+sl.ServiceID+"/"+route, tc.token, "application/json", body("second-"+strings.ReplaceAll(tc.who, " ", "-")+"-9a8b7c6d5e4f3a2b1c0d9e8f7a6b"))
			require.Equal(t, http.StatusConflict, r.status, "%s %s: %s", route, tc.who, r.body)
			assert.Equal(t, tc.sees, strings.Contains(string(r.body), first+route), "%s %s: %s", route, tc.who, r.body)
			assert.Equal(t, tc.sees, strings.Contains(string(r.body), `"organisation_id":"`+sl.OrganisationID+`"`), "%s %s: %s", route, tc.who, r.body)
		}
		r = f.do(t, http.MethodDelete, "/appointments/"+first+route, "", "", "")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	}
}

// TestPublicCannotCancelASession: the id of an appointment with seats (a
// collective service's session) is public, in its slots; the public may
// not cancel it however long the id, its organisation may.
func TestPublicCannotCancelASession(t *testing.T) {
	f := newAccessFixture(t)
	var session agenda.Appointment
	for _, ap := range f.live.Snapshot().Dataset().Appointments {
		if ap.Capacity > 0 {
			session = ap
			break
		}
	}
	require.NotEmpty(t, session.ID, "the data set has a session with seats")
	session.ID = "session-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	require.NoError(t, f.live.UpsertAppointment(session))
	own := Tokens{"token-of-the-session-org-1": {AgentID: "a-boss", OrganisationIDs: []string{session.OrganisationID}}}
	h := New(liveCanceller{f.live}, Config{Now: func() time.Time { return f.slot.Start }, Access: &Access{Tokens: own}})
	g := &accessFixture{h: h, live: f.live}
	r := g.do(t, http.MethodDelete, "/appointments/"+session.ID, "", "", "")
	assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
	r = g.do(t, http.MethodDelete, "/appointments/"+session.ID, "token-of-the-session-org-1", "", "")
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
}
