package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

func TestPageAndCatalogue(t *testing.T) {
	f := setup(t)
	live := agenda.LiveFrom(f.ix)
	h := New(live, Config{Events: NewEvents(live, EventsConfig{}), Now: func() time.Time { return f.anchor }})

	r := get(t, h, "/")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))
	assert.Contains(t, string(r.body), `<script src="/static/vendor/fullcalendar/index.global.min.js">`)
	for _, file := range []string{"/static/app.js", "/static/app.css", "/static/vendor/fullcalendar/index.global.min.js",
		"/static/vendor/fullcalendar/LICENSE.md"} {
		assert.Equal(t, http.StatusOK, get(t, h, file).status, file)
	}
	assert.Equal(t, http.StatusNotFound, get(t, h, "/static/nothing.js").status)
	assert.Equal(t, http.StatusNotFound, get(t, h, "/nothing").status, "the page does not swallow unknown routes")

	r = get(t, h, "/catalogue")
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var c catalogue
	require.NoError(t, json.Unmarshal(r.body, &c))
	assert.True(t, c.Now.Equal(f.anchor))
	assert.Len(t, c.Organisations, len(f.ds.Organisations))
	assert.Len(t, c.Agents, len(f.ds.Agents))
	assert.Len(t, c.Services, len(f.ds.Services))
	assert.Subset(t, c.Features, []string{"events", "bookings", "holds", "explain"})
	// Each agent's services are those of its opening periods, checked
	// here from the dataset's records one by one.
	for _, a := range c.Agents {
		for _, op := range f.ds.OpeningPeriods {
			if op.AgentID == a.ID {
				for _, s := range op.ServiceIDs {
					assert.Contains(t, a.ServiceIDs, s, "agent %s", a.ID)
				}
			}
		}
		assert.True(t, slices.IsSorted(a.ServiceIDs))
		assert.Equal(t, "Europe/Paris", a.TimeZone, "the generated small scale is all in Paris")
	}

	// An Index serves the page too, without the live features: it
	// explains, but neither books, holds nor pushes changes.
	r = get(t, f.handler(Config{}), "/catalogue")
	require.Equal(t, http.StatusOK, r.status)
	require.NoError(t, json.Unmarshal(r.body, &c))
	assert.Equal(t, []string{"explain"}, c.Features)
}

