// The agenda page: one agent's agenda across all of their organisations,
// drawn by FullCalendar from the server's JSON feed, with a service's free
// slots on top. The page subscribes once to the agent's event stream
// (GET /agents/{id}/events) and, on each change, reloads only the days the
// change touches within the visible range, widened to whole drawn events
// (see coverDrawn): no polling. The stream has no Last-Event-ID: after a
// reconnection the page reloads the whole visible range.
//
// Times: the calendar runs in UTC mode and is given wall-clock times of the
// agent's zone (that of their first organisation), computed with Intl, so
// what it shows is that zone's local time whatever the browser's zone; the
// header names the zone.
'use strict';

(function () {
  const params = new URLSearchParams(location.search);
  const state = {
    cat: null, org: params.get('organisation') || '', agent: params.get('agent') || '',
    service: params.get('service') || '', zone: 'UTC', stream: null, features: new Set(), me: null,
    orgIndex: new Map(), services: new Map(), queue: Promise.resolve(),
  };
  // Test and debugging hooks: counters and the calendar.
  const page = window.agendaPage = { calendar: null, ready: false, subscribed: false, changes: 0, refreshes: 0, reconnects: 0, lastRefresh: null };
  const $ = (s) => document.querySelector(s);
  const enc = encodeURIComponent;
  const palette = ['#2563eb', '#db2777', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4d7c0f', '#9333ea', '#0f766e', '#059669']; // slots are green

  // wall returns the wall-clock time of an instant in zone, as
  // YYYY-MM-DDTHH:MM:SS (what the calendar, in UTC mode, shows as is).
  const formats = new Map();
  function wall(instant, zone) {
    let f = formats.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      formats.set(zone, f);
    }
    const p = {};
    for (const x of f.formatToParts(new Date(instant))) p[x.type] = x.value;
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  }
  // wallOf reads a calendar date (UTC mode) as a wall-clock string.
  const wallOf = (d) => d.toISOString().slice(0, 19);
  // instant converts a wall-clock time of zone to an RFC 3339 UTC instant.
  function instant(w, zone) {
    const guess = Date.parse(w + 'Z');
    let t = guess;
    for (let i = 0; i < 3; i++) t = guess - (Date.parse(wall(t, zone) + 'Z') - t);
    return new Date(t).toISOString().replace('.000Z', 'Z');
  }
  const hm = (w) => w.slice(11, 16);
  const nextDay = (d) => { const x = new Date(d + 'T00:00:00Z'); x.setUTCDate(x.getUTCDate() + 1); return x.toISOString().slice(0, 10); };

  // The agent's bearer token, kept for the tab's session only.
  const tokenKey = 'crossagenda-token';
  // A token in the address's fragment (#token=..., as the server logs it
  // when it mints a demo token) is kept like a pasted one, then removed
  // from the address bar; a fragment never reaches a server or its logs.
  {
    const frag = new URLSearchParams(location.hash.slice(1));
    const t = (frag.get('token') || '').trim();
    if (t) {
      sessionStorage.setItem(tokenKey, t);
      frag.delete('token');
      const rest = frag.toString();
      history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    }
  }
  function authHeaders() {
    const t = sessionStorage.getItem(tokenKey);
    return t ? { Authorization: 'Bearer ' + t } : {};
  }

  async function getJSON(url, opts = {}) {
    opts = Object.assign({}, opts, { headers: Object.assign(authHeaders(), opts.headers || {}) });
    if (opts.body) opts.headers['Content-Type'] = 'application/json'; // writes are JSON only
    const r = await fetch(url, opts);
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const err = new Error((body && body.error) || `${r.status} ${r.statusText}`);
      err.status = r.status;
      err.body = body;
      throw err;
    }
    return body;
  }

  // orgColor gives the agent's organisations distinct colours (by their
  // place in the agent's list), and others one by their place overall.
  function orgColor(id) {
    const a = state.cat && state.cat.agents.find((x) => x.id === state.agent);
    let i = a ? a.organisation_ids.indexOf(id) : -1;
    if (i < 0) i = state.orgIndex.get(id);
    return i === undefined ? '#64748b' : palette[i % palette.length];
  }

  // The agenda feed of the current agent over [from, to) (wall times).
  async function fetchAgenda(from, to) {
    const q = new URLSearchParams({ start: from, end: to, timeZone: state.zone });
    if (state.org) q.set('organisation', state.org);
    const events = await getJSON(`/agents/${enc(state.agent)}/agenda?${q}`);
    return events.map(toCalendarEvent);
  }

  function toCalendarEvent(e) {
    const p = e.extendedProps;
    const kind = p.kind;
    // Events shown without their record's id are numbered by position in
    // one response: the start keeps them apart across partial reloads.
    const id = e.id.includes('::') ? `${e.id}@${e.start}` : e.id;
    const ev = { id, title: e.title, start: wall(e.start, state.zone), end: wall(e.end, state.zone),
      classNames: ['k-' + kind], extendedProps: Object.assign({ feedId: e.id }, p) };
    switch (kind) {
      case 'opening':
        ev.display = 'background';
        ev.backgroundColor = orgColor(p.organisation_id);
        ev.title = orgName(p.organisation_id) + (p.place_id ? ' / ' + p.place_id : '');
        break;
      case 'free':
        ev.display = 'background';
        break;
      case 'appointment':
        ev.backgroundColor = ev.borderColor = p.organisation_id ? orgColor(p.organisation_id) : '#475569';
        if (p.status === 'excused' || p.status === 'revoked') ev.classNames.push('cancelled');
        if (p.organisation_id) ev.title += ' · ' + orgName(p.organisation_id);
        break;
    }
    return ev;
  }

  function orgName(id) {
    const o = state.cat && state.cat.organisations.find((x) => x.id === id);
    return o ? (o.name || o.id) : id;
  }

  // The free slots of the picked service for the agent, starting in
  // [from, to) (wall times).
  async function fetchSlots(from, to) {
    if (!state.service) return [];
    const q = new URLSearchParams({ from, to, timeZone: state.zone, agent: state.agent, view: 'agent' });
    const slots = await getJSON(`/services/${enc(state.service)}/slots?${q}`);
    return slots.map((s) => ({
      id: `slot:${s.place_id}:${Date.parse(s.start) / 1000}`, title: 'Free slot' + (s.seats_left ? ` (${s.seats_left} seats)` : ''),
      start: wall(s.start, state.zone), end: wall(s.end, state.zone), classNames: ['k-slot'],
      extendedProps: { kind: 'slot', start: s.start, end: s.end, place_id: s.place_id, service_id: s.service_id,
        appointment_id: s.appointment_id || '' },
    }));
  }

  function source(id, fetcher) {
    return {
      id, events(info, ok, fail) {
        fetcher(wallOf(info.start), wallOf(info.end)).then(ok, (err) => { showError(err); fail(err); });
      },
    };
  }

  // refresh reloads the agenda and the slots over [from, to) (wall times,
  // whole days), widened by coverDrawn, and replaces what the calendar
  // shows there. Refreshes run one at a time.
  function refresh(from, to) {
    state.queue = state.queue.then(() => refreshNow(from, to)).catch(showError);
    return state.queue;
  }

  const dayStart = (w) => w.slice(0, 10) + 'T00:00:00';
  const dayEnd = (w) => (w.slice(11) === '00:00:00' ? w : nextDay(w.slice(0, 10)) + 'T00:00:00');

  // coverDrawn widens [from, to) (whole days, clamped to the visible range
  // [vs, ve)) by whole days until it covers every drawn event, slots
  // included, that intersects it and every free span that touches it.
  // Why: the feed clips free time to the range asked for, so reloading day
  // D alone would cut a free span crossing midnight (or leave one ending at
  // D's midnight unmerged with new free time of D). Outside the change
  // nothing moves, so once no drawn event crosses the range's ends the
  // feed of the range is exactly the full feed's events intersecting it:
  // replacing those keeps what is drawn equal to a full fetch of the
  // visible range, one for one. At worst (a span across every midnight)
  // it is the visible range. Cost: a pass over the drawn events per step.
  function coverDrawn(cal, from, to, vs, ve) {
    const clamp = (f, t) => [f < vs ? vs : f, t > ve ? ve : t];
    [from, to] = clamp(from, to);
    if (from >= to) return [from, to]; // not in view
    for (;;) {
      let f = from, t = to;
      for (const e of cal.getEvents()) {
        const s = wallOf(e.start), en = e.end ? wallOf(e.end) : s;
        const touches = e.extendedProps.kind === 'free' && (en === from || s === to);
        if ((s < to && en > from) || touches) {
          if (s < f) f = s;
          if (en > t) t = en;
        }
      }
      [f, t] = clamp(dayStart(f), dayEnd(t));
      if (f === from && t === to) return [from, to];
      from = f;
      to = t;
    }
  }

  async function refreshNow(from, to) {
    const cal = page.calendar;
    const view = cal.view;
    const vs = wallOf(view.activeStart), ve = wallOf(view.activeEnd);
    [from, to] = coverDrawn(cal, from, to, vs, ve);
    if (from >= to) return;
    const [agendaEvents, slotEvents] = await Promise.all([fetchAgenda(from, to), fetchSlots(from, to)]);
    if (cal.view !== view || wallOf(cal.view.activeStart) !== vs) return; // navigated meanwhile: already reloaded
    cal.batchRendering(() => {
      // Exactly what the feeds of [from, to) return again: the agenda's
      // events intersecting it, the slots starting in it.
      for (const e of cal.getEvents()) {
        const src = e.source && e.source.id;
        const s = wallOf(e.start), en = e.end ? wallOf(e.end) : s;
        if ((src === 'agenda' && s < to && en > from) || (src === 'slots' && s >= from && s < to)) e.remove();
      }
      for (const x of agendaEvents) cal.addEvent(x, 'agenda');
      for (const x of slotEvents) cal.addEvent(x, 'slots');
    });
    page.refreshes++;
    page.lastRefresh = { from, to };
  }

  // onChange reloads the whole days a change touches, if any is visible.
  function onChange(c) {
    page.changes++;
    const view = page.calendar.view;
    let from = c.from ? wall(c.from, state.zone) : wallOf(view.activeStart);
    let to = c.to ? wall(c.to, state.zone) : wallOf(view.activeEnd);
    from = from.slice(0, 10) + 'T00:00:00';
    to = to.slice(11) === '00:00:00' ? to : nextDay(to.slice(0, 10)) + 'T00:00:00';
    refresh(from, to);
  }

  // subscribe opens the agent's event stream; with stale, the first
  // "ready" reloads what is shown (changes may have been missed). The
  // stream is read with fetch rather than EventSource, which cannot send
  // the bearer token; it reconnects after 2 s when cut (5 s after a server
  // shutdown), then reloads what is shown.
  function subscribe(stale = false) {
    if (state.stream) state.stream.abort();
    page.subscribed = false;
    setLive(false);
    if (!state.features.has('events') || !state.agent) return;
    const ctl = state.stream = new AbortController();
    const agent = state.agent;
    let first = !stale;
    const dispatch = (event, data) => {
      if (event === 'ready') {
        // Changes sent while disconnected are lost (no Last-Event-ID):
        // reload the whole visible range, queued behind any reload.
        if (!first) {
          const v = page.calendar.view;
          page.reconnects++;
          refresh(wallOf(v.activeStart), wallOf(v.activeEnd));
        }
        first = false;
        page.subscribed = true;
        setLive(true);
      } else if (event === 'change') {
        onChange(JSON.parse(data));
      } else if (event === 'shutdown') {
        return 5000;
      }
      return 0;
    };
    (async () => {
      let wait = 2000;
      try {
        const r = await fetch(`/agents/${enc(agent)}/events`, { headers: authHeaders(), signal: ctl.signal });
        if (!r.ok) {
          const body = await r.json().catch(() => null);
          throw Object.assign(new Error((body && body.error) || `${r.status} ${r.statusText}`), { status: r.status });
        }
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '', event = '', data = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line === '') {
              if (event) wait = dispatch(event, data) || wait;
              event = data = '';
            } else if (line.startsWith('event: ')) {
              event = line.slice(7);
            } else if (line.startsWith('data: ')) {
              data = line.slice(6);
            }
          }
        }
      } catch (err) {
        if (ctl.signal.aborted) return;
        if (err.status === 401 || err.status === 403) { showError(err); setLive(false); return; }
      }
      if (ctl.signal.aborted) return;
      setLive(false);
      page.subscribed = false;
      setTimeout(() => { if (state.stream === ctl) subscribe(true); }, wait);
    })();
  }

  function setLive(on) {
    const el = $('#live');
    el.textContent = on ? '● live' : '○ offline';
    el.classList.toggle('on', on);
  }

  function panel(html) { $('#panel').innerHTML = html; }
  function esc(s) { return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c])); }
  function showError(err) {
    panel(`<p class="error">${esc(err.message || err)}</p>` + reasonsHTML(err.body));
  }
  function reasonsHTML(body) {
    const reasons = body && (body.reasons || (body.explanation && body.explanation.reasons));
    if (!reasons || !reasons.length) return '';
    return '<ul>' + reasons.map((r) => `<li>${esc(describeReason(r))}</li>`).join('') + '</ul>';
  }
  // Words for the reasons whose kind alone says little (agenda.ReasonKind).
  const reasonWords = {
    service_not_offered: 'no opening of this agent offers the service',
    place_not_offered: 'no opening of this agent offers the service at this place',
    outside_opening: 'outside the openings of the service',
    off_grid: 'free, but slots do not start here',
    min_notice: 'too soon (minimum notice)',
    max_notice: 'too far ahead (maximum notice)',
    daily_cap: 'the day is full (daily cap)',
  };
  function describeReason(r) {
    let s = reasonWords[r.kind] || r.kind.replace(/_/g, ' ');
    if (r.record_id) s += ` ${r.record_id}`;
    if (r.organisation_id) s += ` of ${orgName(r.organisation_id)}`;
    if (r.name) s += ` (${r.name})`;
    if (r.start && r.end) s += `, ${hm(wall(r.start, state.zone))}–${hm(wall(r.end, state.zone))}`;
    return s;
  }

  // Clicking a slot holds it, then asks to confirm (or books it at once
  // where the server has no holds).
  async function onEventClick(info) {
    const e = info.event, p = e.extendedProps;
    if (p.kind !== 'slot') {
      panel(`<h3>${esc(e.title)}</h3><p>${esc(wallOf(e.start).replace('T', ' '))} – ${esc(hm(wallOf(e.end)))} (${esc(state.zone)})</p>` +
        (p.record_id ? `<p>record ${esc(p.record_id)}</p>` : '') +
        (p.organisation_id ? `<p>${esc(orgName(p.organisation_id))}</p>` : ''));
      return;
    }
    const id = p.appointment_id || `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const req = { id, agent_id: state.agent, place_id: p.place_id, start: p.start, view: 'agent' };
    const when = `${wallOf(e.start).replace('T', ' ').slice(0, 16)}–${hm(wallOf(e.end))} (${state.zone})`;
    const svc = state.services.get(state.service);
    try {
      if (state.features.has('holds') && !(svc && svc.collective)) {
        await getJSON(`/services/${enc(state.service)}/holds`, { method: 'POST', body: JSON.stringify(req) });
        panel(`<h3>Held ${esc(when)}</h3><p>Confirm within 5 minutes.</p>` +
          `<button id="confirm">Confirm booking</button><button id="release">Release</button>`);
        $('#confirm').onclick = () => settle(`/holds/${enc(id)}/confirm`, 'POST', `Booked ${when}`);
        $('#release').onclick = () => settle(`/holds/${enc(id)}`, 'DELETE', `Released ${when}`);
      } else {
        await getJSON(`/services/${enc(state.service)}/bookings`, { method: 'POST', body: JSON.stringify(req) });
        panel(`<h3>Booked ${esc(when)}</h3><p>appointment ${esc(id)}</p>`);
      }
      refreshAround(e.start, e.end);
    } catch (err) {
      showError(err);
      refreshAround(e.start, e.end);
    }
  }

  async function settle(url, method, done) {
    try {
      const a = await getJSON(url, { method });
      panel(`<h3>${esc(done)}</h3>` + (a && a.id ? `<p>appointment ${esc(a.id)}</p>` : ''));
    } catch (err) {
      showError(err);
    }
  }

  // refreshAround reloads the day(s) of [start, end), at once, for the
  // user's own action (the event stream will say so too, a moment later).
  function refreshAround(start, end) {
    const s = wallOf(start).slice(0, 10) + 'T00:00:00';
    const en = wallOf(end || start);
    refresh(s, (en.slice(11) === '00:00:00' ? en.slice(0, 10) : nextDay(en.slice(0, 10))) + 'T00:00:00');
  }

  // Clicking a time that is not a slot says why it is not free: through
  // the server's explanation when it has one, else from what is drawn.
  async function onDateClick(info) {
    if (!state.service) return;
    const svc = state.services.get(state.service);
    const start = wallOf(info.date);
    const end = wallOf(new Date(info.date.getTime() + (svc ? svc.duration_minutes : 30) * 60000));
    const at = instant(start, state.zone);
    const openings = page.calendar.getEvents().filter((e) => e.extendedProps.kind === 'opening' &&
      wallOf(e.start) <= start && wallOf(e.end) >= end && (e.extendedProps.service_ids || []).includes(state.service));
    // The place of the opening under the click, else of any opening of the
    // service in view (so that a time outside openings reads as such).
    const anyOpening = page.calendar.getEvents().find((e) => e.extendedProps.kind === 'opening' &&
      (e.extendedProps.service_ids || []).includes(state.service));
    const place = openings.length ? openings[0].extendedProps.place_id : anyOpening ? anyOpening.extendedProps.place_id : '';
    const title = `<h3>${esc(start.replace('T', ' ').slice(0, 16))} (${esc(state.zone)})</h3>`;
    if (state.features.has('explain')) {
      const q = new URLSearchParams({ agent: state.agent, place, start: at, view: 'agent' });
      if (state.org) q.set('organisation', state.org);
      try {
        const x = await getJSON(`/services/${enc(state.service)}/explain?${q}`);
        const near = [x.before && `before: ${hm(wall(x.before, state.zone))} ${wall(x.before, state.zone).slice(0, 10)}`,
          x.after && `after: ${hm(wall(x.after, state.zone))} ${wall(x.after, state.zone).slice(0, 10)}`].filter(Boolean);
        panel(title + (x.bookable ? '<p>This start is bookable.</p>' : '<p>Not bookable:</p>' + reasonsHTML(x)) +
          (near.length ? `<p>Nearest bookable starts: ${esc(near.join(', '))}</p>` : ''));
      } catch (err) {
        showError(err);
      }
      return;
    }
    const busy = page.calendar.getEvents().filter((e) => ['appointment', 'absence', 'closed', 'hold'].includes(e.extendedProps.kind) &&
      !(e.classNames || []).includes('cancelled') && wallOf(e.start) < end && wallOf(e.end) > start);
    const why = busy.map((e) => `${e.title}, ${hm(wallOf(e.start))}–${hm(wallOf(e.end))}`);
    if (!openings.length) why.push(`no opening of ${svc ? (svc.name || svc.id) : state.service} covers ${hm(start)}–${hm(end)}`);
    if (!why.length) why.push('free, but slots do not start here (slot grid or notice rules)');
    panel(title + '<p>Not a free slot:</p><ul>' + why.map((w) => `<li>${esc(w)}</li>`).join('') + '</ul>');
  }

  function fillSelect(sel, items, value, first) {
    sel.innerHTML = '';
    if (first) sel.append(new Option(first, ''));
    for (const [v, label] of items) sel.append(new Option(label, v));
    sel.value = value;
  }

  function agentsFor(org) {
    return state.cat.agents.filter((a) => !org || a.organisation_ids.includes(org));
  }

  function fillAgent() {
    const agents = agentsFor(state.org);
    if (!agents.some((a) => a.id === state.agent)) state.agent = agents.length ? agents[0].id : '';
    fillSelect($('#agent'), agents.map((a) => [a.id, `${a.name || a.id} (${a.id})`]), state.agent);
  }

  function fillService() {
    const a = state.cat.agents.find((x) => x.id === state.agent);
    const ids = a ? a.service_ids : [];
    if (!ids.includes(state.service)) state.service = '';
    fillSelect($('#service'), ids.map((id) => {
      const s = state.services.get(id);
      return [id, s ? `${s.name || s.id} (${s.duration_minutes} min)` : id];
    }), state.service, 'none');
  }

  function fillLegend() {
    const a = state.cat.agents.find((x) => x.id === state.agent);
    const orgs = a ? a.organisation_ids : [];
    $('#legend').innerHTML = '<h3>Organisations of the agent</h3>' + orgs.map((o) =>
      `<div><i style="background:${orgColor(o)}"></i>${esc(orgName(o))}</div>`).join('') +
      '<div><i style="background:#bbf7d0"></i>free time</div><div><i style="background:#ecfdf5;border:1px dashed #059669"></i>free slot</div>' +
      '<div><i style="background:#6b7280"></i>absence</div><div><i style="background:#fecaca"></i>closed day</div>' +
      '<div><i style="background:#fef3c7"></i>hold</div>';
  }

  function showAgent(refetch = true) {
    const a = state.cat.agents.find((x) => x.id === state.agent);
    state.zone = a ? a.time_zone : 'UTC';
    $('#zone').textContent = `Times in ${state.zone}`;
    fillService();
    fillLegend();
    const q = new URLSearchParams(location.search);
    q.set('agent', state.agent);
    state.org ? q.set('organisation', state.org) : q.delete('organisation');
    state.service ? q.set('service', state.service) : q.delete('service');
    history.replaceState(null, '', '?' + q);
    if (refetch) page.calendar.refetchEvents();
    subscribe();
  }

  async function start() {
    const cat = state.cat = await getJSON('/catalogue');
    state.features = new Set(cat.features || []);
    // Natural order: a2 before a10.
    const natural = new Intl.Collator(undefined, { numeric: true });
    for (const list of [cat.organisations, cat.agents, cat.services]) list.sort((x, y) => natural.compare(x.id, y.id));
    cat.organisations.forEach((o, i) => state.orgIndex.set(o.id, i));
    for (const s of cat.services) state.services.set(s.id, s);
    // Who is asking: with access control, an agent with a token reads the
    // agendas of their organisations' agents, on behalf of one of them;
    // without a token, no agenda at all.
    const me = state.me = await getJSON('/whoami');
    $('#token').onchange = (ev) => {
      ev.target.value ? sessionStorage.setItem(tokenKey, ev.target.value.trim()) : sessionStorage.removeItem(tokenKey);
      location.reload();
    };
    $('#token-box').hidden = !me.access_control;
    if (me.access_control && !me.agent_id) {
      panel('<h3>Sign in</h3><p>This server has access control: agents\' agendas need the bearer token of an agent ' +
        '(server flag <code>-tokens FILE</code>). Paste yours in the header. Started without <code>-tokens</code>, ' +
        'the server logs an address with a demo token (<code>open http://…/#token=…</code>): open that one.</p>');
      return;
    }
    let orgs = cat.organisations;
    if (me.access_control) {
      orgs = orgs.filter((o) => me.organisation_ids.includes(o.id));
      if (!me.organisation_ids.includes(state.org)) state.org = me.organisation_ids[0];
      if (!state.agent) state.agent = me.agent_id; // one's own agenda first
      $('#token').placeholder = `signed in as ${me.agent_id}`;
    }
    fillSelect($('#org'), orgs.map((o) => [o.id, o.name || o.id]), state.org, me.access_control ? null : 'all (every record)');
    fillAgent();
    const a = cat.agents.find((x) => x.id === state.agent);
    state.zone = a ? a.time_zone : 'UTC';
    const cal = page.calendar = new FullCalendar.Calendar($('#calendar'), {
      timeZone: 'UTC', // wall-clock times of state.zone, see wall()
      initialView: params.get('view') || 'timeGridWeek',
      initialDate: params.get('date') || wall(cat.now, state.zone).slice(0, 10),
      headerToolbar: { left: 'prev,next today', center: 'title', right: 'timeGridDay,timeGridWeek,dayGridMonth' },
      firstDay: 1, allDaySlot: false, nowIndicator: false, scrollTime: '07:30:00', height: 'calc(100vh - 80px)',
      slotEventOverlap: false, eventDisplay: 'block', displayEventEnd: true,
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      eventSources: [source('agenda', fetchAgenda), source('slots', fetchSlots)],
      eventClick: onEventClick,
      dateClick: onDateClick,
      eventDidMount(arg) {
        arg.el.dataset.eventId = arg.event.id;
        arg.el.title = arg.event.title;
      },
      loading(busy) { if (!busy) page.ready = true; },
    });
    cal.render();
    $('#org').onchange = (ev) => { state.org = ev.target.value; fillAgent(); showAgent(); };
    $('#agent').onchange = (ev) => { state.agent = ev.target.value; showAgent(); };
    $('#service').onchange = (ev) => { state.service = ev.target.value; showAgent(); };
    showAgent(false); // render() fetched already
  }

  start().catch(showError);
})();
