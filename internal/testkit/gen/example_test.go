package gen_test

import (
	"fmt"

	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func ExampleGenerate() {
	ds := gen.Generate(gen.Small, 1)
	fmt.Println(len(ds.Organisations), "organisations,", len(ds.Agents), "agents")
	fmt.Println("anchor", gen.DefaultAnchor().Format("2006-01-02 15:04 MST"))
	// Output:
	// 5 organisations, 40 agents
	// anchor 2026-12-01 00:00 CET
}

func ExampleScaleByName() {
	s, ok := gen.ScaleByName("region")
	fmt.Println(ok, s.Organisations, s.Agents, s.TargetAppointments)
	// Output: true 300 8000 2000000
}

func ExampleRandom() {
	c := gen.Random(42, gen.RandomConfig{Agents: 2, OpeningsPerAgent: 3, AppointmentsPerAgent: 4})
	fmt.Println(len(c.Dataset.Agents), "agents,", len(c.Dataset.OpeningPeriods), "openings,", len(c.Dataset.Appointments), "appointments")
	fmt.Println("window not empty:", c.To.After(c.From))
	// Output:
	// 2 agents, 6 openings, 8 appointments
	// window not empty: true
}
