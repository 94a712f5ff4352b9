package browsertest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// databaseURL is the PostgreSQL of the database tests, or skips (fails on
// CI, where every database test must run).
func databaseURL(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("CROSSAGENDA_TEST_DATABASE_URL"); u != "" {
		return u
	}
	missing(t, "CROSSAGENDA_TEST_DATABASE_URL is not set: the agenda page is not tested on PostgreSQL")
	return ""
}

// schemaURL creates a schema of the test's own and returns the database
// URL whose connections use it; the schema is dropped at cleanup.
func schemaURL(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	schema := fmt.Sprintf("browser_%d", time.Now().UnixNano())
	admin, err := pgxpool.New(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema) // a runtime parameter of every connection
	u.RawQuery = q.Encode()
	return u.String()
}

// buildServer builds the server command into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the server with")
	}
	bin := filepath.Join(t.TempDir(), "server")
	if out, err := exec.Command(goTool, "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build the server: %v\n%s", err, out)
	}
	return bin
}

// startServer runs the server command with args on a free port of the
// loopback and returns its base URL once it listens; it is interrupted at
// cleanup.
func startServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-quiet"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	drained := make(chan struct{}) // the log read to its end: the server has exited
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-drained:
		case <-time.After(15 * time.Second):
			t.Errorf("the server %v did not stop within 15s of an interrupt: killed", args)
			cmd.Process.Kill()
			<-drained
		}
		cmd.Wait()
	})
	found := make(chan string, 1)
	logged := make(chan string, 1)
	go func() {
		defer close(drained)
		var all strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "listening" {
				found <- rec.Addr
				break
			}
			all.Write(sc.Bytes())
			all.WriteByte('\n')
		}
		close(found)
		logged <- all.String()
		io.Copy(io.Discard, stderr) // the server never blocks on its log
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			t.Fatalf("the server %v stopped before listening:\n%s", args, <-logged)
		}
		return "http://" + addr
	case <-time.After(90 * time.Second):
		t.Fatalf("the server %v did not listen within 90s", args)
	}
	return ""
}

