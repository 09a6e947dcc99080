// The KPI dashboard (/dashboard): the user's scope over a period. Tiles for each KPI
// with its sample size and its change on the period before (a figure from fewer
// answers than the rules' minimum says so instead); a trend of one KPI by day, week
// or month with the period before drawn faintly behind; the store league against the
// chain; and the Pareto of complaints by category or root cause, each bar a link to
// the cases behind it. Charts are uPlot; every chart has a table with the same
// figures, for screen readers and for reading exact values. Loaded on first visit
// (its own chunk), so the queue and case pages never pay for uPlot.
import uPlot from 'uplot';
import { html, useEffect, useMemo, useRef, useState } from './html.js';
import { withQuery } from './api.js';
import { Link } from './router.js';
import { ErrorBanner, Field, Spinner, useApi, useTitle } from './ui.js';
import { capitalise, scopePhrase } from './format.js';
import { categoryWords } from './case-page.js';
import { rootCauseWords } from './case-actions.js';
import { LEAGUE_ENDS, leagueRows, rankStores } from './league.js';
import { Comments, DevicesGlance, DigestSettings, Downloads, StaffView, seesStaff } from './dashboard-sections.js';

// Each KPI: where its figure, sample and small-sample flag are in the API's answer.
const KPIS = [
  { key: 'nps', label: 'NPS', get: (k) => k.nps.score, n: (k) => k.nps.count, small: (k) => k.nps.small_sample, unit: '', digits: 0, better: 'up' },
  { key: 'csat', label: 'CSAT (mean of 5)', get: (k) => k.csat.mean, n: (k) => k.csat.count, small: (k) => k.csat.small_sample, unit: '', digits: 2, better: 'up' },
  { key: 'satisfied', label: 'Satisfied (4 or 5)', get: (k) => k.csat.satisfied_pct, n: (k) => k.csat.count, small: (k) => k.csat.small_sample, unit: '%', digits: 1, better: 'up' },
  { key: 'fcr', label: 'Resolved at first contact', get: (k) => k.complaints.fcr_pct, n: (k) => k.complaints.count, small: (k) => k.complaints.small_sample, unit: '%', digits: 1, better: 'up', sample: 'complaints' },
  { key: 'ack', label: 'Acknowledged on time', get: (k) => k.sla.ack_pct, n: (k) => k.sla.ack_count, small: (k) => k.sla.ack_small_sample, unit: '%', digits: 1, better: 'up', sample: 'cases' },
  { key: 'resolve', label: 'Resolved on time', get: (k) => k.sla.resolve_pct, n: (k) => k.sla.resolve_count, small: (k) => k.sla.resolve_small_sample, unit: '%', digits: 1, better: 'up', sample: 'cases' },
  { key: 'per1000', label: 'Complaints per 1,000 responses', get: (k) => k.complaints.per_1000, n: (k) => k.feedback.count, small: (k) => k.feedback.small_sample, unit: '', digits: 1, better: 'down', sample: 'responses' },
];
const kpiByKey = Object.fromEntries(KPIS.map((k) => [k.key, k]));

const PERIODS = [
  { key: '7d', label: 'Last 7 days, to today' },
  { key: '28d', label: 'Last 28 days, to today' },
  { key: 'month', label: 'Last calendar month' },
  { key: '12m', label: 'Last 12 months' },
];
const GRAINS = [
  { key: 'day', label: 'By day' },
  { key: 'week', label: 'By week' },
  { key: 'month', label: 'By month' },
];

// ---- dates: local days in the chain's zone, as the API counts them ---------------------

