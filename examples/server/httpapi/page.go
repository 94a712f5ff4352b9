package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
	"weak"

	"github.com/crossagenda/crossagenda/agenda"
	"github.com/crossagenda/crossagenda/examples/server/web"
)

// The agenda page: GET / serves index.html, GET /static/ the script, the
// stylesheet and the vendored FullCalendar, all embedded (package web).
// The page reads GET /catalogue once, then the agenda feed, the slots and
// the event stream of the agent it shows.

// catalogue is the body of GET /catalogue: what the page's pickers list,
// the server's clock and which optional routes the server has.
type catalogue struct {
	Now           time.Time          `json:"now"`
	Organisations []catalogueOrg     `json:"organisations"`
	Agents        []catalogueAgent   `json:"agents"`
	Services      []catalogueService `json:"services"`
	Places        []agenda.Place     `json:"places"`
	// Features names the optional routes served: "events", "bookings",
	// "holds", "explain".
	Features []string `json:"features"`
}

type catalogueOrg struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
}

type catalogueAgent struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	OrganisationIDs []string `json:"organisation_ids"`
	// TimeZone is the zone the page shows the agent's times in: that of
	// the agent's first organisation.
	TimeZone string `json:"time_zone"`
	// ServiceIDs are the services some opening period of the agent offers.
	ServiceIDs []string `json:"service_ids"`
}

type catalogueService struct {
	ID              string `json:"id"`
	OrganisationID  string `json:"organisation_id"`
	Name            string `json:"name"`
	DurationMinutes int    `json:"duration_minutes"`
	Collective      bool   `json:"collective"`
}

// cataloguer is an engine that lists what it knows: *agenda.Index does,
// and *agenda.Live and pgstore's Store through their snapshots.
type cataloguer interface{ Catalogue() *agenda.Catalogue }

type snapshotter interface{ Snapshot() *agenda.Index }

// buildCatalogue reads the engine's catalogue (e is an Engine, or a
// snapshot of one). O(catalogue and opening periods), no appointment
// read.
func buildCatalogue(e any) (*catalogue, error) {
	var ac *agenda.Catalogue
	switch x := e.(type) {
	case snapshotter:
		ac = x.Snapshot().Catalogue()
	case cataloguer:
		ac = x.Catalogue()
	default:
		return nil, fmt.Errorf("httpapi: the engine %T cannot list its organisations and agents for the page", e)
	}
	c := &catalogue{Places: ac.Places}
	zones := map[string]string{}
	for _, o := range ac.Organisations {
		z := cmp.Or(o.TimeZone, ac.TimeZone, "UTC")
		zones[o.ID] = z
		c.Organisations = append(c.Organisations, catalogueOrg{ID: o.ID, Name: o.Name, TimeZone: z})
	}
	for _, a := range ac.Agents {
		z := "UTC"
		if len(a.OrganisationIDs) > 0 {
			z = zones[a.OrganisationIDs[0]]
		}
		svc := ac.AgentServices[a.ID]
		if svc == nil {
			svc = []string{}
		}
		c.Agents = append(c.Agents, catalogueAgent{ID: a.ID, Name: a.Name, OrganisationIDs: a.OrganisationIDs,
			TimeZone: z, ServiceIDs: svc})
	}
	for _, s := range ac.Services {
		c.Services = append(c.Services, catalogueService{ID: s.ID, OrganisationID: s.OrganisationID, Name: s.Name,
			DurationMinutes: s.DurationMinutes, Collective: s.Collective})
	}
	if c.Places == nil {
		c.Places = []agenda.Place{}
	}
	return c, nil
}

// page registers the page's routes on mux. The catalogue is built at the
// first request, once every other route is registered, so that its
// features can be read off the mux.
func (s *server) page(mux *http.ServeMux) {
	index, err := fs.ReadFile(web.Files, "index.html")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(index)
	})
	files := http.StripPrefix("/static/", http.FileServerFS(web.Files))
	mux.Handle("GET /static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
	features := sync.OnceValue(func() []string {
		var out []string
		probe := func(method, path string) bool {
			_, pattern := mux.Handler(&http.Request{Method: method, URL: &url.URL{Path: path}, Host: "x"})
			return pattern != "" && pattern != "/"
		}
		for _, f := range []struct{ name, method, path string }{
			{"events", "GET", "/agents/x/events"},
			{"bookings", "POST", "/services/x/bookings"},
			{"holds", "POST", "/services/x/holds"},
			{"explain", "GET", "/services/x/explain"},
		} {
			if probe(f.method, f.path) {
				out = append(out, f.name)
			}
		}
		return out
	})
	cat := newCatalogueCache(s.eng, features)
	// Who is asking, for the page: whether the server has access control,
	// and the agent a bearer token names (none for the public).
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(struct {
			AccessControl bool `json:"access_control"`
			*Identity
		}{s.access != nil, identity(r)})
	})
	mux.HandleFunc("GET /catalogue", func(w http.ResponseWriter, r *http.Request) {
		c, err := cat.get()
		if err != nil {
			writeError(w, http.StatusNotImplemented, err.Error(), "")
			return
		}
		now := *c // the clock is the only part that changes
		now.Now = s.now()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(&now)
	})
}

// catalogueCache keeps the catalogue of the engine's current snapshot. A
// database's replica changes its catalogue when it reloads (someone
// changed an agent, say) and the services its agents offer with their
// opening periods: the catalogue is built again when the snapshot has
// changed, at most once every catalogueRefresh, so that a stream of
// bookings does not make every page load build it. An engine without
// snapshots has one catalogue.
type catalogueCache struct {
	eng      Engine
	features func() []string
	mu       sync.Mutex
	snap     weak.Pointer[agenda.Index] // weak: an index replaced by a reload may be large
	built    time.Time
	c        *catalogue
}

