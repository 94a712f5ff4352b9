// Command replay replays the inter-organisation agenda incident against the
// HTTP API: many open agenda tabs of agents working for several
// organisations, each re-polling its month every few hundred milliseconds,
// while a health check and a slot search are probed alongside. It checks
// that the health check stays responsive under that load.
//
//	replay [-scale departement] [-seed 1] [-clients 64] [-poll 300ms] [-duration 10s] [flags]
//
// The server runs in-process on a loopback port (127.0.0.1, chosen by the
// system); nothing else is contacted. The run stops by itself after
// -duration or -max-requests agenda requests, prints a table and PASS or
// FAIL, and exits with status 1 on FAIL.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	_ "time/tzdata"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func main() {
	if spec := os.Getenv(replayServerEnv); spec != "" { // the server of -pages
		if err := childServer(spec); err != nil {
			fmt.Fprintln(os.Stderr, "replay server:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(2)
	}
	if opts.pages > 0 {
		if _, err := runPages(context.Background(), opts, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "replay:", err)
			os.Exit(1)
		}
		return
	}
	res, err := run(context.Background(), opts, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
	if !res.pass {
		os.Exit(1)
	}
}

type options struct {
	scale       string
	seed        uint64
	clients     int
	poll        time.Duration
	duration    time.Duration
	maxRequests int
	idle        int
	probeEvery  time.Duration
	timeout     time.Duration
	maxInflight int
	floor       time.Duration
	factor      float64
	// The pages mode (pages.go): open event streams instead of polling
	// tabs.
	pages, pageAgents, bookings int
	bookingEvery                time.Duration
}

func defaultOptions() options {
	return options{scale: "departement", seed: 1, clients: 64, poll: 300 * time.Millisecond,
		duration: 10 * time.Second, maxRequests: 100_000, idle: 200, probeEvery: 20 * time.Millisecond,
		timeout: httpapi.DefaultTimeout, factor: 10, pageAgents: 1, bookings: 50, bookingEvery: 20 * time.Millisecond}
}

func parseFlags(args []string) (options, error) {
	o := defaultOptions()
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.StringVar(&o.scale, "scale", o.scale, "generated dataset: small, departement or region")
	fs.Uint64Var(&o.seed, "seed", o.seed, "generator seed")
	fs.IntVar(&o.clients, "clients", o.clients, "open agenda tabs polling at once")
	fs.DurationVar(&o.poll, "poll", o.poll, "how often each tab re-polls (the page polled every 30s; compressed 100x)")
	fs.DurationVar(&o.duration, "duration", o.duration, "length of the load phase")
	fs.IntVar(&o.maxRequests, "max-requests", o.maxRequests, "agenda requests after which the load phase ends early")
	fs.IntVar(&o.idle, "idle", o.idle, "requests of each probe in the idle phase, paced like the load phase's probes")
	fs.DurationVar(&o.probeEvery, "probe-every", o.probeEvery, "pause between two probes of one kind during the load")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "server: deadline of each query")
	fs.IntVar(&o.maxInflight, "max-inflight", 0, "server: queries computed at once (default 2*GOMAXPROCS)")
	fs.DurationVar(&o.floor, "floor", o.floor, "lowest idle p99 the criterion uses as its baseline (0: the idle p99 itself)")
	fs.Float64Var(&o.factor, "factor", o.factor, "allowed growth of the /healthz p99 under load")
	fs.IntVar(&o.pages, "pages", 0, "pages mode: this many open pages, each an event stream, instead of polling tabs (0: off)")
	fs.IntVar(&o.pageAgents, "page-agents", o.pageAgents, "pages mode: agents the pages show, the pages spread evenly")
	fs.IntVar(&o.bookings, "bookings", o.bookings, "pages mode: bookings made while the pages are open")
	fs.DurationVar(&o.bookingEvery, "booking-every", o.bookingEvery, "pages mode: pause between two bookings")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.clients < 1 || o.poll <= 0 || o.duration <= 0 || o.maxRequests < 1 || o.idle < 1 || o.factor <= 0 {
		return o, errors.New("-clients, -poll, -duration, -max-requests, -idle and -factor must be positive")
	}
	if o.pages < 0 || o.pages > 0 && (o.pageAgents < 1 || o.pageAgents > o.pages || o.bookings < 1) {
		return o, errors.New("-pages needs -page-agents between 1 and -pages, and -bookings positive")
	}
	return o, nil
}

// stats gathers one endpoint's outcomes in one phase. Latencies are those
// of 2xx responses, body read included.
type stats struct {
	endpoint, phase string

	mu        sync.Mutex
	lat       []time.Duration
	requests  int
	ok        int
	busy      int // 503
	server    int // 5xx other than 503
	client    int // 4xx
	transport int // no HTTP response
	elapsed   time.Duration
}

func (s *stats) record(status int, d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	switch {
	case err != nil:
		s.transport++
	case status >= 200 && status < 300:
		s.ok++
		s.lat = append(s.lat, d)
	case status == http.StatusServiceUnavailable:
		s.busy++
	case status >= 500:
		s.server++
	default:
		s.client++
	}
}

