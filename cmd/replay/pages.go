package main

// The pages mode (-pages N): instead of tabs that poll, N open agenda pages
// each hold one Server-Sent Events stream (GET /agents/{id}/events), and
// bookings are made while they wait. It reports the server's memory per
// subscription and the latency from a booking to its message reaching every
// subscriber of the agent.
//
// The server runs in a child process (this program, started again with
// replayServerEnv set), so that its memory is measured apart from the
// subscribers' client side.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

// replayServerEnv, when set ("scale seed max-subscribers"), makes this
// program the server of the pages mode.
const replayServerEnv = "CROSSAGENDA_REPLAY_SERVER"

// serverMem is what GET /replay/mem of the child answers, after two GCs.
type serverMem struct {
	HeapInuse   uint64 `json:"heap_inuse"`
	StackInuse  uint64 `json:"stack_inuse"`
	Goroutines  int    `json:"goroutines"`
	Subscribers int    `json:"subscribers"`
	Sent        int64  `json:"sent"`
	Dropped     int64  `json:"dropped"`
}

// childServer serves the API with event streams over a live index of the
// generated dataset, its clock at the dataset's anchor, on a loopback port
// it prints on stdout; it stops when stdin closes.
func childServer(spec string) error {
	var scaleName string
	var seed uint64
	var maxSubs int
	if _, err := fmt.Sscan(spec, &scaleName, &seed, &maxSubs); err != nil {
		return fmt.Errorf("%s=%q: %v", replayServerEnv, spec, err)
	}
	ds, err := gen.GenerateByName(scaleName, seed)
	if err != nil {
		return err
	}
	live, err := agenda.NewLive(ds)
	if err != nil {
		return err
	}
	anchor := gen.DefaultAnchor()
	events := httpapi.NewEvents(live, httpapi.EventsConfig{MaxSubscribers: maxSubs + 16})
	mux := http.NewServeMux()
	mux.Handle("/", httpapi.New(live, httpapi.Config{Events: events, Now: func() time.Time { return anchor }}))
	mux.HandleFunc("GET /replay/mem", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st := events.Stats()
		json.NewEncoder(w).Encode(serverMem{HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse,
			Goroutines: runtime.NumGoroutine(), Subscribers: st.Subscribers, Sent: st.Sent, Dropped: st.Dropped})
	})
	runtime.GC()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	srv.RegisterOnShutdown(events.Close)
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin) // until the parent closes it or exits
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

// pagesResult is what the pages mode measured.
type pagesResult struct {
	pages, agents, bookings int
	before, open            serverMem
	openTime                time.Duration
	post                    []time.Duration // the booking requests
	first, every            []time.Duration // booking to first and to last subscriber of the agent
	all                     []time.Duration // booking to each subscriber
	stray                   int64           // messages that reached subscribers of other agents
	shutdown                time.Duration   // from stopping the server to every stream ended
	ended                   int             // streams that saw the shutdown event or their end
}

// subscriber is one open page's stream, read by its own goroutine.
type pageStream struct {
	agent string
	recv  chan time.Time // one per change message
}