// catalogueRefresh bounds how stale the catalogue of a changing engine is.
const catalogueRefresh = time.Second

func newCatalogueCache(e Engine, features func() []string) *catalogueCache {
	return &catalogueCache{eng: e, features: features}
}

// get returns the catalogue, building it if there is none yet, or if the
// snapshot changed since it was built more than catalogueRefresh ago.
// O(catalogue and opening periods) when it builds, O(1) otherwise.
func (cc *catalogueCache) get() (*catalogue, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var snap *agenda.Index
	if sn, ok := cc.eng.(snapshotter); ok {
		snap = sn.Snapshot()
	}
	if cc.c != nil && (snap == cc.snap.Value() || time.Since(cc.built) < catalogueRefresh) {
		return cc.c, nil
	}
	var c *catalogue
	var err error
	if snap != nil {
		c, err = buildCatalogue(snap)
	} else {
		c, err = buildCatalogue(cc.eng)
	}
	if err != nil {
		return nil, err
	}
	c.Features = cc.features()
	cc.snap, cc.built, cc.c = weak.Make(snap), time.Now(), c
	return c, nil
}

// Holder is an Engine that holds slots before they are booked: *agenda.Live
// is one. With it, the handler serves POST /services/{id}/holds, POST
// /holds/{id}/confirm and DELETE /holds/{id}.
type Holder interface {
	Hold(ctx context.Context, b agenda.Booking, ttl time.Duration) (agenda.Appointment, error)
	Confirm(ctx context.Context, id string) (agenda.Appointment, error)
	ReleaseHold(id string) error
}

// Hold durations: the default and the longest a request may ask for.
const (
	DefaultHoldTTL = 5 * time.Minute
	MaxHoldTTL     = time.Hour
)

// holdExpirySlack is how long after a hold's expiry its streams are told,
// so that the engine's clock has passed it.
const holdExpirySlack = 100 * time.Millisecond

// holdRequest is the body of POST /services/{id}/holds: a booking request
// and, optionally, how long to hold.
type holdRequest struct {
	bookingRequest
	TTLSeconds int `json:"ttl_seconds"`
}

// holds registers the hold routes. With ev, a hold that expires is told
// to the agent's event streams when it does: an expiry changes no record,
// so nothing else would tell them. One timer per hold (at most
// MaxHoldTTL), none per subscriber; the engine's clock is assumed to be
// the server's.
func (s *server) holds(mux *http.ServeMux, h Holder, ev *Events) {
	mux.Handle("POST /services/{id}/holds", s.write(jsonBody, func(r *http.Request) (prepared, error) {
		var req holdRequest
		b, err := s.bookingFrom(r, &req, &req.bookingRequest)
		if err != nil {
			return nil, err
		}
		if s.access != nil && identity(r) == nil && len(b.ID) < MinPublicIDLength {
			// It could not confirm it (mayTouch), only block the slot.
			return nil, &errForbidden{fmt.Sprintf("hold %q: the public holds with an id of %d characters or more (random: it is the key to confirm or release the hold)", b.ID, MinPublicIDLength)}
		}
		ttl := DefaultHoldTTL
		if req.TTLSeconds != 0 {
			if req.TTLSeconds < 1 || req.TTLSeconds > int(MaxHoldTTL/time.Second) {
				return nil, &paramError{name: "ttl_seconds", msg: strconv.Itoa(req.TTLSeconds) + " is not between 1 and " +
					strconv.Itoa(int(MaxHoldTTL/time.Second))}
			}
			ttl = time.Duration(req.TTLSeconds) * time.Second
		}
		return func(ctx context.Context) (any, error) {
			a, err := h.Hold(ctx, b, ttl)
			err = s.forCaller(r, err)
			if err == nil && ev != nil {
				// One timer per hold id at a time: a repeated hold keeps
				// its first expiry, which the first timer tells.
				if _, timed := s.holdTimers.LoadOrStore(a.ID, struct{}{}); !timed {
					expired := agenda.Change{AgentIDs: slices.Clone(a.AgentIDs), From: a.Start, To: a.End}
					time.AfterFunc(ttl+holdExpirySlack, func() {
						s.holdTimers.Delete(a.ID)
						ev.Publish(expired)
					})
				}
			}
			return a, err
		}, nil
	}))
	mux.Handle("/services/{id}/holds", allowOnly("POST"))
	// Confirming and releasing read no body: nothing to declare JSON.
	mux.Handle("POST /holds/{id}/confirm", s.write(noBody, func(r *http.Request) (prepared, error) {
		id := r.PathValue("id")
		if err := s.mayTouch(r, "hold", id); err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			a, err := h.Confirm(ctx, id)
			return a, sameNotFound(err, "hold", id)
		}, nil
	}))
	mux.Handle("/holds/{id}/confirm", allowOnly("POST"))
	mux.Handle("DELETE /holds/{id}", s.write(noBody, func(r *http.Request) (prepared, error) {
		id := r.PathValue("id")
		if err := s.mayTouch(r, "hold", id); err != nil {
			return nil, err
		}
		return func(ctx context.Context) (any, error) {
			if err := h.ReleaseHold(id); err != nil {
				return nil, sameNotFound(err, "hold", id)
			}
			return map[string]string{"released": id}, nil
		}, nil
	}))
	mux.Handle("/holds/{id}", allowOnly("DELETE"))
}
