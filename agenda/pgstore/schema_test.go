package pgstore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// TestMigrateConcurrentAndIdempotent runs the migrations from three pools
// at once, as replicas starting together do, then again.
func TestMigrateConcurrentAndIdempotent(t *testing.T) {
	cfg := testSchema(t)
	ctx := context.Background()
	pools := []*pgxpool.Pool{newPool(t, cfg, false), newPool(t, cfg, false), newPool(t, cfg, false)}
	errs := make([]error, len(pools))
	var wg sync.WaitGroup
	for i, p := range pools {
		wg.Go(func() { errs[i] = Migrate(ctx, p) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, Migrate(ctx, pools[0]))
	ms, err := migrations()
	require.NoError(t, err)
	v, err := SchemaVersion(ctx, pools[0])
	require.NoError(t, err)
	assert.Equal(t, ms[len(ms)-1].version, v)
	var n int
	require.NoError(t, pools[0].QueryRow(ctx, `SELECT count(*) FROM crossagenda_migrations`).Scan(&n))
	assert.Equal(t, len(ms), n)
}

// TestImportLoadRoundTrip imports a generated dataset and loads it back:
// the index built from the database exports the same dataset as the one
// built from the original.
func TestImportLoadRoundTrip(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	ds := gen.Generate(gen.Small, 7)
	ds.ClosedDays = append(ds.ClosedDays, agenda.ClosedDay{Date: "2031-12-24", Name: "Christmas Eve"})
	// Every optional field of the model, set somewhere.
	ds.Organisations[0].HolidayCalendar = "FR"
	ds.Organisations[0].WorkedHolidays = []string{"easter_monday", "labour_day"}
	ds.Agents[0].MaxAppointmentsPerDay = 9
	ds.Services[0].BufferBeforeMinutes, ds.Services[0].BufferAfterMinutes = 5, 10
	ds.Services[0].SlotIntervalMinutes, ds.Services[0].MaxPerAgentPerDay = 15, 4
	for i := range ds.OpeningPeriods {
		if ds.OpeningPeriods[i].RRule != "" {
			ds.OpeningPeriods[i].Exdates = []string{ds.OpeningPeriods[i].FirstDay}
			break
		}
	}
	ds.Absences = append(ds.Absences, agenda.Absence{ID: "weekly", AgentID: ds.Agents[0].ID, FirstDay: "2026-12-01",
		StartTime: "12:00", EndTime: "13:00", RRule: "FREQ=WEEKLY", Until: "2027-06-30", Exdates: []string{"2026-12-08"}})
	ds.Calendars = append(ds.Calendars, agenda.Calendar{ID: "outlook", AgentID: ds.Agents[0].ID, UpdatedAt: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		ICS: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"})
	zero, five := 0, 5
	ds.Appointments[0].BufferBeforeMinutes, ds.Appointments[0].BufferAfterMinutes = &zero, &five
	// One own buffer, the other the service's (NULL).
	ds.Appointments[1].BufferBeforeMinutes = &five
	ds.Appointments[2].BufferAfterMinutes = &zero
	require.NoError(t, Import(ctx, pool, ds))

	want, err := agenda.New(ds)
	require.NoError(t, err)
	before := dbPosition(t, pool)
	got, pos, err := LoadDataset(ctx, pool)
	require.NoError(t, err)
	assert.True(t, pos.Covers(before), "the load's position %s covers the import, committed before %s", pos, before)
	var logged []string
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(table_name || ' ' || op) FROM change_log`).Scan(&logged))
	assert.Equal(t, []string{"import reload"}, logged, "the import logs one reload change")
	ix, err := agenda.New(got)
	require.NoError(t, err)
	sameDataset(t, want.Dataset(), ix.Dataset())
	for _, r := range got.Appointments {
		switch r.ID {
		case ds.Appointments[1].ID:
			assert.Equal(t, &five, r.BufferBeforeMinutes)
			assert.Nil(t, r.BufferAfterMinutes)
		case ds.Appointments[2].ID:
			assert.Nil(t, r.BufferBeforeMinutes)
			assert.Equal(t, &zero, r.BufferAfterMinutes)
		}
	}

	err = Import(ctx, pool, gen.Generate(gen.Small, 8))
	require.ErrorIs(t, err, ErrNotEmpty)
	assert.Contains(t, err.Error(), "import only into an empty database")
}

// TestImportRefusesInvalid: an invalid dataset is refused before anything
// is written.
func TestImportRefusesInvalid(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	ds := gen.Generate(gen.Small, 7)
	ds.Appointments[3].End = ds.Appointments[3].Start
	var re *agenda.RecordError
	require.ErrorAs(t, Import(ctx, pool, ds), &re)
	assert.Equal(t, "end", re.Field)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM organisations`).Scan(&n))
	assert.Zero(t, n)
}

// TestConstraints: what SQL can say, the schema refuses.
func TestConstraints(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	require.NoError(t, Import(ctx, pool, gen.Generate(gen.Small, 7)))
	for _, sql := range []string{
		`INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) VALUES ('x', 'nowhere', '{a}', now(), now() + interval '1h')`,
		`INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) SELECT 'x', id, '{}', now(), now() + interval '1h' FROM organisations LIMIT 1`,
		`INSERT INTO appointments (id, organisation_id, agent_ids, start_at, end_at) SELECT 'x', id, '{a}', now(), now() FROM organisations LIMIT 1`,
		`UPDATE appointments SET status = 'lost' WHERE id = (SELECT min(id) FROM appointments)`,
		`UPDATE services SET duration_minutes = 0`,
		`INSERT INTO closed_days (date) SELECT date FROM closed_days WHERE organisation_id IS NULL LIMIT 1`,
		`INSERT INTO agents (id) VALUES ('')`,
	} {
		_, err := pool.Exec(ctx, sql)
		assert.Error(t, err, sql)
	}
}

// TestLoadNamesBadRow: a row that SQL accepts but the engine refuses makes
// Open fail naming the table, the id and the column.
func TestLoadNamesBadRow(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	ds := gen.Generate(gen.Small, 7)
	require.NoError(t, Import(ctx, pool, ds))
	tests := []struct {
		name, sql, table, id, column string
	}{
		{"rrule", `UPDATE opening_periods SET rrule = 'FREQ=SECONDLY' WHERE id = $1`, "opening_periods", ds.OpeningPeriods[0].ID, "rrule"},
		{"agent", `UPDATE appointments SET agent_ids = '{nobody}' WHERE id = $1`, "appointments", ds.Appointments[0].ID, "agent_ids"},
		{"time", `UPDATE absences SET end_time = '25:00' WHERE id = $1`, "absences", ds.Absences[0].ID, "end_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, err := pool.Begin(ctx)
			require.NoError(t, err)
			defer tx.Rollback(ctx)
			_, err = tx.Exec(ctx, tt.sql, tt.id)
			require.NoError(t, err)
			loaded, _, err := loadTx(ctx, tx)
			require.NoError(t, err)
			_, err = agenda.New(loaded)
			err = rowErrors(err)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.table, re.Table)
			assert.Equal(t, tt.id, re.ID)
			assert.Equal(t, tt.column, re.Column)
			assert.Contains(t, err.Error(), "table "+tt.table)
		})
	}
	// And through Open, committed.
	_, err := pool.Exec(ctx, `UPDATE appointments SET start_at = end_at + interval '1h' WHERE id = $1`, ds.Appointments[1].ID)
	require.Error(t, err, "end_at > start_at is SQL's to refuse")
	_, err = pool.Exec(ctx, `UPDATE places SET organisation_id = (SELECT id FROM organisations WHERE id <> places.organisation_id LIMIT 1) WHERE id = $1`, ds.Places[0].ID)
	require.NoError(t, err)
	_, err = Open(ctx, pool, Config{Poll: time.Second})
	var re *RowError
	require.ErrorAs(t, err, &re)
	assert.True(t, errors.As(err, &re))
}

