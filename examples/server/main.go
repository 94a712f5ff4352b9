// Command server serves crossagenda queries over HTTP as JSON: agent agendas
// as a FullCalendar event feed, free slots and next availability (see package
// httpapi and the README for the endpoints).
//
//	server -data FILE [-addr 127.0.0.1:8080] [flags]
//	server -scale small|departement|region [-seed N] [flags]
//	server -db postgres://... [-data FILE | -scale NAME] [flags]
//
// Started with neither -tokens nor -open, it keeps access control on and
// mints a random demo token for one agent of the dataset (-demo-agent, else
// the agent with the most organisations), and logs the address to open:
// the page at / with the token in the URL fragment (#token=...), which the
// browser never sends to a server. With -db alone, it mints one only when
// -demo-agent names the agent: that database may hold real agendas.
//
// With -db (or DATABASE_URL), PostgreSQL is the source of truth: bookings
// are durable and several server processes may serve one database. -db
// with -data or -scale first imports that dataset into an empty database;
// -db alone serves what the database holds. Without -db, the dataset lives
// in this process's memory only, and bookings are lost when it stops.
//
// It logs JSON records to stderr (one per request unless -quiet) and shuts
// down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/agenda/pgstore"
	"github.com/crossagenda/crossagenda/examples/server/httpapi"
	"github.com/crossagenda/crossagenda/internal/testkit/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); errors.Is(err, errHelp) {
		return
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

type config struct {
	db              string
	data, scale     string
	seed            uint64
	addr            string
	timeout         time.Duration
	maxInflight     int
	admitWait       time.Duration
	maxWindow       time.Duration
	maxResults      int
	shutdownTimeout time.Duration
	quiet           bool
	calendarURLs    string
	calendarPoll    time.Duration
	calendarTimeout time.Duration
	tokens          string
	open            bool
	demoAgent       string
	corsOrigins     string
	metricsAddr     string
	bookingTxs      int
}