func runPages(ctx context.Context, o options, out io.Writer) (*pagesResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %d", replayServerEnv, o.scale, o.seed, o.pages))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			stdin.Close()
			<-exited
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stdin.Close()
		<-exited
		stopped = true
		return nil, fmt.Errorf("the server process did not start: %v %s", err, stderr.String())
	}
	base := "http://" + strings.TrimSpace(line)
	fmt.Fprintf(out, "server: child process %d on %s, scale %s seed %d, ready in %s\n", cmd.Process.Pid, base, o.scale, o.seed,
		time.Since(t0).Round(time.Millisecond))

	client := &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16, DisableCompression: true,
		ReadBufferSize: 1 << 10, WriteBufferSize: 1 << 10}}
	defer client.CloseIdleConnections()
	getJSON := func(target string, v any) error {
		resp, err := client.Get(base + target)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(resp.Body)
			return fmt.Errorf("GET %s: %d %s", target, resp.StatusCode, b)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}

	// The agents watched and the slots booked: agents of several
	// organisations with a non-collective service that has enough free
	// slots in the week after next.
	var cat struct {
		Agents []struct {
			ID              string   `json:"id"`
			OrganisationIDs []string `json:"organisation_ids"`
			ServiceIDs      []string `json:"service_ids"`
		} `json:"agents"`
		Services []struct {
			ID         string `json:"id"`
			Collective bool   `json:"collective"`
		} `json:"services"`
	}
	if err := getJSON("/catalogue", &cat); err != nil {
		return nil, err
	}
	collective := map[string]bool{}
	for _, s := range cat.Services {
		collective[s.ID] = s.Collective
	}
	anchor := gen.DefaultAnchor()
	type target struct {
		agent, service string
		slots          []agenda.Slot
	}
	perAgent := (o.bookings + o.pageAgents - 1) / o.pageAgents
	var targets []target
	for _, a := range cat.Agents {
		if len(targets) == o.pageAgents {
			break
		}
		if len(a.OrganisationIDs) < 2 {
			continue
		}
		for _, s := range a.ServiceIDs {
			if collective[s] {
				continue
			}
			var slots []agenda.Slot
			q := url.Values{"agent": {a.ID}, "from": {anchor.AddDate(0, 0, 7).Format(time.RFC3339)},
				"to": {anchor.AddDate(0, 0, 35).Format(time.RFC3339)}, "view": {"agent"}}
			if err := getJSON("/services/"+url.PathEscape(s)+"/slots?"+q.Encode(), &slots); err != nil {
				return nil, err
			}
			// Slots overlap when the grid is finer than the duration:
			// keep those that do not, so that every booking succeeds.
			var apart []agenda.Slot
			for _, sl := range slots {
				if len(apart) == 0 || !sl.Start.Before(apart[len(apart)-1].End) {
					apart = append(apart, sl)
				}
			}
			if len(apart) >= perAgent {
				targets = append(targets, target{agent: a.ID, service: s, slots: apart[:perAgent]})
				break
			}
		}
	}
	if len(targets) < o.pageAgents {
		return nil, fmt.Errorf("found %d agents of several organisations with %d free slots, want %d", len(targets), perAgent, o.pageAgents)
	}

	res := &pagesResult{pages: o.pages, agents: o.pageAgents}
	if err := getJSON("/replay/mem", &res.before); err != nil {
		return nil, err
	}

	// Open the pages' streams, a few at a time, and wait until each has its
	// "ready" event.
	streams := make([]*pageStream, o.pages)
	var stray atomic.Int64
	var ended sync.WaitGroup
	var endedCount atomic.Int64
	ready := make(chan error, o.pages)
	sem := make(chan struct{}, 32)
	tOpen := time.Now()
	for i := range streams {
		s := &pageStream{agent: targets[i%len(targets)].agent, recv: make(chan time.Time, o.bookings+1)}
		streams[i] = s
		sem <- struct{}{}
		ended.Add(1)
		go func() {
			defer ended.Done()
			resp, err := client.Get(base + "/agents/" + url.PathEscape(s.agent) + "/events")
			<-sem
			if err != nil {
				ready <- err
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				ready <- fmt.Errorf("stream of %s: %s", s.agent, resp.Status)
				return
			}
			r := bufio.NewReaderSize(resp.Body, 512)
			var event string
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					endedCount.Add(1)
					return
				}
				l = strings.TrimRight(l, "\n")
				switch {
				case strings.HasPrefix(l, "event: "):
					event = l[len("event: "):]
				case strings.HasPrefix(l, "data: "):
					at := time.Now()
					switch event {
					case "ready":
						ready <- nil
					case "change":
						if !strings.Contains(l, `"agent_id":"`+s.agent+`"`) {
							stray.Add(1)
						}
						s.recv <- at
					case "shutdown":
						endedCount.Add(1)
						return
					}
				}
			}
		}()
	}
	for range streams {
		if err := <-ready; err != nil {
			return nil, err
		}
	}
	res.openTime = time.Since(tOpen)
	if err := getJSON("/replay/mem", &res.open); err != nil {
		return nil, err
	}

	// The bookings, one at a time: each waits until every subscriber of
	// its agent has its message.
	for b := range o.bookings {
		tg := targets[b%len(targets)]
		sl := tg.slots[b/len(targets)]
		body := fmt.Sprintf(`{"id":"replay-%d","agent_id":%q,"place_id":%q,"start":%q,"view":"agent"}`,
			b, tg.agent, sl.PlaceID, sl.Start.Format(time.RFC3339))
		start := time.Now()
		resp, err := client.Post(base+"/services/"+url.PathEscape(tg.service)+"/bookings", "application/json", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		res.post = append(res.post, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("booking %d: %s", b, resp.Status)
		}
		first, last := time.Duration(1<<62), time.Duration(0)
		deadline := time.After(10 * time.Second)
		for _, s := range streams {
			if s.agent != tg.agent {
				continue
			}
			select {
			case at := <-s.recv:
				d := at.Sub(start)
				res.all = append(res.all, d)
				first, last = min(first, d), max(last, d)
			case <-deadline:
				return nil, fmt.Errorf("booking %d: a subscriber of %s had no message within 10s", b, tg.agent)
			}
		}
		res.first = append(res.first, first)
		res.every = append(res.every, last)
		res.bookings++
		if !sleep(ctx, o.bookingEvery) {
			break
		}
	}
	res.stray = stray.Load()
	var after serverMem
	if err := getJSON("/replay/mem", &after); err != nil {
		return nil, err
	}
	res.open.Sent, res.open.Dropped = after.Sent, after.Dropped

	// Stop the server: every stream must end.
	tStop := time.Now()
	stdin.Close()
	ended.Wait()
	res.shutdown = time.Since(tStop)
	res.ended = int(endedCount.Load())
	if err := <-exited; err != nil {
		stopped = true
		return nil, fmt.Errorf("server process: %v %s", err, stderr.String())
	}
	stopped = true
	reportPages(out, o, res)
	return res, nil
}