// quantile is the nearest-rank q-quantile of the 2xx latencies; 0 when
// there are none.
func (s *stats) quantile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	l := slices.Clone(s.lat)
	slices.Sort(l)
	i := int(math.Ceil(q*float64(len(l)))) - 1
	return l[max(i, 0)]
}

func (s *stats) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ok) / s.elapsed.Seconds()
}

type result struct {
	rows []*stats
	// The criterion: load p99 of /healthz <= factor * max(idle p99, floor).
	idleP99, baseline, loadP99, threshold time.Duration
	pass                                  bool
	stoppedBy                             string // "duration" or "max-requests"
	// loadCPU is the CPU time the process (clients and server) used in
	// the load phase; 0 where unknown.
	loadCPU time.Duration
}

func (r *result) row(endpoint, phase string) *stats {
	for _, s := range r.rows {
		if s.endpoint == endpoint && s.phase == phase {
			return s
		}
	}
	return nil
}

// workload is what the replay asks for, picked from the dataset.
type workload struct {
	agents  []string // agents of several organisations
	service string   // the service with the most opening periods
	anchor  time.Time
}

func pickWorkload(ds *agenda.Dataset) (workload, error) {
	w := workload{anchor: gen.DefaultAnchor()}
	for _, a := range ds.Agents {
		if len(a.OrganisationIDs) > 1 {
			w.agents = append(w.agents, a.ID)
		}
	}
	collective := map[string]bool{}
	for _, s := range ds.Services {
		collective[s.ID] = s.Collective
	}
	count := map[string]int{}
	for _, op := range ds.OpeningPeriods {
		for _, s := range op.ServiceIDs {
			if !collective[s] {
				count[s]++
			}
		}
	}
	for s, n := range count {
		if n > count[w.service] || n == count[w.service] && s < w.service {
			w.service = s
		}
	}
	if len(w.agents) == 0 || w.service == "" {
		return w, errors.New("the dataset has no agent of several organisations or no service with openings")
	}
	return w, nil
}

