package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// liveCanceller adapts *agenda.Live to Canceller, as the server does.
type liveCanceller struct{ *agenda.Live }

func (l liveCanceller) CancelAppointment(_ context.Context, id string, status agenda.Status) error {
	return l.Live.CancelAppointment(id, status)
}

type accessFixture struct {
	h                 http.Handler
	live              *agenda.Live
	slot              agenda.Slot
	ownToken, outside string // tokens of an agent of the slot's organisation, and of another
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	ds := gen.Generate(gen.Small, 1)
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	now := gen.DefaultAnchor()
	var slot agenda.Slot
	for _, s := range ds.Services {
		if s.Collective {
			continue
		}
		slots, err := live.Slots(context.Background(), agenda.SlotQuery{ServiceID: s.ID, From: now.AddDate(0, 0, 2), To: now.AddDate(0, 0, 16), Now: now})
		require.NoError(t, err)
		if len(slots) > 0 {
			slot = slots[0]
			break
		}
	}
	require.NotEmpty(t, slot.AgentID)
	other := "o1"
	if slot.OrganisationID == "o1" {
		other = "o2"
	}
	tokens := Tokens{
		"token-own-organisation-0001": {AgentID: "a-boss", OrganisationIDs: []string{slot.OrganisationID}},
		"token-other-organisation-01": {AgentID: "a-else", OrganisationIDs: []string{other}},
	}
	h := New(liveCanceller{live}, Config{Now: func() time.Time { return now }, Access: &Access{Tokens: tokens}})
	return &accessFixture{h: h, live: live, slot: slot, ownToken: "token-own-organisation-0001", outside: "token-other-organisation-01"}
}

