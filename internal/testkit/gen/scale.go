package gen

import (
	"strings"
	"time"
)

// Scale sizes a realistic dataset. The counts of organisations and agents
// are exact; TargetAppointments is met within a few percent.
type Scale struct {
	Name               string
	Organisations      int
	Agents             int
	TargetAppointments int
	// Overseas is how many of the organisations are in overseas zones
	// (America/Cayenne, Indian/Reunion, America/Martinique,
	// Pacific/Noumea) instead of Europe/Paris.
	Overseas int
}

// The named scales.
var (
	// Small is a town: 5 organisations, 40 agents, about 8,000
	// appointments.
	Small = Scale{Name: "small", Organisations: 5, Agents: 40, TargetAppointments: 8_000}
	// Departement is a French département: 60 organisations, 1,500 agents,
	// about 300,000 appointments.
	Departement = Scale{Name: "departement", Organisations: 60, Agents: 1_500, TargetAppointments: 300_000, Overseas: 4}
	// Region is a region of several départements: 300 organisations,
	// 8,000 agents, about 2,000,000 appointments.
	Region = Scale{Name: "region", Organisations: 300, Agents: 8_000, TargetAppointments: 2_000_000, Overseas: 12}
)

// Scales lists the named scales, smallest first.
func Scales() []Scale { return []Scale{Small, Departement, Region} }

// ScaleByName returns the named scale ("small", "departement", "region";
// case-insensitive).
func ScaleByName(name string) (Scale, bool) {
	for _, s := range Scales() {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Scale{}, false
}

// Config tunes [GenerateWith]. The zero Config is the default.
type Config struct {
	// Anchor is the dataset's reference "now": opening periods start in
	// the five years before it, appointments cover the two years before
	// and the six months after it. Only its date in Europe/Paris is used.
	// Zero means [DefaultAnchor].
	Anchor time.Time
}

// DefaultAnchor returns 2026-12-01 00:00 Europe/Paris, the anchor of
// [Generate]. It panics if the time zone database is unavailable (import
// time/tzdata to embed it).
func DefaultAnchor() time.Time {
	return time.Date(2026, time.December, 1, 0, 0, 0, 0, mustLoad("Europe/Paris"))
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("gen: time zone database needed (import time/tzdata): " + err.Error())
	}
	return loc
}
