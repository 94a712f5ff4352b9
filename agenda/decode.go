package agenda

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
)

// The JSON dataset is decoded strictly, field by field, rather than by
// encoding/json into the structs: encoding/json matches keys without regard
// to case ("Agents" for "agents") and reports a type error with Go type
// names and without the record it belongs to. Here keys must match exactly,
// and every error is a *RecordError naming the record (kind and id, or
// position) and the field.

// maxReadErrors bounds the record errors ReadDataset lists, as
// Limits.MaxErrors bounds New's.
const maxReadErrors = 100

// ReadDataset decodes a JSON dataset. Keys are matched exactly and unknown
// fields are errors, so that a misspelt field is not silently ignored.
// Every error names the record (kind and id, or "#N" for the N-th record
// of its array) and the field; when several records are wrong, a
// [*ValidationError] lists them (up to 100). The dataset is not validated:
// [New] does that.
//
// It reads all of r into memory, then decodes each record on its own.
func ReadDataset(r io.Reader) (*Dataset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("agenda: reading dataset: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var top json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, jsonSyntaxErr(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("agenda: reading dataset: unexpected data after the dataset object")
	}
	var d recordDecoder
	ds := d.dataset(top)
	if len(d.errs) == 1 {
		return nil, d.errs[0]
	}
	if len(d.errs) > 0 {
		return nil, &ValidationError{Errs: d.errs, Truncated: d.truncated}
	}
	return ds, nil
}

// jsonSyntaxErr says where malformed JSON goes wrong, by line and column.
func jsonSyntaxErr(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := max(min(int(se.Offset), len(data))-1, 0) // Offset is just after the offending byte
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		col := off - bytes.LastIndexByte(data[:off], '\n')
		return fmt.Errorf("agenda: reading dataset: malformed JSON at line %d, column %d: %s", line, col, se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("agenda: reading dataset: the JSON ends before the dataset does")
	}
	return fmt.Errorf("agenda: reading dataset: %w", err)
}

// recordDecoder decodes records and collects their errors.
type recordDecoder struct {
	errs      []*RecordError
	truncated bool
}

func (d *recordDecoder) fail(kind, id, field, format string, args ...any) {
	if len(d.errs) >= maxReadErrors {
		d.truncated = true
		return
	}
	d.errs = append(d.errs, recordErr(kind, id, field, format, args...))
}

// member is one key and value of a JSON object, in document order.
type member struct {
	key string
	val json.RawMessage
}

// members splits a JSON object into its members; ok is false when raw is
// not an object. raw must be valid JSON.
func members(raw json.RawMessage) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		out = append(out, member{key, v})
	}
	return out, true
}

// jsonKind names the kind of a JSON value, for errors.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "the number " + string(raw)
}

// fieldTable maps the JSON names of a struct's fields to their indices.
type fieldTable struct {
	index map[string]int
	want  map[string]string // what each field holds, for errors
}

var fieldTables sync.Map // reflect.Type → *fieldTable

func fieldsOf(t reflect.Type) *fieldTable {
	if ft, ok := fieldTables.Load(t); ok {
		return ft.(*fieldTable)
	}
	ft := &fieldTable{index: map[string]int{}, want: map[string]string{}}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft.index[name] = i
		ft.want[name] = describeType(f.Type)
	}
	fieldTables.Store(t, ft)
	return ft
}

// describeType says in words what JSON a Go type reads.
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "an array of strings"
		}
	}
	return "a value"
}

// record decodes one JSON object into the struct dst points to, checking
// every key. idKey names the member that identifies the record in errors;
// i is its position in its array.
func (d *recordDecoder) record(raw json.RawMessage, dst any, kind, idKey string, i int) (id string, ok bool) {
	id = recordID("", i)
	ms, isObject := members(raw)
	if !isObject {
		d.fail(kind, id, "", "want an object, got %s", jsonKind(raw))
		return id, false
	}
	for _, m := range ms {
		if m.key == idKey {
			var s string
			if json.Unmarshal(m.val, &s) == nil && s != "" {
				id = s
			}
		}
	}
	rv := reflect.ValueOf(dst).Elem()
	ft := fieldsOf(rv.Type())
	seen := make(map[string]bool, len(ms))
	ok = true
	for _, m := range ms {
		fi, known := ft.index[m.key]
		if !known {
			d.fail(kind, id, m.key, "unknown field %q%s", m.key, didYouMean(ft, m.key))
			ok = false
			continue
		}
		if seen[m.key] {
			d.fail(kind, id, m.key, "field %q appears twice", m.key)
			ok = false
			continue
		}
		seen[m.key] = true
		if err := json.Unmarshal(m.val, rv.Field(fi).Addr().Interface()); err != nil {
			got := jsonKind(m.val)
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && got == "an array" {
				got = "an array holding " + te.Value
			}
			d.fail(kind, id, m.key, "%s: want %s, got %s", m.key, ft.want[m.key], got)
			ok = false
		}
	}
	return id, ok
}

