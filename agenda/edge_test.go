package agenda_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
)

// Edge cases found in review, each pinned by hand-worked expectations.

func TestSubSecondNowNeverOffersThePast(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-06-01", "08:00", "12:00", "FREQ=DAILY")}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	now := at("2026-06-01 09:00").Add(400 * time.Millisecond) // as time.Now() would give
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: now, To: now.Add(2 * time.Hour), Now: now})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	assert.Equal(t, "09:05", slots[0].Start.In(paris).Format("15:04"), "08:00 + the first 5-minute step reaching 09:00:00.4")
	next, ok, err := ix.NextAvailable(context.Background(), agenda.SlotQuery{ServiceID: "m1", Now: now})
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, next.Start.Equal(slots[0].Start))
}

func TestCollectiveEmptyAgentFilterIsNoFilter(t *testing.T) {
	ds := oneAgent(30)
	ds.Services = append(ds.Services, agenda.Service{ID: "w1", OrganisationID: "o1", DurationMinutes: 60, Collective: true})
	ds.Appointments = []agenda.Appointment{{ID: "ws", OrganisationID: "o1", ServiceID: "w1", AgentIDs: []string{"a1"},
		Start: at("2026-12-01 14:00"), End: at("2026-12-01 15:00"), Capacity: 2}}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	q := agenda.SlotQuery{ServiceID: "w1", From: at("2026-12-01 00:00"), To: at("2026-12-02 00:00"), Now: at("2026-12-01 08:00")}
	for _, agents := range [][]string{nil, {}} {
		q.AgentIDs = agents
		slots, err := ix.Slots(context.Background(), q)
		require.NoError(t, err)
		assert.Len(t, slots, 1, "AgentIDs %#v", agents)
		_, ok, err := ix.NextAvailable(context.Background(), q)
		require.NoError(t, err)
		assert.True(t, ok)
	}
}

// TestSlotGridOfALongChain: a 24-hour daily opening since 2020 is one free
// interval since 2020-01-01 00:00 UTC, so with a 30-minute service the grid
// is on the hour and half hour, and a slot already begun at 10:00:07
// restarts at 10:05.
func TestSlotGridOfALongChain(t *testing.T) {
	ds := oneAgent(30)
	ds.TimeZone = "UTC"
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2020-01-01", "00:00", "24:00", "FREQ=DAILY")}
	for _, limits := range []agenda.Limits{{}, {MaxWindow: 24 * time.Hour}} {
		ix, err := agenda.New(ds, agenda.WithLimits(limits))
		require.NoError(t, err)
		now := time.Date(2026, 3, 2, 10, 0, 7, 0, time.UTC)
		slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: now, To: now.Add(time.Hour), Now: now, View: agenda.ViewAgent})
		require.NoError(t, err)
		require.NotEmpty(t, slots)
		assert.Equal(t, "10:05:00", slots[0].Start.Format("15:04:05"))
	}
}

func TestOccurrenceBudgetIsPerQuery(t *testing.T) {
	ds := oneAgent(30)
	ds.Agents = append(ds.Agents, agenda.Agent{ID: "a2", OrganisationIDs: []string{"o1"}})
	p2 := opening("p2", "2026-01-01", "09:00", "12:00", "FREQ=DAILY")
	p2.AgentID = "a2"
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-01-01", "09:00", "12:00", "FREQ=DAILY"), p2}
	// Five days expand 5 + 3 days of margin per agent: 16 for two agents
	// (14 with one), over a limit of 10 only together.
	for _, par := range []int{1, 2} {
		ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxOccurrences: 10}), agenda.WithParallelism(par))
		require.NoError(t, err)
		_, err = ix.Common(context.Background(), agenda.CommonQuery{AgentIDs: []string{"a1", "a2"}, From: at("2026-06-01 00:00"), To: at("2026-06-06 00:00")})
		assert.ErrorIs(t, err, agenda.ErrLimit, "parallelism %d", par)
	}
}

func TestBookOutsideTheYearsIsRefused(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-01-01", "09:00", "12:00", "FREQ=DAILY")}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	_, err = live.Book(context.Background(), agenda.Booking{ID: "x", ServiceID: "m1", AgentID: "a1", PlaceID: "l1",
		Start: time.Date(2150, 3, 2, 9, 0, 0, 0, paris), Now: at("2026-06-01 08:00"), View: agenda.ViewAgent})
	assert.ErrorIs(t, err, agenda.ErrLimit)
}