// TestSchemaCoversDataset fails when a field is added to the dataset model
// without a column to keep it: every JSON field of every record type must
// name a column of its table (or the table that holds it).
func TestSchemaCoversDataset(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`)
	require.NoError(t, err)
	columns := map[string]bool{}
	for rows.Next() {
		var table, column string
		require.NoError(t, rows.Scan(&table, &column))
		columns[table+"."+column] = true
	}
	require.NoError(t, rows.Err())
	elsewhere := map[string]string{ // JSON field -> the column that keeps it
		"dataset.organisations": "", "dataset.agents": "", "dataset.places": "", "dataset.services": "",
		"dataset.opening_periods": "", "dataset.absences": "", "dataset.appointments": "", "dataset.closed_days": "",
		"dataset.calendars":         "",
		"dataset.time_zone":         "crossagenda_settings.time_zone",
		"dataset.holiday_calendars": "holiday_calendars.name",
		"agents.organisation_ids":   "agent_organisations.organisation_id",
		"appointments.start":        "appointments.start_at",
		"appointments.end":          "appointments.end_at",
	}
	for table, v := range map[string]any{"dataset": agenda.Dataset{}, "organisations": agenda.Organisation{}, "agents": agenda.Agent{},
		"places": agenda.Place{}, "services": agenda.Service{}, "opening_periods": agenda.OpeningPeriod{}, "absences": agenda.Absence{},
		"appointments": agenda.Appointment{}, "closed_days": agenda.ClosedDay{}, "external_calendars": agenda.Calendar{}} {
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			key := table + "." + name
			col, ok := elsewhere[key]
			if !ok {
				col = key
			}
			if col != "" {
				assert.True(t, columns[col], "field %s (%s.%s) has no column %s: add a migration", name, rt.Name(), rt.Field(i).Name, col)
			}
		}
	}
}