// errHelp is returned by run after -h printed the usage.
var errHelp = flag.ErrHelp

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: server (-data FILE | -scale NAME | -db URL) [flags]\n\n"+
			"Agents' agendas need an agent's bearer token (-tokens FILE). Without -tokens or -open, the server\n"+
			"mints a demo token for one agent (-demo-agent) and logs the page's address to open with it,\n"+
			"http://HOST:PORT/#token=...; with -db alone, only if -demo-agent is given.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	// Not the flag's default: -h would print the URL, password included.
	fs.StringVar(&c.db, "db", "", "PostgreSQL URL: durable bookings, several servers on one database (default $DATABASE_URL; -db \"\" for none)")
	fs.StringVar(&c.data, "data", "", "JSON dataset file")
	fs.StringVar(&c.scale, "scale", "", "generated dataset scale: small, departement or region")
	fs.Uint64Var(&c.seed, "seed", 1, "generator seed")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.DurationVar(&c.timeout, "timeout", httpapi.DefaultTimeout, "deadline of each query request")
	fs.IntVar(&c.maxInflight, "max-inflight", 2*runtime.GOMAXPROCS(0), "queries computed at once; more get 503")
	fs.DurationVar(&c.admitWait, "admit-wait", httpapi.DefaultAdmitWait, "longest wait for a query slot before 503 (negative: none)")
	fs.DurationVar(&c.maxWindow, "max-window", 93*24*time.Hour, "longest query window (agenda.Limits.MaxWindow)")
	fs.IntVar(&c.maxResults, "max-results", 50_000, "most slots or events one query returns (agenda.Limits.MaxResults)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log each request")
	fs.StringVar(&c.calendarURLs, "calendar-urls", "", `JSON file of external calendars to poll: [{"id", "agent_id", "url"}]`)
	fs.DurationVar(&c.calendarPoll, "calendar-poll", 5*time.Minute, "interval between two polls of the calendar URLs")
	fs.DurationVar(&c.calendarTimeout, "calendar-timeout", 10*time.Second, "deadline of one calendar fetch")
	fs.StringVar(&c.tokens, "tokens", "", `JSON file of agents' bearer tokens: {"TOKEN": {"agent_id": "a1", "organisation_ids": ["o1"]}}`)
	fs.BoolVar(&c.open, "open", false, "no access control: anyone may read any agenda and use the agent view (development on a trusted machine only)")
	fs.StringVar(&c.demoAgent, "demo-agent", "", "without -tokens or -open: the agent whose demo token is minted and logged with the address to open\n"+
		"(default: the agent with the most organisations). With -db alone no token is minted unless this\n"+
		"names the agent, since that database may hold real agendas and the log shows the token")
	fs.StringVar(&c.corsOrigins, "cors-origins", "", "comma-separated origins whose pages may call the API from a browser (CORS)")
	fs.IntVar(&c.bookingTxs, "booking-transactions", 0, "with -db: booking transactions in flight at once, the bookings meanwhile sharing the next\n"+
		"(pgstore.Config.BookingTransactions); 0: two while no other server writes to the same database schema, one while one does")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve GET /metrics on this address only, not on -addr (for example 127.0.0.1:9090,\n"+
		"out of the public's reach); default: on -addr, with the API")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// A bad value is an error, never quietly replaced by a default.
	switch {
	case c.maxInflight < 1:
		return c, fmt.Errorf("-max-inflight %d: need at least 1", c.maxInflight)
	case c.timeout <= 0:
		return c, fmt.Errorf("-timeout %s: need a positive duration", c.timeout)
	case c.maxWindow <= 0:
		return c, fmt.Errorf("-max-window %s: need a positive duration", c.maxWindow)
	case c.maxResults < 1:
		return c, fmt.Errorf("-max-results %d: need at least 1", c.maxResults)
	case c.shutdownTimeout < 0:
		return c, fmt.Errorf("-shutdown-timeout %s: need a duration of zero or more", c.shutdownTimeout)
	case c.bookingTxs < 0:
		return c, fmt.Errorf("-booking-transactions %d: need 0 (the default policy) or more", c.bookingTxs)
	case c.admitWait == 0:
		return c, errors.New("-admit-wait 0: give a positive wait, or a negative one to refuse at once")
	case c.calendarPoll <= 0:
		return c, fmt.Errorf("-calendar-poll %s: need a positive duration", c.calendarPoll)
	case c.calendarTimeout <= 0:
		return c, fmt.Errorf("-calendar-timeout %s: need a positive duration", c.calendarTimeout)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["db"] { // -db "" turns the environment's database off
		c.db = os.Getenv("DATABASE_URL")
	}
	// A flag that does not apply is an error, not silently ignored.
	for _, f := range []struct {
		name, with string
		applies    bool
	}{
		{"seed", "-scale", c.scale != ""},
		{"booking-transactions", "-db (or DATABASE_URL)", c.db != ""},
		{"calendar-poll", "-calendar-urls", c.calendarURLs != ""},
		{"calendar-timeout", "-calendar-urls", c.calendarURLs != ""},
	} {
		if set[f.name] && !f.applies {
			return c, fmt.Errorf("-%s applies only with %s", f.name, f.with)
		}
	}
	if c.open && c.tokens != "" {
		return c, errors.New("give -open or -tokens, not both")
	}
	if c.demoAgent != "" && (c.open || c.tokens != "") {
		return c, errors.New("-demo-agent mints a token when there is neither -tokens nor -open: give one or the other")
	}
	if c.db == "" && c.data == "" && c.scale == "" {
		return c, errors.New("give -data FILE, -scale NAME or -db URL (-h for help)")
	}
	return c, nil
}