func run(ctx context.Context, o options, out io.Writer) (*result, error) {
	t0 := time.Now()
	ds, err := gen.GenerateByName(o.scale, o.seed)
	if err != nil {
		return nil, err
	}
	ix, err := agenda.New(ds)
	if err != nil {
		return nil, err
	}
	w, err := pickWorkload(ds)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "dataset: scale %s seed %d: %d agents (%d in several organisations), %d appointments; built in %s\n",
		o.scale, o.seed, len(ds.Agents), len(w.agents), len(ds.Appointments), time.Since(t0).Round(time.Millisecond))
	ds = nil
	runtime.GC() // the dataset is garbage now; do not collect it during the idle phase

	// The server, in-process, on a loopback port only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg := httpapi.Config{Timeout: o.timeout, MaxInflight: o.maxInflight}
	srv := &http.Server{Handler: httpapi.New(ix, cfg), ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout: o.timeout + 10*time.Second, IdleTimeout: time.Minute}
	go srv.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()
	inflight := o.maxInflight
	if inflight <= 0 {
		inflight = 2 * runtime.GOMAXPROCS(0)
	}
	machine := fmt.Sprintf("%d CPUs", runtime.NumCPU())
	if la := loadAverage(); la != "" {
		machine += ", load average " + la
	}
	fmt.Fprintf(out, "server: %s, GOMAXPROCS %d (%s), max in flight %d, timeout %s\n",
		base, runtime.GOMAXPROCS(0), machine, inflight, o.timeout)

	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, MaxIdleConns: o.clients + 8, MaxIdleConnsPerHost: o.clients + 8,
			IdleConnTimeout: time.Minute, DisableCompression: true},
		Timeout: o.timeout + 10*time.Second,
	}
	defer client.CloseIdleConnections()
	get := func(s *stats, target string) {
		start := time.Now()
		resp, err := client.Get(base + target)
		status := 0
		if err == nil {
			status = resp.StatusCode
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		s.record(status, time.Since(start), err)
	}
	healthz := "/healthz"
	slotURL := "/services/" + url.PathEscape(w.service) + "/slots?" + url.Values{
		"from": {w.anchor.Format(time.RFC3339)}, "to": {w.anchor.AddDate(0, 0, 7).Format(time.RFC3339)},
		"now": {w.anchor.Format(time.RFC3339)}, "view": {"user"}}.Encode()

	res := &result{}
	newStats := func(endpoint, phase string) *stats {
		s := &stats{endpoint: endpoint, phase: phase}
		res.rows = append(res.rows, s)
		return s
	}

	// Idle: the same two probes as under load, paced the same way (one
	// request every probeEvery, each kind in its own goroutine), so that
	// both phases pay the same wake-up and cache costs and differ only by
	// the tabs' load. After a few untimed warm-up requests.
	warm := &stats{}
	for range 5 {
		get(warm, healthz)
		get(warm, slotURL)
	}
	var idleWG sync.WaitGroup
	for _, p := range []struct{ endpoint, target string }{{"/healthz", healthz}, {"slots (1 week)", slotURL}} {
		s := newStats(p.endpoint, "idle")
		idleWG.Add(1)
		go func() {
			defer idleWG.Done()
			start := time.Now()
			for i := range o.idle {
				get(s, p.target)
				if i < o.idle-1 && !sleep(ctx, o.probeEvery) {
					break
				}
			}
			s.elapsed = time.Since(start)
		}()
	}
	idleWG.Wait()

	// Load: the tabs, and the same probes alongside.
	hz, sl := newStats("/healthz", "load"), newStats("slots (1 week)", "load")
	ag := newStats("agenda (1 month)", "load")
	lctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var budget atomic.Int64
	budget.Store(int64(o.maxRequests))
	var capped atomic.Bool
	var wg sync.WaitGroup
	cpu0, cpuOK := processCPU()
	start := time.Now()
	probe := func(s *stats, target string) {
		defer wg.Done()
		for {
			get(s, target)
			if !sleep(lctx, o.probeEvery) {
				return
			}
		}
	}
	wg.Add(2)
	go probe(hz, healthz)
	go probe(sl, slotURL)
	month := time.Date(w.anchor.Year(), w.anchor.Month(), 1, 0, 0, 0, 0, w.anchor.Location())
	for i := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(o.seed, uint64(i)))
			// Tabs were opened at random moments: spread their phases.
			if !sleep(lctx, time.Duration(rng.Int64N(int64(o.poll)))) {
				return
			}
			for j := 0; ; j++ {
				if budget.Add(-1) < 0 {
					capped.Store(true)
					cancel()
					return
				}
				// Successive polls walk through the agents of several
				// organisations and the months around the anchor.
				agent := w.agents[(i+j*o.clients)%len(w.agents)]
				from := month.AddDate(0, (i+j)%3-1, 0)
				target := "/agents/" + url.PathEscape(agent) + "/agenda?" + url.Values{
					"start": {from.Format(time.RFC3339)}, "end": {from.AddDate(0, 1, 0).Format(time.RFC3339)}}.Encode()
				polled := time.Now()
				get(ag, target)
				if !sleep(lctx, o.poll-time.Since(polled)) {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if cpu1, ok := processCPU(); ok && cpuOK {
		res.loadCPU = cpu1 - cpu0
	}
	for _, s := range []*stats{hz, sl, ag} {
		s.elapsed = elapsed
	}
	res.stoppedBy = "duration"
	if capped.Load() {
		res.stoppedBy = "max-requests"
	}

	idle := res.row("/healthz", "idle")
	res.idleP99 = idle.quantile(0.99)
	res.baseline = max(res.idleP99, o.floor)
	res.threshold = time.Duration(o.factor * float64(res.baseline))
	res.loadP99 = hz.quantile(0.99)
	res.pass = hz.ok > 0 && res.loadP99 <= res.threshold
	report(out, o, res, elapsed)
	return res, nil
}

// sleep waits d or until ctx is done; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
}

func report(out io.Writer, o options, res *result, elapsed time.Duration) {
	fmt.Fprintf(out, "load: %d tabs each polling a 1-month agenda every %s (the page's 30s, compressed), "+
		"probes every %s; ran %s, stopped by %s\n\n",
		o.clients, o.poll, o.probeEvery, elapsed.Round(time.Millisecond), res.stoppedBy)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tphase\trequests\tok\t503\tother errors\tp50\tp99\tmax\tok/s\t")
	rows := slices.Clone(res.rows)
	order := map[string]int{"idle": 0, "load": 1}
	slices.SortStableFunc(rows, func(a, b *stats) int { return cmp.Compare(order[a.phase], order[b.phase]) })
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%.1f\t\n", s.endpoint, s.phase, s.requests, s.ok, s.busy,
			s.server+s.client+s.transport, ms(s.quantile(0.5)), ms(s.quantile(0.99)), ms(s.quantile(1)), s.rate())
	}
	tw.Flush()
	if res.loadCPU > 0 {
		fmt.Fprintf(out, "\nCPU used by this process (clients and server) during the load: %s over %s, %.0f%% of one core.\n",
			res.loadCPU.Round(time.Millisecond), elapsed.Round(time.Millisecond), 100*res.loadCPU.Seconds()/elapsed.Seconds())
	}
	verdict := "FAIL"
	if res.pass {
		verdict = "PASS"
	}
	fmt.Fprintf(out, "latencies are of 2xx responses, body read included, measured by a client in the same process.\n"+
		"criterion: p99 of /healthz under load <= %g x max(idle p99, floor %s); both phases probe\n"+
		"at the same pace, so they differ only by the tabs' load.\n"+
		"  idle p99 %s -> baseline %s -> threshold %s; load p99 %s: %s\n",
		o.factor, o.floor, ms(res.idleP99), ms(res.baseline), ms(res.threshold), ms(res.loadP99), verdict)
}