func TestHolds(t *testing.T) {
	f := setup(t)
	live := agenda.LiveFrom(f.ix)
	h := New(live, Config{Now: func() time.Time { return f.anchor }})
	slots, err := live.Slots(t.Context(), agenda.SlotQuery{ServiceID: f.service, AgentIDs: []string{f.serviceAgent},
		From: f.anchor, To: f.anchor.AddDate(0, 0, 14), Now: f.anchor})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(slots), 2)
	sendAs := func(ctype, method, target, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		h.ServeHTTP(rec, req)
		return rec
	}
	send := func(method, target, body string) *httptest.ResponseRecorder {
		if body == "" {
			return sendAs("", method, target, body)
		}
		return sendAs("application/json", method, target, body)
	}
	hold := func(id string, s agenda.Slot, extra string) *httptest.ResponseRecorder {
		return send(http.MethodPost, "/services/"+f.service+"/holds", fmt.Sprintf(`{"id":%q,"agent_id":%q,"place_id":%q,"start":%q%s}`,
			id, s.AgentID, s.PlaceID, s.Start.Format(time.RFC3339), extra))
	}
	rec := hold("h1", slots[0], "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, http.StatusOK, hold("h1", slots[0], "").Code, "the same hold again returns it")
	assert.Equal(t, http.StatusConflict, hold("h2", slots[0], "").Code, "a held slot cannot be held again")
	rec = send(http.MethodPost, "/holds/h1/confirm", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var a agenda.Appointment
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a))
	assert.Equal(t, "h1", a.ID)
	assert.True(t, a.Start.Equal(slots[0].Start))
	again := send(http.MethodPost, "/holds/h1/confirm", "")
	require.Equal(t, http.StatusOK, again.Code, "confirming again answers the appointment")
	assert.JSONEq(t, rec.Body.String(), again.Body.String())

	// Holds are writes: JSON only, bounded, other methods 405.
	body := fmt.Sprintf(`{"id":"h9","agent_id":%q,"place_id":%q,"start":%q}`, slots[1].AgentID, slots[1].PlaceID, slots[1].Start.Format(time.RFC3339))
	assert.Equal(t, http.StatusUnsupportedMediaType, sendAs("text/plain", http.MethodPost, "/services/"+f.service+"/holds", body).Code)
	assert.Equal(t, http.StatusUnsupportedMediaType, sendAs("application/x-www-form-urlencoded", http.MethodPost, "/services/"+f.service+"/holds", body).Code)
	assert.Equal(t, http.StatusBadRequest, send(http.MethodPost, "/services/"+f.service+"/holds", body+`{}`).Code, "more after the JSON value")
	big := httptest.NewRequest(http.MethodPost, "/services/"+f.service+"/holds",
		io.MultiReader(strings.NewReader(`{"id":"`), strings.NewReader(strings.Repeat("x", MaxBodyBytes)), strings.NewReader(`"}`)))
	big.Header.Set("Content-Type", "application/json")
	big.ContentLength = -1 // chunked: no length announced
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, rec.Body.String())
	for _, tc := range []struct{ method, target, allow string }{
		{http.MethodGet, "/services/" + f.service + "/holds", "POST"},
		{http.MethodGet, "/holds/h1/confirm", "POST"},
		{http.MethodPut, "/holds/h1", "DELETE"},
	} {
		rec := send(tc.method, tc.target, "")
		assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "%s %s", tc.method, tc.target)
		assert.Equal(t, tc.allow, rec.Header().Get("Allow"), "%s %s", tc.method, tc.target)
	}
	assert.Equal(t, http.StatusBadRequest, hold("h6", slots[1], `,"ttl_seconds":18446744074`).Code, "a ttl that overflows a Duration")

	require.Equal(t, http.StatusOK, hold("h3", slots[1], `,"ttl_seconds":60`).Code)
	assert.Equal(t, http.StatusOK, send(http.MethodDelete, "/holds/h3", "").Code)
	assert.Equal(t, http.StatusNotFound, send(http.MethodDelete, "/holds/h3", "").Code)
	assert.Equal(t, http.StatusOK, hold("h4", slots[1], "").Code, "released, the slot can be held again")
	assert.Equal(t, http.StatusBadRequest, hold("h5", slots[1], `,"ttl_seconds":7200`).Code)
}

// TestCatalogueFollowsTheIndex: a change of what an agent offers (an
// opening period of another service) reaches /catalogue once
// catalogueRefresh has passed, as a replica's reload would.
func TestCatalogueFollowsTheIndex(t *testing.T) {
	f := setup(t)
	live := agenda.LiveFrom(f.ix)
	h := New(live, Config{})
	services := func() []string {
		var c catalogue
		require.NoError(t, json.Unmarshal(get(t, h, "/catalogue").body, &c))
		for _, a := range c.Agents {
			if a.ID == f.serviceAgent {
				return a.ServiceIDs
			}
		}
		t.Fatalf("no agent %s in the catalogue", f.serviceAgent)
		return nil
	}
	before := services()
	var op agenda.OpeningPeriod
	var newService string
	for _, o := range f.ds.OpeningPeriods {
		if o.AgentID != f.serviceAgent {
			continue
		}
		for _, s := range f.ds.Services {
			if s.OrganisationID == o.OrganisationID && !s.Collective && !slices.Contains(before, s.ID) {
				op, newService = o, s.ID
			}
		}
	}
	require.NotEmpty(t, newService, "a service of the agent's organisation that the agent does not offer")
	op.ServiceIDs = append(slices.Clone(op.ServiceIDs), newService)
	require.NoError(t, live.UpsertOpeningPeriod(op))
	time.Sleep(catalogueRefresh + 100*time.Millisecond)
	assert.Contains(t, services(), newService)
}
