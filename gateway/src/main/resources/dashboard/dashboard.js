'use strict';
// The live dashboard: a snapshot, then Server-Sent Events. Text is only ever set with textContent (never innerHTML),
// so nothing a node, job or run carries can inject markup.
//
// Built for fleets of tens of thousands of nodes: every node is kept in memory, but the page's DOM stays the same
// size whatever the fleet — counts per region and state, a paged node list (search or a clicked count), bounded
// "needs attention" lists, and a map drawn on one canvas. Changes are applied to memory at once and drawn once per
// animation frame.
(function () {
  const STATES = ['UP', 'SUSPECT', 'DEGRADED', 'DOWN', 'UNKNOWN'];
  const COLORS = { UP: '#2e7d32', SUSPECT: '#f9a825', DEGRADED: '#ef6c00', DOWN: '#c62828', UNKNOWN: '#78909c' };
  const PAGE = 50;
  const LISTED = 20;
  const FLAPPING = 3;
  const RECENT = 50;
  const state = { nodes: new Map(), runs: new Map(), paths: new Map(), actions: new Map(), digest: null, latency: null,
    health: null };
  /** Consumer lag worth an operator's look (records behind). */
  const LAG_ATTENTION = 1000;
  const view = { region: null, status: null, query: '', page: 0 };
  const $ = (id) => document.getElementById(id);
  let dirty = new Set();
  let drawScheduled = false;
  let firstRendered = false;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'dataset') { Object.assign(e.dataset, v); } else { e.setAttribute(k, v); }
    }
    for (const c of children) { e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))); }
    return e;
  }
  const time = (ms) => (ms == null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

  function schedule(...parts) {
    parts.forEach((p) => dirty.add(p));
    if (!drawScheduled) {
      drawScheduled = true;
      requestAnimationFrame(draw);
    }
  }

  function draw() {
    drawScheduled = false;
    const parts = dirty;
    dirty = new Set();
    if (parts.has('fleet')) { renderOverview(); renderAttentionNodes(); renderNodeList(); }
    if (parts.has('runs')) { renderRuns(); }
    if (parts.has('digest')) { renderAttentionRuns(); renderOutcomeChart(); }
    if (parts.has('paths')) { renderHeatmap(); }
    if (parts.has('latency')) { renderLatencyChart(); }
    if (parts.has('actions')) { renderActions(); }
    if (parts.has('health')) { renderAttentionBus(); }
    if (!firstRendered && parts.has('fleet')) {
      firstRendered = true;
      // What the browser test reads as first render: navigation start to the overview drawn from the snapshot.
      document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
    }
    if (parts.has('markers')) {
      // After the overview is on screen: ten thousand markers must not hold back the first render.
      setTimeout(drawMarkers, 0);
    }
  }

  // ---- fleet overview -------------------------------------------------------------------------------------------
  function counts() {
    const byRegion = new Map();
    const total = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const n of state.nodes.values()) {
      if (!byRegion.has(n.region)) { byRegion.set(n.region, Object.fromEntries(STATES.map((s) => [s, 0]))); }
      const s = STATES.includes(n.state) ? n.state : 'UNKNOWN';
      byRegion.get(n.region)[s]++;
      total[s]++;
    }
    return { byRegion, total };
  }

  function countCell(region, status, count) {
    const button = el('button', { type: 'button', class: count > 0 ? 'nonzero' : '' }, count);
    button.addEventListener('click', () => { drill(region, status); });
    return el('td', { dataset: { state: status || 'ALL' } }, button);
  }

  function renderOverview() {
    const { byRegion, total } = counts();
    const body = $('overview').tBodies[0];
    body.replaceChildren(...[...byRegion.keys()].sort().map((region) => {
      const c = byRegion.get(region);
      const sum = STATES.reduce((a, s) => a + c[s], 0);
      const row = el('tr', { dataset: { region } }, el('td', {}, region),
        ...STATES.map((s) => countCell(region, s, c[s])), countCell(region, null, sum));
      if (view.region === region) { row.classList.add('selected'); }
      return row;
    }));
    const all = STATES.reduce((a, s) => a + total[s], 0);
    $('overview').tFoot.replaceChildren(el('tr', { dataset: { region: '*' } }, el('td', {}, 'all regions'),
      ...STATES.map((s) => countCell(null, s, total[s])), countCell(null, null, all)));
    $('fleet-summary').textContent = all + ' nodes · ' + STATES.filter((s) => total[s] > 0)
      .map((s) => total[s] + ' ' + s).join(' · ');
  }

  function drill(region, status) {
    view.region = region; view.status = status; view.page = 0;
    $('search').value = ''; view.query = '';
    renderOverview(); renderNodeList();
  }

  // ---- node list: a page of the nodes matching the clicked count or the search ------------------------------------
  function matches(n) {
    if (view.region && n.region !== view.region) { return false; }
    if (view.status && n.state !== view.status) { return false; }
    if (!view.query) { return true; }
    const q = view.query;
    return n.id.toLowerCase().includes(q) || (n.name || '').toLowerCase().includes(q)
      || (n.tags || []).some((t) => t.toLowerCase().includes(q));
  }

  function renderNodeList() {
    const selected = [];
    for (const n of state.nodes.values()) { if (matches(n)) { selected.push(n); } }
    selected.sort((a, b) => a.id.localeCompare(b.id));
    const pages = Math.max(1, Math.ceil(selected.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const shown = selected.slice(view.page * PAGE, (view.page + 1) * PAGE);
    $('node-list').tBodies[0].replaceChildren(...shown.map((n) => el('tr', { class: 'node', dataset: { nodeId: n.id, state: n.state } },
      el('td', { title: n.name || '' }, n.id), el('td', {}, n.region), el('td', { class: 'state' }, n.state),
      el('td', {}, time(n.since)), el('td', {}, n.flapCount || ''), el('td', {}, (n.tags || []).join(', ')))));
    const filter = [view.region ? 'region ' + view.region : 'all regions', view.status || 'any state',
      view.query ? 'matching “' + view.query + '”' : ''].filter(Boolean).join(' · ');
    $('node-filter').textContent = filter;
    $('page-info').textContent = selected.length === 0 ? 'no nodes'
      : (view.page * PAGE + 1) + '–' + (view.page * PAGE + shown.length) + ' of ' + selected.length;
    $('prev-page').disabled = view.page === 0;
    $('next-page').disabled = view.page >= pages - 1;
  }

  // ---- needs attention ------------------------------------------------------------------------------------------
  function bounded(list, items, make) {
    const shown = items.slice(0, LISTED).map(make);
    if (items.length > LISTED) { shown.push(el('li', { class: 'more' }, '+' + (items.length - LISTED) + ' more')); }
    list.replaceChildren(...shown);
  }

  function renderAttentionNodes() {
    const down = [];
    const flapping = [];
    for (const n of state.nodes.values()) {
      if (n.state === 'DOWN') { down.push(n); }
      if ((n.flapCount || 0) >= FLAPPING) { flapping.push(n); }
    }
    down.sort((a, b) => (b.since || 0) - (a.since || 0)); // the newest outage first
    flapping.sort((a, b) => b.flapCount - a.flapCount);
    const nodeItem = (detail) => (n) => el('li', { class: 'node', dataset: { nodeId: n.id, state: n.state } }, n.id,
      el('span', { class: 'detail' }, detail(n)));
    bounded($('attention-down'), down, nodeItem((n) => n.region + ' since ' + time(n.since)));
    bounded($('attention-flapping'), flapping, nodeItem((n) => n.flapCount + ' flaps, ' + n.state));
    $('attention-down-count').textContent = String(down.length);
    $('attention-flapping-count').textContent = String(flapping.length);
    renderAttentionSummary();
  }

  function renderAttentionRuns() {
    const d = state.digest;
    if (!d) { return; }
    const runItem = (r) => el('li', { dataset: { runId: r.id } }, r.jobId + ' on ' + r.nodeId,
      el('span', { class: 'detail' }, r.status + (r.message ? ': ' + r.message : '') + ' (' + time(r.scheduledAt) + ')'));
    bounded($('attention-failed'), d.recentFailures, runItem);
    bounded($('attention-overdue'), d.overdue, runItem);
    $('attention-failed-count').textContent = String(d.recentFailures.length);
    $('attention-overdue-count').textContent = String(d.overdue.length);
    renderAttentionSummary();
  }

  function renderAttentionBus() {
    const h = state.health;
    if (!h || !h.measured) { return; }
    const items = [];
    for (const [topic, count] of Object.entries(h.deadLetters)) {
      if (count > 0) { items.push(el('li', { dataset: { topic } }, topic, el('span', { class: 'detail' }, count + ' dead letter(s)'))); }
    }
    for (const [group, lag] of Object.entries(h.lag)) {
      if (lag >= LAG_ATTENTION) { items.push(el('li', { dataset: { group } }, group, el('span', { class: 'detail' }, lag + ' records behind'))); }
    }
    for (const problem of h.problems) { items.push(el('li', { class: 'more' }, problem)); }
    $('attention-bus').replaceChildren(...items);
    $('attention-bus-count').textContent = String(items.length);
    renderAttentionSummary();
  }

  function renderAttentionSummary() {
    const parts = ['down', 'flapping', 'failed', 'overdue', 'bus'].map((k) => Number($('attention-' + k + '-count').textContent || 0));
    const total = parts.reduce((a, b) => a + b, 0);
    $('attention-summary').textContent = total === 0 ? 'all clear' : total + ' item(s)';
  }

  // ---- map: every node with coordinates, coloured by liveness, on one canvas -------------------------------------
  let map = null;
  const markers = new Map();

  function initMap() {
    if (typeof L === 'undefined') { $('map-note').textContent = 'map library missing'; return; }
    map = L.map('map', { preferCanvas: true, worldCopyJump: true, attributionControl: false, minZoom: 1 })
      .setView([25, 10], 1);
    fetch('/vendor/land-110m.json').then((r) => r.json()).then((topology) => {
      const land = topojson.feature(topology, topology.objects.land);
      L.geoJSON(land, { interactive: false, style: { color: '#8d99ae', weight: 1, fillColor: '#eef0f3', fillOpacity: 1 } })
        .addTo(map).bringToBack();
    });
  }

  function placeMarker(n) {
    if (!map) { return; }
    const existing = markers.get(n.id);
    if (n.deleted || n.lat == null || n.lon == null) {
      if (existing) { existing.remove(); markers.delete(n.id); }
      return;
    }
    const style = { radius: n.state === 'DOWN' ? 4 : 3, stroke: false, fillOpacity: 0.85, fillColor: COLORS[n.state] || COLORS.UNKNOWN };
    if (existing) {
      existing.setLatLng([n.lat, n.lon]); existing.setStyle(style);
    } else {
      // An element, not a string: Leaflet would set a string as HTML.
      const m = L.circleMarker([n.lat, n.lon], style).bindTooltip(() => el('span', {}, n.id + ' · '
        + (state.nodes.get(n.id) || n).state));
      m.addTo(map);
      markers.set(n.id, m);
    }
  }

  // ---- charts ---------------------------------------------------------------------------------------------------
  const charts = {};
  const PALETTE = ['#1565c0', '#2e7d32', '#c62828', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#558b2f', '#4e342e', '#37474f'];

  function chart(id, series, data) {
    if (typeof uPlot === 'undefined') { return; }
    const target = $(id);
    if (charts[id]) { charts[id].destroy(); }
    const width = Math.max(300, target.clientWidth || 500);
    charts[id] = new uPlot({ width, height: 170, series: [{}, ...series], scales: { x: { time: true } },
      legend: { live: false } }, data, target);
  }

  function renderLatencyChart() {
    const h = state.latency;
    if (!h || h.minutes.length === 0) { return; }
    const regions = Object.keys(h.regions);
    chart('latency-chart', regions.map((r, i) => ({ label: r, stroke: PALETTE[i % PALETTE.length], spanGaps: true })),
      [h.minutes.map((m) => m / 1000), ...regions.map((r) => h.regions[r])]);
  }

  function renderOutcomeChart() {
    const d = state.digest;
    if (!d) { return; }
    chart('outcome-chart', [
      { label: 'completed', stroke: '#2e7d32' }, { label: 'failed', stroke: '#c62828' },
      { label: 'timed out', stroke: '#ef6c00' }, { label: 'other final', stroke: '#78909c' }],
    [d.hours.map((t) => t / 1000), d.completed, d.failed, d.timedOut, d.otherFinal]);
  }

  // ---- runs, calendar, heat map, actions --------------------------------------------------------------------------
  let runFilter = null; // null: the live latest runs; otherwise the server's answer for a job/node filter

  function runRow(r) {
    return el('tr', { dataset: { runId: r.id } }, el('td', {}, r.id), el('td', {}, r.jobId), el('td', {}, r.nodeId),
      el('td', { class: 'status-' + r.status }, r.status), el('td', { class: 'message' }, r.message || ''),
      el('td', {}, time(r.scheduledAt)),
      el('td', {}, r.hasArtifact ? el('a', { href: '/artifacts/' + encodeURIComponent(r.id) }, 'download') : ''));
  }

  function renderRuns() {
    const runs = runFilter || [...state.runs.values()].sort((a, b) => b.lastUpdated - a.lastUpdated).slice(0, RECENT);
    $('runs').tBodies[0].replaceChildren(...runs.map(runRow));
  }

  async function filterRuns() {
    const job = $('run-job').value.trim();
    const node = $('run-node').value.trim();
    if (!job && !node) { runFilter = null; $('runs-note').textContent = 'latest'; renderRuns(); return; }
    const response = await fetch('/api/runs?job=' + encodeURIComponent(job) + '&node=' + encodeURIComponent(node),
      { credentials: 'same-origin' });
    if (!response.ok) { return; }
    runFilter = (await response.json()).runs;
    $('runs-note').textContent = 'filtered: ' + [job && 'job ' + job, node && 'node ' + node].filter(Boolean).join(', ');
    renderRuns();
  }

  async function loadCalendar(event) {
    if (event) { event.preventDefault(); }
    const node = $('calendar-node').value.trim();
    const body = $('calendar').tBodies[0];
    body.replaceChildren();
    if (!node) { return; }
    const response = await fetch('/api/calendar?node=' + encodeURIComponent(node), { credentials: 'same-origin' });
    if (!response.ok) { return; }
    const calendar = await response.json();
    for (const r of calendar.runs) {
      body.append(el('tr', {}, el('td', {}, time(r.start)), el('td', {}, time(r.end)), el('td', {}, r.jobId),
        el('td', {}, r.owner), el('td', {}, r.exclusive ? 'exclusive' : 'shared')));
    }
  }

  function renderHeatmap() {
    const regions = new Set();
    for (const p of state.paths.values()) { regions.add(p.from); regions.add(p.to); }
    const sorted = [...regions].sort();
    const max = Math.max(1, ...[...state.paths.values()].map((p) => p.latencyMs || 0));
    const table = $('heatmap');
    table.replaceChildren(el('tr', {}, el('th', {}, 'from \\ to'), ...sorted.map((r) => el('th', {}, r))));
    for (const from of sorted) {
      const row = el('tr', {}, el('th', {}, from));
      for (const to of sorted) {
        const p = state.paths.get(from + '|region:' + to);
        const cell = el('td', { class: 'cell', dataset: { from, to } });
        if (p && p.latencyMs != null) {
          const t = p.latencyMs / max; // green (near) to red (far)
          cell.style.background = 'hsl(' + Math.round(120 * (1 - t)) + ', 70%, 75%)';
          cell.textContent = p.latencyMs.toFixed(1);
          cell.title = p.hops.join(' → ');
        }
        row.append(cell);
      }
      table.append(row);
    }
  }

  function renderActions() {
    const actions = [...state.actions.values()].sort((a, b) => b.at - a.at).slice(0, RECENT);
    $('actions').replaceChildren(...actions.map((a) => el('li', { dataset: { actionId: a.id } },
      time(a.at) + ' ' + a.type + ' ' + a.jobId + ': ' + a.from.join(',') + ' → ' + a.to.join(',') + ' (' + a.reason + ')')));
  }

  // ---- state -----------------------------------------------------------------------------------------------------
  function apply(kind, item) {
    if (kind === 'node') {
      if (item.deleted) { state.nodes.delete(item.id); } else { state.nodes.set(item.id, item); }
      placeMarker(item);
      schedule('fleet');
    } else if (kind === 'run') {
      state.runs.set(item.id, item);
      if (state.digest && (item.status === 'FAILED' || item.status === 'TIMED_OUT')
          && !state.digest.recentFailures.some((r) => r.id === item.id)) {
        state.digest.recentFailures.unshift(item); // shown at once; the periodic digest recounts the rest
        schedule('digest');
      }
      schedule('runs');
    } else if (kind === 'path') {
      state.paths.set(item.key, item); schedule('paths');
    } else if (kind === 'action') {
      state.actions.set(item.jobId, item); schedule('actions');
    }
  }

  function snapshot(s) {
    state.nodes = new Map(s.nodes.filter((n) => !n.deleted).map((n) => [n.id, n]));
    state.runs = new Map(s.runs.map((r) => [r.id, r]));
    state.paths = new Map(s.paths.map((p) => [p.key, p]));
    state.actions = new Map(s.actions.map((a) => [a.jobId, a]));
    state.digest = s.runDigest;
    state.latency = s.latency;
    schedule('fleet', 'runs', 'digest', 'paths', 'latency', 'actions', 'markers');
  }

  function drawMarkers() {
    if (!map) { initMap(); }
    if (!map) { return; }
    markers.forEach((m) => m.remove());
    markers.clear();
    state.nodes.forEach(placeMarker);
    $('map-note').textContent = markers.size + ' of ' + state.nodes.size + ' nodes have coordinates';
  }

  async function refresh(path, key, part) {
    const response = await fetch(path, { credentials: 'same-origin' });
    if (response.ok) { state[key] = await response.json(); schedule(part); }
  }

  function connect() {
    const source = new EventSource('/api/events');
    const status = $('connection');
    source.addEventListener('open', () => { status.dataset.state = 'live'; status.textContent = 'live'; });
    source.addEventListener('error', () => {
      status.dataset.state = 'reconnecting'; status.textContent = 'reconnecting…';
      fetch('/api/session', { credentials: 'same-origin' }).then((r) => { if (r.status === 401) { source.close(); showLogin(); } });
    });
    source.addEventListener('snapshot', (e) => snapshot(JSON.parse(e.data)));
    for (const kind of ['node', 'run', 'path', 'action']) {
      source.addEventListener(kind, (e) => apply(kind, JSON.parse(e.data)));
    }
    refresh('/api/health', 'health', 'health');
    setInterval(() => refresh('/api/health', 'health', 'health'), 15_000);
    setInterval(() => refresh('/api/runs-digest', 'digest', 'digest'), 30_000);
    setInterval(() => refresh('/api/latency-history', 'latency', 'latency'), 60_000);
  }

  function showLogin() {
    $('plane').hidden = true; $('logout').hidden = true; $('login').hidden = false;
    $('connection').dataset.state = 'signed-out'; $('connection').textContent = 'signed out';
    $('denied').hidden = !new URLSearchParams(location.search).has('denied');
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('calendar-form').addEventListener('submit', loadCalendar);
    $('search').addEventListener('input', () => {
      view.query = $('search').value.trim().toLowerCase(); view.region = null; view.status = null; view.page = 0;
      renderOverview(); renderNodeList();
    });
    $('clear-filter').addEventListener('click', () => drill(null, null));
    $('prev-page').addEventListener('click', () => { view.page--; renderNodeList(); });
    $('next-page').addEventListener('click', () => { view.page++; renderNodeList(); });
    $('run-job').addEventListener('change', filterRuns);
    $('run-node').addEventListener('change', filterRuns);
    const probe = await fetch('/api/session', { credentials: 'same-origin' });
    if (probe.status === 401) { showLogin(); return; }
    $('plane').hidden = false; $('logout').hidden = false;
    connect();
  });
})();
