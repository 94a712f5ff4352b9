package agenda

import (
	"encoding/json"
	"io"
	"time"
)

// Dataset is the plain, serialisable description of organisations, agents,
// their openings and everything that makes them busy. It is the input of
// [New] and the JSON interchange format of the examples (see the README).
//
// A Dataset is only data: nothing is checked until [New] compiles it, and
// [New] never keeps a reference to it, so the caller may reuse or mutate it
// afterwards.
type Dataset struct {
	// TimeZone is the IANA zone of organisations that name none; empty
	// means UTC.
	TimeZone       string          `json:"time_zone,omitempty"`
	Organisations  []Organisation  `json:"organisations"`
	Agents         []Agent         `json:"agents"`
	Places         []Place         `json:"places"`
	Services       []Service       `json:"services"`
	OpeningPeriods []OpeningPeriod `json:"opening_periods"`
	Absences       []Absence       `json:"absences"`
	Appointments   []Appointment   `json:"appointments"`
	ClosedDays     []ClosedDay     `json:"closed_days"`
	// Calendars are agents' external calendars (iCalendar text).
	Calendars []Calendar `json:"calendars,omitempty"`
	// HolidayCalendars names computed public-holiday calendars whose days
	// are closed, every year, in every organisation that names no
	// calendar of its own: "FR" (mainland France), "FR-57", "FR-67",
	// "FR-68" (Alsace-Moselle), "FR-971", "FR-972", "FR-973", "FR-974",
	// "FR-976", "FR-977", "FR-978", "FR-986", "FR-987", "FR-988" (overseas).
	HolidayCalendars []string `json:"holiday_calendars,omitempty"`
}

// Organisation is a service of a département, with its own time zone.
type Organisation struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// TimeZone is an IANA zone name; empty means the dataset's zone.
	TimeZone string `json:"time_zone,omitempty"`
	// HolidayCalendar, when set, replaces the dataset's HolidayCalendars
	// for this organisation: one calendar name, or "none" for no public
	// holiday. Its days are closed in the organisation's own zone.
	HolidayCalendar string `json:"holiday_calendar,omitempty"`
	// WorkedHolidays lists, by key, the public holidays the organisation
	// stays open on, such as "whit_monday" (the "journée de solidarité").
	// Keys: new_year, easter_monday, labour_day, victory_1945, ascension,
	// whit_monday, bastille_day, assumption, all_saints, armistice,
	// christmas, good_friday, st_stephen, abolition_of_slavery,
	// victor_schoelcher, saint_pierre_chanel, territory_day, autonomy_day,
	// citizenship_day.
	WorkedHolidays []string `json:"worked_holidays,omitempty"`
}

// Agent is a professional working for one or several organisations.
type Agent struct {
	ID              string   `json:"id"`
	Name            string   `json:"name,omitempty"`
	OrganisationIDs []string `json:"organisation_ids"`
	// TimeZone is the zone the agent's absences are read in; empty means
	// the zone of the agent's first organisation.
	TimeZone string `json:"time_zone,omitempty"`
	// MaxAppointmentsPerDay caps the blocking appointments the agent has
	// on one local day of their zone, counted over all of their
	// organisations: at the cap, no slot of any service starts that day.
	// 0 means no cap.
	MaxAppointmentsPerDay int `json:"max_appointments_per_day,omitempty"`
}

// Place is where appointments of an organisation happen.
type Place struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	Name           string `json:"name,omitempty"`
}

// Service is what the public books. Its duration is the slot length and,
// unless SlotIntervalMinutes says otherwise, the step between consecutive
// slots.
type Service struct {
	ID              string `json:"id"`
	OrganisationID  string `json:"organisation_id"`
	Name            string `json:"name,omitempty"`
	DurationMinutes int    `json:"duration_minutes"`
	// MinNoticeMinutes is how long before a slot the public may book it
	// at the latest; 0 means no minimum.
	MinNoticeMinutes int `json:"min_notice_minutes,omitempty"`
	// MaxNoticeMinutes is how far ahead the public may book; 0 means no
	// maximum (the query's horizon limit applies).
	MaxNoticeMinutes int `json:"max_notice_minutes,omitempty"`
	// Collective services (workshops) have seats in existing appointments
	// instead of computed slots.
	Collective bool `json:"collective,omitempty"`
	// BufferBeforeMinutes and BufferAfterMinutes are rest times around
	// the service's appointments: a slot [s, s+duration) is offered only
	// if [s-before, s+duration+after) overlaps no busy time, and a
	// booking copies them onto its appointment, which then blocks its
	// agents over [start-before, end+after).
	BufferBeforeMinutes int `json:"buffer_before_minutes,omitempty"`
	BufferAfterMinutes  int `json:"buffer_after_minutes,omitempty"`
	// SlotIntervalMinutes is the step between candidate slot starts in a
	// free interval; 0 means the duration (back-to-back slots). Slots of
	// a shorter step overlap: they are alternatives.
	SlotIntervalMinutes int `json:"slot_interval_minutes,omitempty"`
	// MaxPerAgentPerDay caps the blocking appointments of this service an
	// agent has on one local day of the service organisation's zone: at
	// the cap, the agent is offered no more slots of it that day. 0 means
	// no cap.
	MaxPerAgentPerDay int `json:"max_per_agent_per_day,omitempty"`
}