function todayIn(zone) {
  // en-CA writes YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** The period's first and last days, both included: the last 7 or 28 days to today, or
 * whole calendar months before this one (compared with as many months before them). */
export function periodDays(key, today) {
  if (key === '28d') return { from: addDays(today, -27), to: today };
  if (key === '12m') {
    const first = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 7)}-01`;
    return { from: first, to: addDays(`${today.slice(0, 7)}-01`, -1) };
  }
  if (key === 'month') {
    const firstThis = `${today.slice(0, 7)}-01`;
    const last = addDays(firstThis, -1);
    return { from: `${last.slice(0, 7)}-01`, to: last };
  }
  return { from: addDays(today, -6), to: today };
}
const defaultGrain = { '7d': 'day', '28d': 'day', month: 'day', '12m': 'week' };

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
function dateWords(iso, withYear = true) {
  return (withYear ? dayMonthYear : dayMonth).format(new Date(`${iso}T00:00:00Z`));
}
function periodWords(p) {
  return p.from === p.to ? dateWords(p.from) : `${dateWords(p.from, p.from.slice(0, 4) !== p.to.slice(0, 4))} to ${dateWords(p.to)}`;
}

// ---- figures ------------------------------------------------------------------------

function figureText(kpi, value) {
  if (value === null || value === undefined) return '—';
  const text = value.toLocaleString('en-GB', { minimumFractionDigits: kpi.digits, maximumFractionDigits: kpi.digits });
  return kpi.key === 'nps' && value > 0 ? `+${text}${kpi.unit}` : `${text}${kpi.unit}`;
}

function Change({ kpi, now, before }) {
  const a = kpi.get(now);
  const b = kpi.get(before);
  if (a === null || b === null || kpi.small(now) || kpi.small(before)) return html`<span class="tile-change">No comparison</span>`;
  const delta = Math.round((a - b) * 10 ** kpi.digits) / 10 ** kpi.digits;
  if (delta === 0) return html`<span class="tile-change">No change on the period before</span>`;
  const good = (delta > 0) === (kpi.better === 'up');
  const points = kpi.unit === '%' ? ' points' : '';
  const text = `${delta > 0 ? 'Up' : 'Down'} ${Math.abs(delta).toLocaleString('en-GB', { maximumFractionDigits: kpi.digits })}${points}`;
  return html`<span class=${`tile-change tile-change--${good ? 'good' : 'bad'}`}>
    <span aria-hidden="true">${delta > 0 ? '▲' : '▼'} </span>${text}<span class="visually-hidden">${good ? ' (better)' : ' (worse)'}</span> on the period before</span>`;
}

function Tile({ kpi, now, before }) {
  const n = kpi.n(now);
  const small = kpi.small(now);
  return html`
    <li class="tile">
      <h3 class="tile-label">${kpi.label}</h3>
      ${small
        ? html`<p class="tile-value tile-value--small">${n === 0 ? 'None yet' : `Too few ${kpi.sample || 'answers'}`}</p>`
        : html`<p class="tile-value">${figureText(kpi, kpi.get(now))}
            ${kpi.key === 'nps' && now.nps.margin_of_error !== null
              ? html`<span class="tile-moe">± ${now.nps.margin_of_error.toLocaleString('en-GB')}</span>`
              : null}</p>`}
      <p class="tile-sample">${n.toLocaleString('en-GB')} ${kpi.sample || 'answers'}</p>
      ${before ? html`<${Change} kpi=${kpi} now=${now} before=${before} />` : null}
    </li>`;
}

// ---- data -------------------------------------------------------------------------

// ---- charts -------------------------------------------------------------------------

/** A uPlot chart in a div, rebuilt when its data or options change; sized to its box. */
function Chart({ options, data, label }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot({ ...options, width: width(), height: options.height || 260 }, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height || 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [options, data]);
  return html`<div class="chart" ref=${box} role="img" aria-label=${label}></div>`;
}

const INK = '#1d4ed8';
const FAINT = 'rgba(29, 78, 216, 0.3)';
const BAR = '#2563eb';
const LINE = '#b45309';

function Trend({ query, kpi, grain }) {
  const state = useApi(withQuery('/api/v1/kpis/trend', { ...query, grain, compare: 'previous' }));
  const chart = useMemo(() => {
    if (!state.data) return null;
    const points = state.data.points;
    const before = state.data.previous ? state.data.previous.points : [];
    const x = points.map((_, i) => i);
    // Every point with an answer is drawn (by day, few reach the minimum); the table
    // under the chart says which rest on too few to rely on.
    const now = points.map((p) => kpi.get(p));
    const then = x.map((i) => (before[i] ? kpi.get(before[i]) : null));
    const labels = points.map((p) => dateWords(p.period.from, false));
    return {
      data: [x, then, now],
      options: {
        height: 260,
        scales: { x: { time: false } },
        axes: [
          { values: (_, ticks) => ticks.map((t) => labels[t] ?? ''), stroke: '#374151' },
          { stroke: '#374151', values: (_, ticks) => ticks.map((t) => figureText(kpi, t)) },
        ],
        series: [
          { label: grain === 'day' ? 'Day' : grain === 'week' ? 'Week from' : 'Month from', value: (_, i) => (i === null ? '' : labels[i] ?? '') },
          { label: 'Period before', stroke: FAINT, width: 2, dash: [6, 4], spanGaps: false },
          { label: 'This period', stroke: INK, width: 3, points: { show: true, size: 6 }, spanGaps: false },
        ],
        legend: { show: true },
      },
    };
  }, [state.data, kpi, grain]);
  if (state.error) return html`<${ErrorBanner} error=${state.error} compact />`;
  if (!state.data) return html`<${Spinner} label="Loading the trend…" />`;
  const t = state.data;
  return html`
    <${Chart} options=${chart.options} data=${chart.data}
      label=${`${kpi.label} ${grain === 'day' ? 'by day' : `by ${grain}`}, ${periodWords(t.period)}, with the period before`} />
    <details class="chart-table">
      <summary>Show the figures</summary>
      <table class="data-table">
        <caption class="visually-hidden">${kpi.label}, each ${grain}</caption>
        <thead><tr><th scope="col">${grain === 'day' ? 'Day' : grain === 'week' ? 'Week from' : 'Month from'}</th>
          <th scope="col">${kpi.label}</th><th scope="col">Sample</th><th scope="col">Period before</th></tr></thead>
        <tbody>
          ${t.points.map((p, i) => {
            const b = t.previous && t.previous.points[i];
            return html`<tr key=${p.period.from}>
              <th scope="row">${dateWords(p.period.from)}</th>
              <td>${figureText(kpi, kpi.get(p))}${kpi.small(p) && kpi.n(p) > 0 ? ' (too few to rely on)' : ''}</td>
              <td>${kpi.n(p).toLocaleString('en-GB')}</td>
              <td>${b ? figureText(kpi, kpi.get(b)) : '—'}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </details>`;
}

function League({ query, kpi }) {
  const state = useApi(withQuery('/api/v1/kpis/stores', query));
  const [showAll, setShowAll] = useState(false);
  const ranked = useMemo(() => (state.data ? rankStores(state.data.stores, kpi) : []), [state.data, kpi]);
  if (state.error) return html`<${ErrorBanner} error=${state.error} compact />`;
  if (!state.data) return html`<${Spinner} label="Loading the stores…" />`;
  const { chain } = state.data;
  const chainValue = kpi.get(chain);
  if (!ranked.length) return html`<p class="empty">No store had answers in this period.</p>`;
  const folded = leagueRows(ranked, false);
  const { rows, hidden } = showAll ? leagueRows(ranked, true) : folded;
  const foldedHasGap = folded.rows.some((r) => r.gap !== undefined);
  const count = (n) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'store' : 'stores'}`;
  return html`
    <table class="data-table league">
      <caption class="visually-hidden">Stores ranked on ${kpi.label}</caption>
      <thead><tr><th scope="col">Rank</th><th scope="col">Store</th><th scope="col">Area</th>
        <th scope="col">${kpi.label}</th><th scope="col">Against the chain</th><th scope="col">Sample</th></tr></thead>
      <tbody>
        <tr class="league-chain"><th scope="row" colspan="3">Whole chain</th>
          <td>${chain && !kpi.small(chain) ? figureText(kpi, chainValue) : 'Too few answers'}</td><td></td>
          <td>${kpi.n(chain).toLocaleString('en-GB')}</td></tr>
        ${rows.map((row) => {
          if (row.gap !== undefined)
            return html`<tr key="gap" class="league-gap"><td colspan="6">${count(row.gap)} between</td></tr>`;
          const { store: s, rank } = row;
          const diff = rank === null || chainValue === null ? null : kpi.get(s) - chainValue;
          const good = diff !== null && (diff > 0) === (kpi.better === 'up');
          return html`<tr key=${s.store_id}>
            <td>${rank ?? ''}</td>
            <th scope="row">${s.store_id}</th>
            <td>${s.area || ''}</td>
            <td>${rank === null ? html`<span class="badge badge--neutral">Too few answers</span>` : figureText(kpi, kpi.get(s))}</td>
            <td>${diff === null || Math.abs(diff) < 10 ** -kpi.digits
              ? ''
              : html`<span class=${good ? 'diff diff--good' : 'diff diff--bad'}>${diff > 0 ? '+' : '−'}${Math.abs(diff).toLocaleString('en-GB', { maximumFractionDigits: kpi.digits })}${kpi.unit === '%' ? ' pts' : ''}
                  <span class="visually-hidden">${good ? ' better than' : ' worse than'} the chain</span></span>`}</td>
            <td>${kpi.n(s).toLocaleString('en-GB')}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    ${hidden > 0 && html`<p class="league-more">
      ${foldedHasGap
        ? `The best and the worst ${LEAGUE_ENDS} are shown.`
        : `${count(hidden)} with too few answers not shown.`}
      <button type="button" class="button" onClick=${() => setShowAll(true)}>Show all ${count(ranked.length)}</button></p>`}
    ${showAll && folded.hidden > 0 && html`<p class="league-more">
      <button type="button" class="button" onClick=${() => setShowAll(false)}>${foldedHasGap
        ? `Show the best and the worst ${LEAGUE_ENDS} only`
        : 'Hide the stores with too few answers'}</button></p>`}`;
}

/** Where a Pareto bar's cases are: the queue's "all" tab, filtered like the bar. */
export function casesBehind(by, key, period) {
  const q = new URLSearchParams({ status: 'all', raised_from: period.from, raised_to: period.to });
  if (by === 'category') q.set('category', key);
  else q.set('root_cause', key || 'none');
  return `/?${q}`;
}

function barWords(by, key) {
  if (by === 'category') return categoryWords[key] || key;
  return key ? rootCauseWords[key] || key : 'Not recorded yet';
}

function Pareto({ query, navigate }) {
  const [by, setBy] = useState('category');
  const state = useApi(withQuery('/api/v1/kpis/pareto', { ...query, by }));
  const chart = useMemo(() => {
    const p = state.data;
    if (!p || !p.bars.length) return null;
    const x = p.bars.map((_, i) => i);
    const labels = p.bars.map((b) => barWords(by, b.key));
    return {
      data: [x, p.bars.map((b) => b.count), p.bars.map((b) => b.cumulative_pct)],
      options: {
        height: 280,
        scales: { x: { time: false, range: [-0.6, x.length - 0.4] }, pct: { range: [0, 100] } },
        axes: [
          { values: (_, ticks) => ticks.map((t) => (Number.isInteger(t) ? labels[t] ?? '' : '')), stroke: '#374151', size: 60 },
          { stroke: '#374151', label: 'Complaints' },
          { scale: 'pct', side: 1, stroke: '#374151', values: (_, ticks) => ticks.map((t) => `${t}%`), grid: { show: false } },
        ],
        series: [
          { label: by === 'category' ? 'Category' : 'Root cause', value: (_, i) => (i === null ? '' : labels[i] ?? '') },
          { label: 'Complaints', fill: BAR, stroke: BAR, paths: uPlot.paths.bars({ size: [0.6, 80] }), points: { show: false } },
          { label: 'Cumulative share', scale: 'pct', stroke: LINE, width: 2, points: { show: true, size: 6 } },
        ],
        legend: { show: true },
        hooks: {
          // A click on a bar opens the cases behind it.
          ready: [(u) => {
            u.over.addEventListener('click', () => {
              const i = u.cursor.idx;
              if (i !== null && i !== undefined) navigate(casesBehind(by, p.bars[i].key, p.period || query));
            });
            u.over.style.cursor = 'pointer';
          }],
        },
      },
    };
  }, [state.data]);
  const p = state.data;
  return html`
    <div class="section-tools">
      <${Field} label="Count complaints by">
        ${(f) => html`<select ...${f} class="select" value=${by} onChange=${(e) => setBy(e.currentTarget.value)}>
          <option value="category">Category</option>
          <option value="root_cause">Root cause (once resolved)</option>
        </select>`}
      <//>
    </div>
    ${state.error ? html`<${ErrorBanner} error=${state.error} compact />` : null}
    ${!p && !state.error ? html`<${Spinner} label="Loading complaints…" />` : null}
    ${p && !p.bars.length ? html`<p class="empty">No complaints were raised in this period.</p>` : null}
    ${p && p.bars.length
      ? html`
        <${Chart} options=${chart.options} data=${chart.data}
          label=${`Complaints by ${by === 'category' ? 'category' : 'root cause'}, most first, with the cumulative share`} />
        <table class="data-table pareto">
          <caption class="visually-hidden">Complaints by ${by === 'category' ? 'category' : 'root cause'}</caption>
          <thead><tr><th scope="col">${by === 'category' ? 'Category' : 'Root cause'}</th><th scope="col">Complaints</th>
            <th scope="col">Cumulative share</th><th scope="col"><span class="visually-hidden">Cases</span></th></tr></thead>
          <tbody>
            ${p.bars.map((b) => html`<tr key=${b.key}>
              <th scope="row">${barWords(by, b.key)}</th>
              <td>${b.count.toLocaleString('en-GB')}</td>
              <td>${b.cumulative_pct.toLocaleString('en-GB')}%</td>
              <td><${Link} href=${casesBehind(by, b.key, p.period || query)}>Cases<span class="visually-hidden"> for ${barWords(by, b.key)}</span><//></td>
            </tr>`)}
          </tbody>
        </table>
        <p class="dash-note">Complaints resolved at the store open no case, so a category's cases can be fewer than its complaints.</p>`
      : null}`;
}

export function DashboardPage({ user, search, navigate }) {
  useTitle('Dashboard');
  const params = new URLSearchParams(search);
  const periodKey = PERIODS.some((p) => p.key === params.get('period')) ? params.get('period') : '7d';
  const kpiKey = kpiByKey[params.get('kpi')] ? params.get('kpi') : 'nps';
  const grain = GRAINS.some((g) => g.key === params.get('grain')) ? params.get('grain') : defaultGrain[periodKey];
  const kpi = kpiByKey[kpiKey];
  const today = todayIn(user.time_zone || 'Europe/London');
  const query = useMemo(() => periodDays(periodKey, today), [periodKey, today]);
  const set = (changes) => {
    const q = new URLSearchParams({ period: periodKey, kpi: kpiKey, grain, ...changes });
    if (changes.period && !changes.grain) q.set('grain', defaultGrain[changes.period]);
    navigate(`/dashboard?${q}`, { replace: true });
  };

  const tiles = useApi(withQuery('/api/v1/kpis', { ...query, compare: 'previous' }));
  const k = tiles.data;
  return html`
    <div class="page-head">
      <h1>Dashboard</h1>
      <p class="page-sub">${capitalise(scopePhrase(user.scope, user.areas))} · ${periodWords(query)}</p>
    </div>
    <form class="filters dashboard-filters" aria-label="Dashboard period" onSubmit=${(e) => e.preventDefault()}>
      <${Field} label="Period">
        ${(f) => html`<select ...${f} class="select" value=${periodKey} onChange=${(e) => set({ period: e.currentTarget.value })}>
          ${PERIODS.map((p) => html`<option key=${p.key} value=${p.key}>${p.label}</option>`)}
        </select>`}
      <//>
    </form>

    <section class="card dash-section" aria-labelledby="tiles-h">
      <h2 id="tiles-h">At a glance</h2>
      ${tiles.error ? html`<${ErrorBanner} error=${tiles.error} />` : null}
      ${!k && !tiles.error ? html`<${Spinner} label="Loading the figures…" />` : null}
      ${k
        ? html`<ul class="tiles">${KPIS.map((t) => html`<${Tile} key=${t.key} kpi=${t} now=${k} before=${k.previous} />`)}</ul>
          <p class="dash-note">Against ${periodWords(k.previous.period)}. A figure from fewer than ${k.min_sample} answers is not shown: it would mean little.</p>`
        : null}
    </section>

    <section class="card dash-section" aria-labelledby="trend-h">
      <h2 id="trend-h">Trend</h2>
      <div class="section-tools">
        <${Field} label="Measure">
          ${(f) => html`<select ...${f} class="select" value=${kpiKey} onChange=${(e) => set({ kpi: e.currentTarget.value })}>
            ${KPIS.map((t) => html`<option key=${t.key} value=${t.key}>${t.label}</option>`)}
          </select>`}
        <//>
        <${Field} label="Group">
          ${(f) => html`<select ...${f} class="select" value=${grain} onChange=${(e) => set({ grain: e.currentTarget.value })}>
            ${GRAINS.map((g) => html`<option key=${g.key} value=${g.key}>${g.label}</option>`)}
          </select>`}
        <//>
      </div>
      <${Trend} query=${query} kpi=${kpi} grain=${grain} />
    </section>

    <section class="card dash-section" aria-labelledby="league-h">
      <h2 id="league-h">Stores on ${kpi.label}</h2>
      <${League} query=${query} kpi=${kpi} />
    </section>

    <section class="card dash-section" aria-labelledby="pareto-h">
      <h2 id="pareto-h">What customers complain about</h2>
      <${Pareto} query=${query} navigate=${navigate} />
    </section>

    <section class="card dash-section" aria-labelledby="comments-h">
      <h2 id="comments-h">What customers said</h2>
      <${Comments} query=${query} user=${user} />
    </section>

    ${seesStaff(user)
      ? html`<section class="card dash-section" aria-labelledby="staff-h">
          <h2 id="staff-h">Staff: complaints they logged</h2>
          <${StaffView} query=${query} user=${user} />
        </section>`
      : null}

    <section class="card dash-section" aria-labelledby="devices-h">
      <h2 id="devices-h">Devices at a glance</h2>
      <${DevicesGlance} user=${user} />
    </section>

    <div class="dash-columns">
      <section class="card dash-section" aria-labelledby="digest-h">
        <h2 id="digest-h">Your email digest</h2>
        <${DigestSettings} user=${user} />
      </section>
      <section class="card dash-section" aria-labelledby="downloads-h">
        <h2 id="downloads-h">Downloads</h2>
        <${Downloads} query=${query} user=${user} />
      </section>
    </div>`;
}