// run serves until ctx is cancelled, then shuts down gracefully. ready, if
// not nil, is told the listening address once the server accepts
// connections.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(net.Addr)) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	access, err := readAccess(c)
	if err != nil {
		return err
	}
	metrics := httpapi.NewMetrics()
	limits := agenda.WithLimits(agenda.Limits{MaxWindow: c.maxWindow, MaxResults: c.maxResults})
	eng, storage, closeEngine, err := openEngine(ctx, c, limits, logger, metrics)
	if err != nil {
		return err
	}
	defer closeEngine()
	if access != nil {
		if err := access.Tokens.Check(eng.Snapshot()); err != nil {
			return fmt.Errorf("-tokens %s: %w", c.tokens, err)
		}
	}
	var demo httpapi.Identity
	var demoToken string
	if mintsDemoToken(c) {
		if demo, demoToken, err = mintDemoToken(access, eng.Snapshot(), c.demoAgent); err != nil {
			return err
		}
	}

	// Pushed changes: GET /agents/{id}/events streams the index's changes
	// to the open pages; Close ends the streams at shutdown.
	events := httpapi.NewEvents(eng, httpapi.EventsConfig{})
	cfg := httpapi.Config{Timeout: c.timeout, MaxInflight: c.maxInflight, AdmitWait: c.admitWait, Events: events,
		Storage: storage, Access: access}
	if c.calendarURLs != "" {
		ce, ok := eng.(httpapi.CalendarEngine)
		if !ok {
			return errors.New("-calendar-urls: this engine does not take external calendars")
		}
		f, err := os.Open(c.calendarURLs)
		if err != nil {
			return err
		}
		srcs, err := httpapi.ReadCalendarSources(f)
		f.Close()
		if err != nil {
			return err
		}
		cfg.Poller = httpapi.NewCalendarPoller(ce, srcs, httpapi.PollerConfig{
			Interval: c.calendarPoll, Timeout: c.calendarTimeout, Logger: logger})
		pctx, stopPolling := context.WithCancel(ctx)
		defer stopPolling()
		go cfg.Poller.Run(pctx)
		logger.Info("polling calendars", "sources", len(srcs), "interval", c.calendarPoll.String())
	}
	if !c.quiet {
		cfg.Logger = logger
	}
	if access == nil {
		logger.Warn("-open: no access control; anyone may read any agenda and use the agent view")
	} else {
		logger.Info("access control: the public books in the user view; agents authenticate with bearer tokens",
			"tokens", len(access.Tokens))
	}
	root := http.NewServeMux()
	api := httpapi.New(eng, cfg)
	if c.metricsAddr == "" {
		root.Handle("GET /metrics", metrics.Handler(api))
	} else {
		root.Handle("/metrics", http.NotFoundHandler()) // not even the API's own (calendar) gauges, whatever the method
	}
	root.Handle("/", metrics.Instrument(api))
	var origins []string
	for o := range strings.SplitSeq(c.corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	srv := &http.Server{
		Handler:           httpapi.CORS(origins, root),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// A query stops at its deadline; the rest is writing the response.
		WriteTimeout:   c.timeout + 10*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(events.Close)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "timeout", c.timeout.String(),
		"max_inflight", c.maxInflight, "max_window", c.maxWindow.String())
	if demoToken != "" {
		// The message is the line to act on; the token lives as long as
		// this process and reads what the agent may read.
		logger.Info("open "+pageAddress(ln.Addr(), demoToken), "demo_agent", demo.AgentID,
			"organisations", demo.OrganisationIDs,
			"note", "a demo token minted at start-up, in the address's fragment (never sent to a server); -tokens FILE for real ones")
	}
	if c.metricsAddr != "" {
		stopMetrics, err := serveMetrics(c.metricsAddr, metrics.Handler(api), logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stopMetrics()
	}
	if ready != nil {
		ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", c.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// serveMetrics serves GET /metrics alone on addr (-metrics-addr), until
// stop is called.
func serveMetrics(addr string, h http.Handler, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	logger.Info("serving metrics", "metrics_addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}

// engine is what the server serves: an in-memory Live, or a Store that
// keeps its data in PostgreSQL.
type engine interface {
	httpapi.Engine
	httpapi.Booker
	httpapi.Canceller
	httpapi.ChangeSource
	httpapi.Snapshotter
}

// Both engines say whose a record is, for the cancellation and hold routes.
var (
	_ httpapi.RecordOwner = liveEngine{}
	_ httpapi.RecordOwner = storeEngine{}
)

// liveEngine serves an in-memory Live.
type liveEngine struct{ *agenda.Live }

func (l liveEngine) CancelAppointment(_ context.Context, id string, status agenda.Status) error {
	return l.Live.CancelAppointment(id, status)
}

// storeEngine serves a Store. It is an [httpapi.Holder]: its ReleaseHold
// writes PostgreSQL, so it takes a context, which the Holder's does not;
// storeWriteTimeout bounds it instead.
type storeEngine struct{ *pgstore.Store }

const storeWriteTimeout = 10 * time.Second

func (s storeEngine) ReleaseHold(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), storeWriteTimeout)
	defer cancel()
	return s.Store.ReleaseHold(ctx, id)
}

// readAccess reads -tokens; nil with -open.
func readAccess(c config) (*httpapi.Access, error) {
	if c.open {
		return nil, nil
	}
	access := &httpapi.Access{}
	if c.tokens == "" {
		return access, nil // the public only
	}
	f, err := os.Open(c.tokens)
	if err != nil {
		return nil, fmt.Errorf("-tokens: %w", err)
	}
	defer f.Close()
	if access.Tokens, err = httpapi.ReadTokens(f); err != nil {
		return nil, fmt.Errorf("-tokens %s: %w", c.tokens, err)
	}
	return access, nil
}

// openEngine builds the index: from PostgreSQL with -db (importing -data
// or -scale first, into an empty database only), else in memory.
func openEngine(ctx context.Context, c config, limits agenda.Option, logger *slog.Logger, metrics *httpapi.Metrics) (engine, httpapi.Storage, func(), error) {
	t0 := time.Now()
	if c.db == "" {
		ds, err := gen.Load(c.data, c.scale, c.seed)
		if err != nil {
			return nil, httpapi.Storage{}, nil, err
		}
		// A Live index: queries read consistent snapshots while bookings
		// (POST /services/{id}/bookings) update it in place.
		live, err := agenda.NewLive(ds, limits)
		if err != nil {
			return nil, httpapi.Storage{}, nil, err
		}
		logger.Warn("index built in memory: bookings are not durable (they are lost when the server stops); run with -db for PostgreSQL",
			"agents", len(ds.Agents), "appointments", len(ds.Appointments), "duration_ms", time.Since(t0).Milliseconds())
		return liveEngine{live}, httpapi.Storage{Kind: "memory", Durable: false}, func() {}, nil
	}
	pool, err := pgxpool.New(ctx, c.db)
	if err != nil {
		return nil, httpapi.Storage{}, nil, fmt.Errorf("-db: %w", err)
	}
	fail := func(err error) (engine, httpapi.Storage, func(), error) {
		pool.Close()
		return nil, httpapi.Storage{}, nil, err
	}
	if err := pgstore.Migrate(ctx, pool); err != nil {
		return fail(err)
	}
	if c.data != "" || c.scale != "" {
		ds, err := gen.Load(c.data, c.scale, c.seed)
		if err != nil {
			return fail(err)
		}
		if err := pgstore.Import(ctx, pool, ds); err != nil {
			if errors.Is(err, pgstore.ErrNotEmpty) {
				err = fmt.Errorf("%w (to serve what the database holds, start without -data and -scale)", err)
			}
			return fail(err)
		}
		logger.Info("dataset imported into the database", "agents", len(ds.Agents), "appointments", len(ds.Appointments),
			"duration_ms", time.Since(t0).Milliseconds())
	}
	t1 := time.Now()
	store, err := pgstore.Open(ctx, pool, pgstore.Config{Options: []agenda.Option{limits}, Logger: logger, OnApply: metrics.Followed,
		BookingTransactions: c.bookingTxs})
	if err != nil {
		return fail(err)
	}
	metrics.CountFollower(func() httpapi.FollowerCounts {
		st := store.Stats()
		return httpapi.FollowerCounts{ApplyErrors: st.ApplyErrors, Reloads: st.Reloads, FollowErrors: st.FollowErrors, Rechecked: st.Rechecked,
			StaleCatalogue: st.StaleCatalogue}
	})
	logger.Info("index loaded from PostgreSQL: bookings are durable", "position", store.Position().String(),
		"duration_ms", time.Since(t1).Milliseconds())
	if len(store.Snapshot().Catalogue().Agents) == 0 {
		logger.Warn("the database holds no agent: there is nothing to serve; import a dataset with -data FILE or -scale NAME")
	}
	// The change log is needed only to catch up: keep a day of it. A
	// replica down for longer reloads when it comes back.
	pctx, stopPruning := context.WithCancel(context.Background())
	go func() {
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			select {
			case <-pctx.Done():
				return
			case <-tick.C:
				if n, err := pgstore.PruneChangeLog(pctx, pool, 24*time.Hour); err != nil {
					logger.Warn("pruning the change log", "err", err)
				} else if n > 0 {
					logger.Info("change log pruned", "changes", n)
				}
				// Expired holds block nothing; their rows go too.
				if n, err := store.PruneHolds(pctx, 10000); err != nil {
					logger.Warn("pruning expired holds", "err", err)
				} else if n > 0 {
					logger.Info("expired holds pruned", "holds", n)
				}
			}
		}
	}()
	return storeEngine{store}, httpapi.Storage{Kind: "postgresql", Durable: true}, func() { stopPruning(); store.Close(); pool.Close() }, nil
}