// OpeningPeriod is a recurring time range during which an agent receives
// the public at a place for some services.
//
// Dates are "YYYY-MM-DD", times of day "HH:MM" or "HH:MM:SS", all local
// wall-clock values in the organisation's zone: 09:00 stays 09:00 across
// DST changes. RRule is an RFC 5545 RRULE value (FREQ=DAILY, WEEKLY,
// MONTHLY or YEARLY); empty means a single occurrence on FirstDay. Until
// is an optional inclusive last date.
type OpeningPeriod struct {
	ID             string   `json:"id"`
	AgentID        string   `json:"agent_id"`
	OrganisationID string   `json:"organisation_id"`
	PlaceID        string   `json:"place_id,omitempty"`
	ServiceIDs     []string `json:"service_ids"`
	FirstDay       string   `json:"first_day"`
	StartTime      string   `json:"start_time"`
	EndTime        string   `json:"end_time"`
	RRule          string   `json:"rrule,omitempty"`
	Until          string   `json:"until,omitempty"`
	// Exdates removes the occurrences on these local dates (RFC 5545
	// EXDATE on dates); a date that is not an occurrence has no effect.
	Exdates []string `json:"exdates,omitempty"`
}

// Absence blocks an agent in all of their organisations. A one-off absence
// runs from FirstDay StartTime to EndDay EndTime (EndDay defaults to
// FirstDay) and may span days; a recurring absence (RRule set) is a
// single-day range repeated like an opening period. Local times are read
// in the agent's zone.
type Absence struct {
	ID        string `json:"id"`
	AgentID   string `json:"agent_id"`
	FirstDay  string `json:"first_day"`
	StartTime string `json:"start_time"`
	EndDay    string `json:"end_day,omitempty"`
	EndTime   string `json:"end_time"`
	RRule     string `json:"rrule,omitempty"`
	Until     string `json:"until,omitempty"`
	// Exdates removes the occurrences of a recurring absence on these
	// local dates, like an opening period's.
	Exdates []string `json:"exdates,omitempty"`
}

// Status is the state of an appointment.
type Status string

// Appointment statuses. The empty Status means StatusBooked.
const (
	StatusBooked  Status = "booked"
	StatusSeen    Status = "seen"
	StatusNoShow  Status = "noshow"
	StatusExcused Status = "excused" // cancelled by the public: does not block
	StatusRevoked Status = "revoked" // cancelled by the organisation: does not block
)

// Blocking reports whether an appointment with this status makes its
// agents busy: every status but excused and revoked does.
func (s Status) Blocking() bool { return s != StatusExcused && s != StatusRevoked }

// Valid reports whether s is one of the known statuses or empty.
func (s Status) Valid() bool {
	switch s {
	case "", StatusBooked, StatusSeen, StatusNoShow, StatusExcused, StatusRevoked:
		return true
	}
	return false
}

// Appointment is a booked time range with one or more agents. An
// appointment booked in one organisation blocks its agents in all of them.
type Appointment struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PlaceID        string    `json:"place_id,omitempty"`
	ServiceID      string    `json:"service_id,omitempty"`
	AgentIDs       []string  `json:"agent_ids"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	Status         Status    `json:"status,omitempty"`
	// Capacity and Participants count the seats of a collective
	// appointment; both are zero for individual ones.
	Capacity     int `json:"capacity,omitempty"`
	Participants int `json:"participants,omitempty"`
	// BufferBeforeMinutes and BufferAfterMinutes, when present, are the
	// appointment's own buffers; absent (nil), its service's apply. A
	// booking copies its service's, so that changing the service later
	// does not move past appointments.
	BufferBeforeMinutes *int `json:"buffer_before_minutes,omitempty"`
	BufferAfterMinutes  *int `json:"buffer_after_minutes,omitempty"`
}

// ClosedDay closes a whole local day in one organisation, or in all of
// them when OrganisationID is empty.
type ClosedDay struct {
	Date           string `json:"date"`
	OrganisationID string `json:"organisation_id,omitempty"`
	Name           string `json:"name,omitempty"`
}

// appointmentJSON mirrors Appointment with string times, so that a bad
// time is reported with the appointment it belongs to.
type appointmentJSON struct {
	ID             string   `json:"id"`
	OrganisationID string   `json:"organisation_id"`
	PlaceID        string   `json:"place_id,omitempty"`
	ServiceID      string   `json:"service_id,omitempty"`
	AgentIDs       []string `json:"agent_ids"`
	Start          string   `json:"start"`
	End            string   `json:"end"`
	Status         Status   `json:"status,omitempty"`
	Capacity       int      `json:"capacity,omitempty"`
	Participants   int      `json:"participants,omitempty"`
	BufferBefore   *int     `json:"buffer_before_minutes,omitempty"`
	BufferAfter    *int     `json:"buffer_after_minutes,omitempty"`
}

// WriteJSON encodes the dataset as compact JSON in the format ReadDataset
// reads. The output is deterministic: the same dataset gives the same bytes.
func (ds *Dataset) WriteJSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(ds)
}