func quantile(l []time.Duration, q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	l = slices.Clone(l)
	slices.Sort(l)
	i := int(float64(len(l))*q+0.999999) - 1
	return l[max(min(i, len(l)-1), 0)]
}

func reportPages(out io.Writer, o options, r *pagesResult) {
	heap := int64(r.open.HeapInuse) - int64(r.before.HeapInuse)
	stack := int64(r.open.StackInuse) - int64(r.before.StackInuse)
	per := func(v int64) string {
		return strconv.FormatFloat(float64(v)/float64(r.pages)/1024, 'f', 1, 64) + " KiB"
	}
	fmt.Fprintf(out, "pages: %d open pages (event streams) on %d agent(s), %d per agent; all open and ready in %s\n",
		r.pages, r.agents, r.pages/r.agents, r.openTime.Round(time.Millisecond))
	fmt.Fprintf(out, "server memory per subscription (after GC, idle streams): heap %s + stacks %s = %s; goroutines %d -> %d (%.2f per subscription)\n",
		per(heap), per(stack), per(heap+stack), r.before.Goroutines, r.open.Goroutines,
		float64(r.open.Goroutines-r.before.Goroutines)/float64(r.pages))
	fmt.Fprintf(out, "bookings: %d, one every %s, each waiting for its messages; messages sent %d, subscribers dropped %d, messages to the wrong agent's pages %d\n\n",
		r.bookings, o.bookingEvery, r.open.Sent, r.open.Dropped, r.stray)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "latency from sending the booking\tcount\tp50\tp99\tmax\t")
	for _, row := range []struct {
		name string
		l    []time.Duration
	}{
		{"booking answered (POST)", r.post},
		{"message at the first subscriber", r.first},
		{"message at each subscriber", r.all},
		{"message at every subscriber of the agent", r.every},
	} {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", row.name, len(row.l), ms(quantile(row.l, 0.5)), ms(quantile(row.l, 0.99)), ms(quantile(row.l, 1)))
	}
	tw.Flush()
	fmt.Fprintf(out, "\nshutdown: %d of %d streams ended, %s after the server was told to stop\n", r.ended, r.pages, r.shutdown.Round(time.Millisecond))
	fmt.Fprintln(out, "the subscribers run in this process and the server in a child, on the same machine: latencies include both sides' scheduling.")
}