// TestAgendaPageFollowsTheDatabase: two server processes on one
// PostgreSQL, as replicas are deployed. The page open on the first draws,
// without a reload, a booking made through the second and an appointment
// written by another program straight into the database (as with psql):
// each reaches the first replica by the change log, then the page by its
// stream of changes.
func TestAgendaPageFollowsTheDatabase(t *testing.T) {
	chromium(t) // skip before building anything
	dbURL := schemaURL(t, databaseURL(t))
	bin := buildServer(t)
	first := startServer(t, bin, "-db", dbURL, "-scale", "small", "-open") // imports the dataset
	second := startServer(t, bin, "-db", dbURL, "-open")                   // serves what the database holds

	// An agent of several organisations with three slots of one service
	// in one week, as the first replica offers them from today on.
	ds := gen.Generate(gen.Small, 1) // -scale small, -seed 1
	paris, _ := time.LoadLocation("Europe/Paris")
	orgs := map[string]int{}
	for _, a := range ds.Agents {
		orgs[a.ID] = len(a.OrganisationIDs)
	}
	collective := map[string]bool{}
	for _, svc := range ds.Services {
		collective[svc.ID] = svc.Collective
	}
	today := time.Now().In(paris)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, paris)
	var agent, service string
	var week []agenda.Slot
	for _, op := range ds.OpeningPeriods {
		svc := op.ServiceIDs[0]
		if collective[svc] || op.PlaceID == "" || orgs[op.AgentID] < 2 {
			continue
		}
		var slots []agenda.Slot
		getJSON(t, fmt.Sprintf("%s/services/%s/slots?agent=%s&from=%s&to=%s&view=agent", first, svc, op.AgentID,
			from.Format("2006-01-02"), from.AddDate(0, 0, 21).Format("2006-01-02")), "", &slots)
		if len(slots) == 0 {
			continue
		}
		y, w := slots[0].Start.In(paris).ISOWeek()
		week = week[:0]
		for _, sl := range slots {
			if sy, sw := sl.Start.In(paris).ISOWeek(); sy == y && sw == w {
				week = append(week, sl)
			}
		}
		if len(week) >= 3 {
			agent, service = op.AgentID, svc
			break
		}
	}
	if agent == "" {
		t.Fatalf("no agent of several organisations with three slots in one week within 21 days of %s", from.Format("2006-01-02"))
	}
	date := week[0].Start.In(paris).Format("2006-01-02")

	ctx, problems := browser(t)
	page := fmt.Sprintf("%s/?agent=%s&service=%s&date=%s&view=timeGridWeek", first, agent, service, date)
	step(t, ctx, "open the page on the first replica", chromedp.Navigate(page))
	slotShown := func(sl agenda.Slot) string {
		return fmt.Sprintf(`document.querySelector('[data-event-id="slot:%s:%d"]') !== null`, sl.PlaceID, sl.Start.Unix())
	}
	poll(t, ctx, "the page loads, subscribes and draws the slots",
		`window.agendaPage && agendaPage.ready && agendaPage.subscribed && `+slotShown(week[1])+` && `+slotShown(week[2]), 20*time.Second)
	eval[bool](t, ctx, `window.notReloaded = true`)

	// A booking through the second replica.
	b := week[1]
	body := fmt.Sprintf(`{"id":"replica-2","agent_id":%q,"place_id":%q,"start":%q,"view":"agent"}`, agent, b.PlaceID, b.Start.Format(time.RFC3339))
	t0 := time.Now()
	resp, err := http.Post(second+"/services/"+service+"/bookings", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("booking through the second replica: %d %s", resp.StatusCode, answer)
	}
	poll(t, ctx, "the booking made through the second replica is drawn by the page of the first",
		`document.querySelector('[data-event-id="appointment:replica-2"]') !== null && !(`+slotShown(b)+`)`, 5*time.Second)
	t.Logf("a booking through the second replica was drawn %s after it was sent", time.Since(t0).Round(time.Millisecond))

	// An appointment another program writes into the database.
	w := week[2]
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	t0 = time.Now()
	if _, err := pool.Exec(context.Background(), `INSERT INTO appointments (id, organisation_id, place_id, service_id, agent_ids, start_at, end_at)
		VALUES ('written-by-sql', $1, $2, $3, $4, $5, $6)`, w.OrganisationID, w.PlaceID, w.ServiceID, []string{agent}, w.Start, w.End); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the appointment written straight into the database is drawn",
		`document.querySelector('[data-event-id="appointment:written-by-sql"]') !== null && !(`+slotShown(w)+`)`, 5*time.Second)
	t.Logf("an appointment inserted with SQL was drawn %s after its commit", time.Since(t0).Round(time.Millisecond))

	if !eval[bool](t, ctx, `window.notReloaded === true`) {
		t.Error("the page was reloaded")
	}
	// The page draws the first replica's feed of the week, and both
	// replicas' feeds hold both appointments.
	d := week[0].Start.In(paris)
	monday := time.Date(d.Year(), d.Month(), d.Day()-(int(d.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	drawn := eval[[]string](t, ctx, drawnIDs)
	if feed := feedIDsOfWeek(t, first, agent, "", "", monday); !slices.Equal(drawn, feed) {
		t.Errorf("drawn events differ from the first replica's feed of the week of %s:\n drawn %v\n feed  %v", monday.Format("2006-01-02"), drawn, feed)
	}
	// The second replica follows the database too (the SQL row reaches it
	// as it reached the first, within moments).
	for name, base := range map[string]string{"first": first, "second": second} {
		var feed []string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			feed = feedIDsOfWeek(t, base, agent, "", "", monday)
			if slices.Contains(feed, "appointment:replica-2") && slices.Contains(feed, "appointment:written-by-sql") || time.Now().After(deadline) {
				break
			}
		}
		for _, id := range []string{"appointment:replica-2", "appointment:written-by-sql"} {
			if !slices.Contains(feed, id) {
				t.Errorf("after 5s, the %s replica's feed lacks %s: %v", name, id, feed)
			}
		}
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(p, "\n"))
	}
}