func (f *accessFixture) do(t *testing.T, method, target, token, contentType, body string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	f.h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func TestAccessRoles(t *testing.T) {
	f := newAccessFixture(t)
	sl := f.slot
	day := sl.Start.Format(time.DateOnly)
	slots := fmt.Sprintf("/services/%s/slots?from=%s&to=%sT23:59:00", sl.ServiceID, day, day)
	agendaURL := fmt.Sprintf("/agents/%s/agenda?start=%s&end=%sT23:59:00", sl.AgentID, day, day)
	tests := []struct {
		name, target, token string
		want                int
	}{
		{"public slots", slots, "", 200},
		{"public agent view", slots + "&view=agent", "", 403},
		{"public own now", slots + "&now=2026-12-01T00:00:00Z", "", 403},
		{"agent view, own organisation", slots + "&view=agent", f.ownToken, 200},
		{"agent view, other organisation", slots + "&view=agent", f.outside, 403},
		{"unknown token", slots, "token-nobody-has-this-one", 401},
		{"public agenda", agendaURL, "", 403},
		{"agenda, own organisation", agendaURL, f.ownToken, 200},
		{"agenda, other organisation", agendaURL, f.outside, 403},
		{"public next", fmt.Sprintf("/services/%s/next", sl.ServiceID), "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do(t, http.MethodGet, tt.target, tt.token, "", "")
			assert.Equal(t, tt.want, r.status, "%s", r.body)
			if tt.want == 401 {
				assert.Equal(t, `Bearer realm="crossagenda"`, r.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestBookingWrites(t *testing.T) {
	f := newAccessFixture(t)
	sl := f.slot
	book := "/services/" + sl.ServiceID + "/bookings"
	body := func(id, view string) string {
		return fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q,"view":%q}`, id, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339), view)
	}

	r := f.do(t, http.MethodPost, book, "", "text/plain", body("w1", ""))
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status, "a form on another site cannot book: %s", r.body)
	r = f.do(t, http.MethodPost, book, "", "application/x-www-form-urlencoded", "id=w1")
	assert.Equal(t, http.StatusUnsupportedMediaType, r.status)
	r = f.do(t, http.MethodPost, book, "", "application/json", `{"id":"`+strings.Repeat("x", MaxBodyBytes)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status, "%s", r.body)
	r = f.do(t, http.MethodPost, book, "", "application/json", body("w1", "agent"))
	assert.Equal(t, http.StatusForbidden, r.status, "the public books in the user view: %s", r.body)
	r = f.do(t, http.MethodGet, book, "", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Contains(t, r.header.Get("Allow"), "POST")

	const w1 = "w1-5f0c2a9e8b7d4c3a1f6e0d9c8b7a6f5e" // the public's key to its booking: 128 random bits
	r = f.do(t, http.MethodPost, book, "", "application/json; charset=utf-8", body(w1, ""))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = f.do(t, http.MethodPost, book, "", "application/json", body("w2", ""))
	assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)

	// Cancelling: the public as excused; revoking is an agent's.
	r = f.do(t, http.MethodPost, "/appointments/"+w1+"/cancel", "", "application/json", `{"status":"revoked"}`)
	assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
	r = f.do(t, http.MethodDelete, "/appointments/"+w1, "", "", "")
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.JSONEq(t, `{"id":"`+w1+`","status":"excused"}`, string(r.body))
	r = f.do(t, http.MethodPost, book, "", "application/json", body("w3", ""))
	assert.Equal(t, http.StatusOK, r.status, "the cancelled slot is free again: %s", r.body)
	r = f.do(t, http.MethodPost, "/appointments/w3/cancel", f.ownToken, "application/json", `{"status":"revoked"}`)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = f.do(t, http.MethodDelete, "/appointments/nothing-by-this-id-0123456789abcdef", "", "", "")
	assert.Equal(t, http.StatusNotFound, r.status)
	r = f.do(t, http.MethodGet, "/appointments/w3", "", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Contains(t, r.header.Get("Allow"), "DELETE")
}

func TestReadTokens(t *testing.T) {
	_, err := ReadTokens(strings.NewReader(`{"short":{"agent_id":"a1","organisation_ids":["o1"]}}`))
	assert.ErrorContains(t, err, "shorter than 16")
	_, err = ReadTokens(strings.NewReader(`{"long-enough-token-1":{"agent_id":"a1"}}`))
	assert.ErrorContains(t, err, "no organisation_ids")
	_, err = ReadTokens(strings.NewReader(`{"long-enough-token-1":{"agent":"a1"}}`))
	assert.ErrorContains(t, err, "unknown field")
	tok, err := ReadTokens(strings.NewReader(`{"long-enough-token-1":{"agent_id":"a1","organisation_ids":["o1","o2"]}}`))
	require.NoError(t, err)
	assert.Equal(t, Identity{AgentID: "a1", OrganisationIDs: []string{"o1", "o2"}}, tok["long-enough-token-1"])

	for give, want := range map[string]string{
		`{"long-enough-token-1":{"agent_id":"a1","organisation_ids":["o1"]}} garbage`: "more after the JSON object",
		`{"long-enough-token-1":{"agent_id":"a1","organisation_ids":["o1"]}}{}`:       "more after the JSON object",
		`{"long-enough-token-1":{"agent_id":"a1","organisation_ids":["o1"]},
		  "long-enough-token-1":{"agent_id":"a2","organisation_ids":["o2"]}}`: `token 2 (agent "a2"): the same token is given earlier`,
		`{"ééééééééé":{"agent_id":"a1","organisation_ids":["o1"]}}`:           "only visible ASCII",
		`{"long enough token 1":{"agent_id":"a1","organisation_ids":["o1"]}}`: "only visible ASCII",
		`["long-enough-token-1"]`: "want a JSON object of tokens",
		``:                        "want a JSON object of tokens",
	} {
		_, err := ReadTokens(strings.NewReader(give))
		assert.ErrorContains(t, err, want, give)
		if err != nil {
			assert.NotContains(t, err.Error(), "long-enough-token-1", "an error does not show a token")
		}
	}
}

func TestCheckTokens(t *testing.T) {
	f := newAccessFixture(t)
	snap := f.live.Snapshot()
	agent := snap.Dataset().Agents[0]
	other := ""
	for _, o := range snap.Dataset().Organisations {
		if !slices.Contains(agent.OrganisationIDs, o.ID) {
			other = o.ID
			break
		}
	}
	require.NotEmpty(t, other)
	assert.NoError(t, Tokens{"long-enough-token-1": {AgentID: agent.ID, OrganisationIDs: agent.OrganisationIDs}}.Check(snap))
	err := Tokens{
		"long-enough-token-1": {AgentID: "nobody", OrganisationIDs: []string{other}},
		"long-enough-token-2": {AgentID: agent.ID, OrganisationIDs: []string{other}},
	}.Check(snap)
	assert.ErrorContains(t, err, `token of agent "nobody": no such agent`)
	assert.ErrorContains(t, err, fmt.Sprintf("token of agent %q: the agent does not work for organisation %q", agent.ID, other))
}

func TestBearerSchemeIgnoresCase(t *testing.T) {
	f := newAccessFixture(t)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		req.Header.Set("Authorization", scheme+" "+f.ownToken)
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusOK, rec.Code, scheme)
		assert.Contains(t, rec.Body.String(), `"agent_id"`, scheme)
	}
}

// TestHoldViewIsChecked: a hold is refused in the agent view to the public
// and to an agent of another organisation, like a booking.
func TestHoldViewIsChecked(t *testing.T) {
	f := newAccessFixture(t)
	sl := f.slot
	hold := "/services/" + sl.ServiceID + "/holds"
	body := func(id, view string) string {
		return fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q,"view":%q}`, id, sl.AgentID, sl.PlaceID, sl.Start.Format(time.RFC3339), view)
	}
	r := f.do(t, http.MethodPost, hold, "", "application/json", body("h1", "agent"))
	assert.Equal(t, http.StatusForbidden, r.status, "the public holds in the user view: %s", r.body)
	r = f.do(t, http.MethodPost, hold, f.outside, "application/json", body("h1", "agent"))
	assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
	r = f.do(t, http.MethodPost, hold, "", "application/json", body("h1", ""))
	assert.Equal(t, http.StatusForbidden, r.status, "the public could not confirm a guessable id: %s", r.body)
	r = f.do(t, http.MethodPost, hold, "", "application/json", body("h1-0e4f7a2c9b1d5e3f8a6c0b2d4e6f8a1c", ""))
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	r = f.do(t, http.MethodPost, hold, f.ownToken, "application/json", body("h2", "agent"))
	assert.Equal(t, http.StatusConflict, r.status, "the agent view is allowed; the slot is held: %s", r.body)
}

// TestAgendaICSViewer: the iCalendar agenda is read on behalf of the same
// organisation as the JSON one: an agent of one of the agent's
// organisations sees an appointment of another organisation only as busy
// time, without its id.
func TestAgendaICSViewer(t *testing.T) {
	ds := gen.Generate(gen.Small, 1)
	appt, viewer := appointmentOfAnotherOrganisation(ds)
	require.NotEmpty(t, viewer, "the data set has an agent of two organisations with an appointment")
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	const token = "token-viewer-organisation-1"
	h := New(liveCanceller{live}, Config{Now: gen.DefaultAnchor, Access: &Access{Tokens: Tokens{
		token: {AgentID: "a-viewer", OrganisationIDs: []string{viewer}},
	}}})
	f := &accessFixture{h: h, live: live}
	from, to := appt.Start.UTC().Format(time.DateOnly), appt.End.UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, path := range []string{"agenda", "agenda.ics"} {
		target := fmt.Sprintf("/agents/%s/%s?start=%s&end=%s", appt.AgentIDs[0], path, from, to)
		r := f.do(t, http.MethodGet, target, token, "", "")
		require.Equal(t, http.StatusOK, r.status, "%s: %s", path, r.body)
		assert.NotContains(t, string(r.body), appt.ID, "%s: appointment of organisation %q seen by %q", path, appt.OrganisationID, viewer)
	}
}

// appointmentOfAnotherOrganisation finds a blocking appointment of a single
// agent and the last of that agent's organisations other than the
// appointment's own, or an empty organisation if the dataset has none.
func appointmentOfAnotherOrganisation(ds *agenda.Dataset) (agenda.Appointment, string) {
	orgs := map[string][]string{}
	for _, a := range ds.Agents {
		orgs[a.ID] = a.OrganisationIDs
	}
	for _, ap := range ds.Appointments {
		if len(ap.AgentIDs) != 1 || !ap.Status.Blocking() {
			continue
		}
		other := ""
		for _, o := range orgs[ap.AgentIDs[0]] {
			if o != ap.OrganisationID {
				other = o
			}
		}
		if other != "" {
			return ap, other
		}
	}
	return agenda.Appointment{}, ""
}