func TestSeatBookingFollowsTheNoticeRules(t *testing.T) {
	ds := oneAgent(30)
	ds.Services = append(ds.Services, agenda.Service{ID: "w1", OrganisationID: "o1", DurationMinutes: 60, Collective: true, MinNoticeMinutes: 1440})
	ds.Appointments = []agenda.Appointment{{ID: "ws", OrganisationID: "o1", ServiceID: "w1", AgentIDs: []string{"a1"},
		Start: at("2026-06-02 14:00"), End: at("2026-06-02 15:00"), Capacity: 5}}
	live, err := agenda.NewLive(ds)
	require.NoError(t, err)
	seat := agenda.Booking{ID: "ws", ServiceID: "w1", Now: at("2026-06-02 08:00")}
	_, err = live.Book(context.Background(), seat)
	assert.ErrorIs(t, err, agenda.ErrUnbookable, "less than a day ahead: never bookable as asked")
	seat.View = agenda.ViewAgent
	_, err = live.Book(context.Background(), seat)
	assert.NoError(t, err, "agents book without notice")
}

func TestHugeLimitsAndNotices(t *testing.T) {
	ds := oneAgent(30)
	ds.OpeningPeriods = []agenda.OpeningPeriod{opening("p1", "2026-01-01", "08:00", "12:00", "FREQ=DAILY")}
	ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MaxResults: math.MaxInt, MaxOccurrences: math.MaxInt}))
	require.NoError(t, err)
	slots, err := ix.Slots(context.Background(), agenda.SlotQuery{ServiceID: "m1", From: at("2026-06-01 00:00"), To: at("2026-06-02 00:00"), Now: at("2026-06-01 00:00")})
	require.NoError(t, err)
	assert.Len(t, slots, 8)

	ds.Services[0].MinNoticeMinutes = 153722867280912930
	_, err = agenda.New(ds)
	var rerr *agenda.RecordError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, "min_notice_minutes", rerr.Field)
}

func TestWindowLengthDoesNotOverflow(t *testing.T) {
	ds := oneAgent(30)
	ix, err := agenda.New(ds, agenda.WithLimits(agenda.Limits{MinYear: 1, MaxYear: 9999}))
	require.NoError(t, err)
	_, err = ix.Agenda(context.Background(), "a1", time.Date(100, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(500, 1, 1, 0, 0, 0, 0, time.UTC))
	var lerr *agenda.LimitError
	require.ErrorAs(t, err, &lerr)
	assert.Equal(t, "MaxWindow", lerr.Limit)
}

// TestLongRecordsStillShow: records far longer than usual are kept aside
// from the sorted search; they must still appear wherever they overlap.
func TestLongRecordsStillShow(t *testing.T) {
	ds := oneAgent(30)
	ds.Appointments = []agenda.Appointment{
		{ID: "long", OrganisationID: "o1", AgentIDs: []string{"a1"}, Start: at("2020-01-01 00:00"), End: at("2026-01-01 00:00"), Status: agenda.StatusRevoked},
		{ID: "short", OrganisationID: "o1", AgentIDs: []string{"a1"}, Start: at("2024-05-02 10:00"), End: at("2024-05-02 10:30")},
	}
	ds.Absences = []agenda.Absence{
		{ID: "leave", AgentID: "a1", FirstDay: "2024-03-01", StartTime: "00:00", EndDay: "2024-08-31", EndTime: "24:00"},
		{ID: "dentist", AgentID: "a1", FirstDay: "2024-05-02", StartTime: "14:00", EndTime: "15:00"},
	}
	ix, err := agenda.New(ds)
	require.NoError(t, err)
	ag, err := ix.Agenda(context.Background(), "a1", at("2024-05-02 00:00"), at("2024-05-03 00:00"))
	require.NoError(t, err)
	var ids []string
	for _, e := range ag.Events {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"long", "leave", "short", "dentist"}, ids)
	require.Len(t, ag.Busy, 1, "the leave covers the whole day")
}
