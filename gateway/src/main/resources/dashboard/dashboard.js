'use strict';
// The live dashboard: a snapshot, then Server-Sent Events. Text is only ever set with textContent (never innerHTML),
// so nothing a node, job or run carries can inject markup.
(function () {
  const state = { nodes: new Map(), runs: new Map(), paths: new Map(), actions: new Map() };
  const RECENT = 50;
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'dataset') { Object.assign(e.dataset, v); } else { e.setAttribute(k, v); }
    }
    for (const c of children) { e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))); }
    return e;
  }
  const time = (ms) => (ms == null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

  function renderFleet() {
    const byRegion = new Map();
    for (const n of state.nodes.values()) {
      if (!byRegion.has(n.region)) { byRegion.set(n.region, []); }
      byRegion.get(n.region).push(n);
    }
    const fleet = $('fleet');
    fleet.replaceChildren();
    const counts = {};
    for (const region of [...byRegion.keys()].sort()) {
      const nodes = byRegion.get(region).sort((a, b) => a.id.localeCompare(b.id));
      const box = el('div', { class: 'nodes' });
      for (const n of nodes) {
        counts[n.state] = (counts[n.state] || 0) + 1;
        const card = el('div', { class: 'node', dataset: { nodeId: n.id, state: n.state },
          title: 'since ' + time(n.since) + ', last heartbeat ' + time(n.lastActive) }, n.id,
          el('span', { class: 'state' }, n.state));
        if (n.flapCount > 0) { card.append(el('span', { class: 'flaps' }, '↯' + n.flapCount)); }
        if (n.scavenger) { card.append(el('span', { class: 'flaps' }, ' scavenger')); }
        box.append(card);
      }
      fleet.append(el('div', { class: 'region', dataset: { region } }, el('h3', {}, region), box));
    }
    $('fleet-summary').textContent = Object.entries(counts).map(([s, c]) => c + ' ' + s).join(' · ');
    renderCalendarChoices();
  }

  function renderCalendarChoices() {
    const select = $('calendar-node');
    const chosen = select.value;
    const ids = [...state.nodes.keys()].sort();
    select.replaceChildren(el('option', { value: '' }, 'choose a node…'), ...ids.map((id) => el('option', { value: id }, id)));
    select.value = ids.includes(chosen) ? chosen : '';
  }

  async function loadCalendar() {
    const node = $('calendar-node').value;
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

  function renderRuns() {
    const runs = [...state.runs.values()].sort((a, b) => b.lastUpdated - a.lastUpdated).slice(0, RECENT);
    const body = $('runs').tBodies[0];
    body.replaceChildren(...runs.map((r) => el('tr', { dataset: { runId: r.id } }, el('td', {}, r.id),
      el('td', {}, r.jobId), el('td', {}, r.nodeId),
      el('td', { class: 'status-' + r.status, title: r.message || '' }, r.status), el('td', {}, time(r.scheduledAt)),
      el('td', {}, r.hasArtifact ? el('a', { href: '/artifacts/' + encodeURIComponent(r.id) }, 'download') : ''))));
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

  function apply(kind, item) {
    if (kind === 'node') {
      if (item.deleted) { state.nodes.delete(item.id); } else { state.nodes.set(item.id, item); }
      renderFleet();
    } else if (kind === 'run') {
      state.runs.set(item.id, item); renderRuns();
    } else if (kind === 'path') {
      state.paths.set(item.key, item); renderHeatmap();
    } else if (kind === 'action') {
      state.actions.set(item.jobId, item); renderActions();
    }
  }

  function snapshot(s) {
    state.nodes = new Map(s.nodes.filter((n) => !n.deleted).map((n) => [n.id, n]));
    state.runs = new Map(s.runs.map((r) => [r.id, r]));
    state.paths = new Map(s.paths.map((p) => [p.key, p]));
    state.actions = new Map(s.actions.map((a) => [a.jobId, a]));
    renderFleet(); renderRuns(); renderHeatmap(); renderActions(); loadCalendar();
  }

  function connect() {
    const source = new EventSource('/api/events');
    const status = $('connection');
    source.addEventListener('open', () => { status.dataset.state = 'live'; status.textContent = 'live'; });
    source.addEventListener('error', () => {
      status.dataset.state = 'reconnecting'; status.textContent = 'reconnecting…';
      fetch('/api/snapshot', { credentials: 'same-origin' }).then((r) => { if (r.status === 401) { source.close(); showLogin(); } });
    });
    source.addEventListener('snapshot', (e) => snapshot(JSON.parse(e.data)));
    for (const kind of ['node', 'run', 'path', 'action']) {
      source.addEventListener(kind, (e) => apply(kind, JSON.parse(e.data)));
    }
  }

  function showLogin() {
    $('plane').hidden = true; $('logout').hidden = true; $('login').hidden = false;
    $('denied').hidden = !new URLSearchParams(location.search).has('denied');
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('calendar-node').addEventListener('change', loadCalendar);
    const probe = await fetch('/api/snapshot', { credentials: 'same-origin' });
    if (probe.status === 401) { showLogin(); return; }
    $('plane').hidden = false; $('logout').hidden = false;
    connect();
  });
})();