// didYouMean suggests the field a key differs from only by case.
func didYouMean(ft *fieldTable, key string) string {
	for name := range ft.index {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
	}
	return ""
}

// array splits a JSON array of records; null is an empty array.
func (d *recordDecoder) array(raw json.RawMessage, key string) ([]json.RawMessage, bool) {
	if jsonKind(raw) == "null" {
		return nil, true
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		d.fail(kindDataset, "", key, "%s: want an array, got %s", key, jsonKind(raw))
		return nil, false
	}
	return elems, true
}

// records decodes an array of records of one kind.
func decodeRecords[T any](d *recordDecoder, raw json.RawMessage, key, kind, idKey string) []T {
	elems, ok := d.array(raw, key)
	if !ok || elems == nil {
		return nil
	}
	out := make([]T, 0, len(elems))
	for i, e := range elems {
		var rec T
		d.record(e, &rec, kind, idKey, i)
		out = append(out, rec)
	}
	return out
}

func (d *recordDecoder) dataset(raw json.RawMessage) *Dataset {
	ds := &Dataset{}
	ms, ok := members(raw)
	if !ok {
		d.fail(kindDataset, "", "", "want a JSON object, got %s", jsonKind(raw))
		return ds
	}
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if seen[m.key] {
			d.fail(kindDataset, "", m.key, "field %q appears twice", m.key)
			continue
		}
		seen[m.key] = true
		switch m.key {
		case "time_zone":
			if json.Unmarshal(m.val, &ds.TimeZone) != nil {
				d.fail(kindDataset, "", m.key, "time_zone: want a string, got %s", jsonKind(m.val))
			}
		case "holiday_calendars":
			if json.Unmarshal(m.val, &ds.HolidayCalendars) != nil {
				d.fail(kindDataset, "", m.key, "holiday_calendars: want an array of strings, got %s", jsonKind(m.val))
			}
		case "organisations":
			ds.Organisations = decodeRecords[Organisation](d, m.val, m.key, kindOrganisation, "id")
		case "agents":
			ds.Agents = decodeRecords[Agent](d, m.val, m.key, kindAgent, "id")
		case "places":
			ds.Places = decodeRecords[Place](d, m.val, m.key, kindPlace, "id")
		case "services":
			ds.Services = decodeRecords[Service](d, m.val, m.key, kindService, "id")
		case "opening_periods":
			ds.OpeningPeriods = decodeRecords[OpeningPeriod](d, m.val, m.key, kindOpening, "id")
		case "absences":
			ds.Absences = decodeRecords[Absence](d, m.val, m.key, kindAbsence, "id")
		case "calendars":
			ds.Calendars = decodeRecords[Calendar](d, m.val, m.key, kindCalendar, "id")
		case "closed_days":
			ds.ClosedDays = decodeRecords[ClosedDay](d, m.val, m.key, kindClosedDay, "date")
		case "appointments":
			elems, ok := d.array(m.val, m.key)
			if !ok {
				continue
			}
			for i, e := range elems {
				ds.Appointments = append(ds.Appointments, d.appointment(e, i))
			}
		default:
			d.fail(kindDataset, "", m.key, "unknown field %q%s", m.key, didYouMean(fieldsOf(reflect.TypeFor[Dataset]()), m.key))
		}
	}
	return ds
}

// appointment decodes an appointment whose start and end are RFC 3339
// times.
func (d *recordDecoder) appointment(raw json.RawMessage, i int) Appointment {
	var r appointmentJSON
	id, ok := d.record(raw, &r, kindAppointment, "id", i)
	a := Appointment{
		ID: r.ID, OrganisationID: r.OrganisationID, PlaceID: r.PlaceID, ServiceID: r.ServiceID,
		AgentIDs: r.AgentIDs, Status: r.Status, Capacity: r.Capacity, Participants: r.Participants,
		BufferBeforeMinutes: r.BufferBefore, BufferAfterMinutes: r.BufferAfter,
	}
	if !ok {
		return a
	}
	var err error
	if r.Start != "" {
		if a.Start, err = time.Parse(time.RFC3339, r.Start); err != nil {
			d.fail(kindAppointment, id, "start", "start %q is not an RFC 3339 time", r.Start)
		}
	}
	if r.End != "" {
		if a.End, err = time.Parse(time.RFC3339, r.End); err != nil {
			d.fail(kindAppointment, id, "end", "end %q is not an RFC 3339 time", r.End)
		}
	}
	return a
}

// UnmarshalJSON reads an appointment as [ReadDataset] does: keys matched
// exactly, start and end RFC 3339 times, errors naming the appointment and
// the field.
func (a *Appointment) UnmarshalJSON(data []byte) error {
	var d recordDecoder
	rec := d.appointment(data, 0)
	if len(d.errs) > 0 {
		if d.errs[0].ID == "#0" { // not in an array: no position to give
			d.errs[0].ID = ""
		}
		return d.errs[0]
	}
	*a = rec
	return nil
}
