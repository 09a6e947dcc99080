// The queue (/): status tabs with counts, filters (kept in the URL, so a reload or a
// bookmark keeps them), the cases in the API's order (next deadline first), "Load more"
// with the API's cursor, and new cases without a reload: every 10 s a background poll
// (X-Heed-Background, so it does not keep an idle session alive) refreshes the rows
// and counts, marks cases that were not there before as New and says so in the live
// region. Keyboard: j/k or the arrow keys move through the rows, Enter opens the case,
// "/" goes to the reference search.
import { html, useCallback, useEffect, useMemo, useRef, useState } from './html.js';
import { api, withQuery } from './api.js';
import { Link } from './router.js';
import { Badge, ErrorBanner, Field, SlaClock, Spinner, announce, useTitle } from './ui.js';
import { capitalise, formatDate, levelWords, scopePhrase, statusName, typeName } from './format.js';
import { categoryWords } from './case-page.js';
import { rootCauseWords } from './case-actions.js';

const TABS = ['open', 'breached', 'awaiting_customer', 'scheduled', 'closed', 'all'];
// The last four come from a bar of the dashboard's Pareto (the cases behind it).
const FILTERS = ['type', 'store_id', 'area', 'level', 'severity', 'repeat', 'assignee', 'q',
  'category', 'root_cause', 'raised_from', 'raised_to'];
const PAGE = 50;
const POLL_MS = 10_000;

/** The URL's query → {status, type, store_id, …} with only known keys. */
function readQuery(search) {
  const q = new URLSearchParams(search);
  const out = { status: TABS.includes(q.get('status')) ? q.get('status') : 'open' };
  for (const k of FILTERS) if (q.get(k)) out[k] = q.get(k);
  return out;
}

function queryString(state) {
  const q = new URLSearchParams();
  if (state.status && state.status !== 'open') q.set('status', state.status);
  for (const k of FILTERS) if (state[k]) q.set(k, state[k]);
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

/** q needs 3 letters or digits (the API's trigram index); say so before sending. */
function searchProblem(q) {
  if (!q) return null;
  const n = q.replace(/[^A-Za-z0-9]/g, '').length;
  if (n < 3) return 'Type at least 3 letters or digits of a reference.';
  if (q.length > 64) return 'A reference search is at most 64 characters.';
  return null;
}

function apiParams(state) {
  const p = { status: state.status };
  for (const k of FILTERS) if (state[k]) p[k] = state[k];
  return p;
}

function countOf(counts, tab) {
  if (!counts) return null;
  if (tab === 'all') return (counts.open || 0) + (counts.scheduled || 0) + (counts.closed || 0);
  return counts[tab] ?? null;
}

function countText(counts, capped, tab) {
  const n = countOf(counts, tab);
  if (n === null) return '';
  const isCapped = capped && (capped.includes(tab) || (tab === 'all' && capped.includes('closed')));
  return n.toLocaleString('en-GB') + (isCapped ? '+' : '');
}

// An alert has no reference: what happened, in words, names it.
export function caseTitle(c) {
  return c.reference || c.title || `Case ${c.id}`;
}

/** A case's badges: escalated, repeat, paused, new. Words, not colour alone. */
function CaseBadges({ c, isNew }) {
  const escalated = c.level > 0;
  return html`
    ${isNew && html`<${Badge} kind="new">New<//>`}
    ${escalated && html`<${Badge} kind="escalated" title=${`At the ${levelWords(c.level_name).toLowerCase()} level`}>Escalated<//>`}
    ${(c.flags || []).includes('repeat') && html`<${Badge} kind="repeat" title="2 or more complaints in 90 days">Repeat<//>`}
    ${c.waiting_since && html`<${Badge} kind="paused" title="Waiting on the customer">Paused<//>`}`;
}

/** The deadline that matters next: the API's `sla` (or, before it has one, from the row). */
function nextDeadline(c) {
  if (c.sla !== undefined) return c.sla;
  if (c.status === 'closed') return null;
  if (c.waiting_since) return { kind: 'resolve', state: 'paused', due: null, working_s_left: null };
  const ackDue = c.ack_due && !c.acknowledged_at;
  return {
    kind: ackDue ? 'acknowledge' : 'resolve',
    due: c.next_due || (ackDue ? c.ack_due : c.resolve_due),
    done_at: null,
    state: c.status === 'breached' ? 'breached' : c.status === 'scheduled' ? 'scheduled' : 'on_track',
    working_s_left: null,
  };
}

function Tabs({ status, counts, capped, onSelect }) {
  const refs = useRef({});
  const onKey = (e) => {
    const i = TABS.indexOf(status);
    let next = null;
    if (e.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
    else if (e.key === 'ArrowLeft') next = TABS[(i - 1 + TABS.length) % TABS.length];
    else if (e.key === 'Home') next = TABS[0];
    else if (e.key === 'End') next = TABS[TABS.length - 1];
    if (next) {
      e.preventDefault();
      onSelect(next);
      setTimeout(() => refs.current[next] && refs.current[next].focus(), 0);
    }
  };
  return html`
    <div class="tabs" role="tablist" aria-label="Case status" onKeyDown=${onKey}>
      ${TABS.map((t) => {
        const selected = t === status;
        return html`<button key=${t} type="button" role="tab" id=${`tab-${t}`} aria-selected=${selected ? 'true' : 'false'}
            aria-controls="queue-panel" tabindex=${selected ? 0 : -1} class="tab tab--${t}"
            ref=${(el) => (refs.current[t] = el)} onClick=${() => onSelect(t)}>
          <span class="tab-label">${statusName(t)}</span>
          <span class="tab-count">${countText(counts, capped, t)}</span>
        </button>`;
      })}
    </div>`;
}

function Filters({ state, user, onChange, searchRef, searchError }) {
  const [q, setQ] = useState(state.q || '');
  useEffect(() => setQ(state.q || ''), [state.q]);
  const areas = user.areas || [];
  const stores = user.stores || [];
  const levels = user.levels || [];
  const set = (k) => (e) => onChange({ [k]: e.currentTarget.value || undefined });
  const submitSearch = (e) => {
    e.preventDefault();
    onChange({ q: q.trim() || undefined });
  };
  const active = FILTERS.filter((k) => state[k]).length;
  const fromDashboard = [
    state.category && `category ${categoryWords[state.category] || state.category}`,
    state.root_cause && `root cause ${state.root_cause === 'none' ? 'not recorded yet' : rootCauseWords[state.root_cause] || state.root_cause}`,
    state.raised_from && `raised from ${formatDate(state.raised_from)}`,
    state.raised_to && `raised to ${formatDate(state.raised_to)}`,
  ].filter(Boolean);
  return html`
    ${fromDashboard.length
      ? html`<p class="notice">Showing cases with ${fromDashboard.join(', ')} (from the dashboard).</p>`
      : null}
    <form class="filters" role="search" aria-label="Filter the queue" onSubmit=${submitSearch}>
      <div class="filters-search">
        <${Field} label="Search references" error=${searchError}>
          ${(p) => html`<div class="search-row">
            <input ...${p} ref=${searchRef} class="input" type="search" name="q" value=${q}
              placeholder="e.g. MCR-7Q4K" autocomplete="off" spellcheck=${false}
              onInput=${(e) => setQ(e.currentTarget.value)} />
            <button type="submit" class="button">Search</button>
          </div>`}
        <//>
      </div>
      <${Field} label="Type">
        ${(p) => html`<select ...${p} class="select" value=${state.type || ''} onChange=${set('type')}>
          <option value="">Any type</option>
          <option value="callback">Call-back</option>
          <option value="complaint">Complaint</option>
          <option value="follow_up">Follow-up</option>
          <option value="alert">Alert</option>
        </select>`}
      <//>
      ${stores.length > 1 &&
      html`<${Field} label="Store">
        ${(p) => html`<select ...${p} class="select" value=${state.store_id || ''} onChange=${set('store_id')}>
          <option value="">All my stores</option>
          ${stores.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
        </select>`}
      <//>`}
      ${areas.length > 1 &&
      html`<${Field} label="Area">
        ${(p) => html`<select ...${p} class="select" value=${state.area || ''} onChange=${set('area')}>
          <option value="">All my areas</option>
          ${areas.map((a) => html`<option key=${a.id} value=${a.id}>${a.name || levelWords(a.id)}</option>`)}
        </select>`}
      <//>`}
      ${levels.length > 0 &&
      html`<${Field} label="Level">
        ${(p) => html`<select ...${p} class="select" value=${state.level || ''} onChange=${set('level')}>
          <option value="">Any level</option>
          ${levels.map((l) => html`<option key=${l.name} value=${l.name}>${levelWords(l.name)}</option>`)}
        </select>`}
      <//>`}
      <${Field} label="Severity">
        ${(p) => html`<select ...${p} class="select" value=${state.severity || ''} onChange=${set('severity')}>
          <option value="">Any severity</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>`}
      <//>
      <${Field} label="Assigned to">
        ${(p) => html`<select ...${p} class="select" value=${state.assignee || ''} onChange=${set('assignee')}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="unassigned">Unassigned</option>
        </select>`}
      <//>
      <div class="field field--check">
        <input id="filter-repeat" type="checkbox" class="checkbox" checked=${state.repeat === 'true'}
          onChange=${(e) => onChange({ repeat: e.currentTarget.checked ? 'true' : undefined })} />
        <label for="filter-repeat">Repeat customers only</label>
      </div>
      ${active > 0 &&
      html`<button type="button" class="button button--quiet filters-clear"
          onClick=${() => onChange(Object.fromEntries(FILTERS.map((k) => [k, undefined])))}>Clear filters</button>`}
    </form>`;
}

function QueueRow({ c, isNew, selected, onFocusRow }) {
  return html`
    <tr class="queue-row ${selected ? 'is-selected' : ''} ${isNew ? 'is-new' : ''}" data-case=${c.id}
        onFocusIn=${() => onFocusRow(c.id)}>
      <td class="col-ref" data-label="Reference">
        <${Link} href=${`/cases/${c.id}`} class=${c.reference ? 'case-link' : 'case-link case-link--words'}>${caseTitle(c)}<//>
        <span class="row-badges"><${CaseBadges} c=${c} isNew=${isNew} /></span>
      </td>
      <td class="col-type" data-label="Type">${typeName(c.type)}</td>
      <td class="col-store nowrap" data-label="Store">${c.store_id}</td>
      <td class="col-severity" data-label="Severity"><span class="severity severity--${c.severity}">${capitalise(c.severity)}</span></td>
      <td class="col-level" data-label="Level">${levelWords(c.level_name)}</td>
      <td class="col-assignee" data-label="Assignee">${c.assignee || html`<span class="muted">Unassigned</span>`}</td>
      <td class="col-sla" data-label="SLA"><${SlaClock} deadline=${nextDeadline(c)} opensAt=${c.opens_at} /></td>
    </tr>`;
}

export function QueuePage({ user, search, navigate }) {
  useTitle('Queue');
  const state = useMemo(() => readQuery(search), [search]);
  const key = queryString(state);
  const [rows, setRows] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [counts, setCounts] = useState(null);
  const [capped, setCapped] = useState([]);
  const [error, setError] = useState(null);
  const [moreError, setMoreError] = useState(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [newIds, setNewIds] = useState(() => new Set());
  // The selection follows a case, not a position: a new case above it does not move it.
  const [selectedId, setSelectedIdState] = useState(null);
  const selectedRef = useRef(null);
  const setSelectedId = useCallback((id) => {
    selectedRef.current = id;
    setSelectedIdState(id);
  }, []);
  const [attempt, setAttempt] = useState(0);
  const [pollError, setPollError] = useState(null);
  const [arrivals, setArrivals] = useState([]); // new cases since the page opened, newest first
  const searchRef = useRef(null);
  const tableRef = useRef(null);
  const baseline = useRef(0); // the highest case id seen under these filters
  const rowsRef = useRef(null);
  const loadingRef = useRef(false);
  rowsRef.current = rows;
  const searchError = searchProblem(state.q);

  const update = (change) => {
    const next = { ...state, ...change };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    navigate(queryString(next), { replace: true });
  };

  // First page whenever the tab or a filter changes.
  useEffect(() => {
    let gone = false;
    setRows(null);
    setError(null);
    setMoreError(null);
    setSelectedId(null);
    setNewIds(new Set());
    setArrivals([]);
    if (searchError) {
      setRows([]);
      setCounts(null);
      return undefined;
    }
    api('GET', withQuery('/api/v1/cases', { ...apiParams(state), limit: PAGE }))
      .then((r) => {
        if (gone) return;
        setRows(r.cases);
        setCursor(r.next_cursor);
        setCounts(r.counts);
        setCapped(r.counts_capped || []);
        baseline.current = r.cases.reduce((m, c) => Math.max(m, c.id), 0);
      })
      .catch((e) => {
        if (!gone) {
          setError(e);
          setRows([]);
        }
      });
    return () => {
      gone = true;
    };
  }, [key, attempt]);

  // Every 10 s: the loaded rows again, in the background.
  useEffect(() => {
    if (searchError) return undefined;
    let gone = false;
    const poll = async () => {
      const current = rowsRef.current;
      if (!current || document.hidden || loadingRef.current) return;
      const limit = Math.min(200, Math.max(PAGE, current.length));
      try {
        const r = await api('GET', withQuery('/api/v1/cases', { ...apiParams(state), limit }), null, { background: true });
        // Rows changed meanwhile ("Load more"): this answer is already out of date.
        if (gone || rowsRef.current !== current) return;
        setPollError(null);
        const fresh = r.cases;
        const freshIds = new Set(fresh.map((c) => c.id));
        const beyond = current.slice(limit).filter((c) => !freshIds.has(c.id));
        const known = new Set(current.map((c) => c.id));
        const arrived = fresh.filter((c) => !known.has(c.id) && c.id > baseline.current);
        baseline.current = fresh.reduce((m, c) => Math.max(m, c.id), baseline.current);
        setRows([...fresh, ...beyond]);
        if (current.length <= limit) setCursor(r.next_cursor);
        setCounts(r.counts);
        setCapped(r.counts_capped || []);
        if (arrived.length) {
          setNewIds((old) => new Set([...old, ...arrived.map((c) => c.id)]));
          setArrivals((old) => [...arrived.slice().reverse(), ...old]);
          announce(
            arrived.length === 1
              ? `New case: ${typeName(arrived[0].type)} ${caseTitle(arrived[0])}, store ${arrived[0].store_id}.`
              : `${arrived.length} new cases in the queue.`,
          );
        }
      } catch (e) {
        if (!gone && e.status !== 401) setPollError(e);
      }
    };
    const t = setInterval(poll, POLL_MS);
    return () => {
      gone = true;
      clearInterval(t);
    };
  }, [key]);

  const loadMore = async () => {
    loadingRef.current = true;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const r = await api('GET', withQuery('/api/v1/cases', { ...apiParams(state), limit: PAGE, cursor }));
      setRows((old) => {
        const ids = new Set(old.map((c) => c.id));
        return [...old, ...r.cases.filter((c) => !ids.has(c.id))];
      });
      setCursor(r.next_cursor);
      setCounts(r.counts);
      baseline.current = r.cases.reduce((m, c) => Math.max(m, c.id), baseline.current);
      announce(`${r.cases.length} more cases loaded.`);
    } catch (e) {
      setMoreError(e);
    } finally {
      loadingRef.current = false;
      setLoadingMore(false);
    }
  };

  // Keyboard: j/k and arrows move the selection (the focus goes to the row's link, so a
  // screen reader reads it), Enter opens, "/" searches.
  const focusRow = useCallback((id) => {
    const table = tableRef.current;
    if (!table) return;
    const link = table.querySelector(`tr[data-case="${id}"] .case-link`);
    if (link) {
      link.focus();
      link.closest('tr').scrollIntoView({ block: 'nearest' });
    }
  }, []);
  const showArrival = () => {
    const first = arrivals[0];
    if (first && (rowsRef.current || []).some((c) => c.id === first.id)) {
      setSelectedId(first.id);
      focusRow(first.id);
    }
  };

  useEffect(() => {
    const onKey = (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      const typing = t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));
      if (typing || document.querySelector('dialog[open]')) return;
      if (t && t.getAttribute && t.getAttribute('role') === 'tab' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) return;
      const list = rowsRef.current || [];
      if (e.key === '/') {
        e.preventDefault();
        if (searchRef.current) searchRef.current.focus();
        return;
      }
      if (!list.length) return;
      const s = list.findIndex((c) => c.id === selectedRef.current);
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        const n = list[Math.min(list.length - 1, s + 1)].id;
        setSelectedId(n);
        focusRow(n);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = list[Math.max(0, s - 1)].id;
        setSelectedId(n);
        focusRow(n);
      } else if (e.key === 'Enter' && !(t && t.closest && t.closest('a, button, input, select, textarea'))) {
        if (s >= 0) {
          e.preventDefault();
          navigate(`/cases/${list[s].id}`);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [focusRow, navigate, setSelectedId]);

  const tabName = statusName(state.status);
  return html`
    <div class="queue">
      <div class="page-head">
        <h1>Queue</h1>
        <p class="keys-hint muted">Keys: <kbd>j</kbd> <kbd>k</kbd> or arrows to move, <kbd>Enter</kbd> to open, <kbd>/</kbd> to search.</p>
      </div>
      <p class="page-sub">
        ${user.works_cases
          ? `Cases in ${scopePhrase(user.scope, user.areas)}; you work those at the ${levelWords(user.home_level_name).toLowerCase()} level and below.`
          : `Cases in ${scopePhrase(user.scope, user.areas)}, without contact details.`}
      </p>
      <${Tabs} status=${state.status} counts=${counts} capped=${capped} onSelect=${(s) => update({ status: s })} />
      <${Filters} state=${state} user=${user} onChange=${update} searchRef=${searchRef} searchError=${searchError} />
      <section id="queue-panel" role="tabpanel" aria-labelledby=${`tab-${state.status}`} class="queue-panel">
        <${ErrorBanner} error=${error} onRetry=${() => setAttempt((n) => n + 1)} />
        ${arrivals.length > 0 &&
        html`<div class="notice notice--new arrivals">
          <span class="arrivals-text"><strong>${arrivals.length === 1 ? '1 new case' : `${arrivals.length} new cases`}</strong> since you opened the queue:
            ${arrivals.slice(0, 4).map((c, i) => html`${i ? ', ' : ' '}<span class="mono">${caseTitle(c)}</span> (${typeName(c.type)}, ${c.store_id})`)}${arrivals.length > 4 ? ' …' : ''}</span>
          <span class="button-row">
            <button type="button" class="button button--small" onClick=${showArrival}>${arrivals.length === 1 ? 'Show the new case' : 'Show the newest case'}</button>
            <button type="button" class="button button--small button--quiet" onClick=${() => setArrivals([])}>Dismiss</button>
          </span>
        </div>`}
        ${pollError && html`<${ErrorBanner} compact error=${`Could not refresh the queue: ${pollError.message}`} />`}
        ${rows === null
          ? html`<${Spinner} label="Loading cases…" />`
          : rows.length === 0 && !error
            ? html`<p class="empty">${searchError ? 'Fix the search above to see cases.' : `No ${tabName.toLowerCase()} cases${FILTERS.some((k) => state[k]) ? ' match these filters' : ''}.`}</p>`
            : rows.length > 0 &&
              html`<table class="queue-table" ref=${tableRef}>
                <caption class="visually-hidden">${tabName} cases, next deadline first</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Type</th>
                    <th scope="col">Store</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Level</th>
                    <th scope="col">Assignee</th>
                    <th scope="col">Deadline</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (c) => html`<${QueueRow} key=${c.id} c=${c} isNew=${newIds.has(c.id)}
                      selected=${c.id === selectedId} onFocusRow=${setSelectedId} />`,
                  )}
                </tbody>
              </table>`}
        ${rows && rows.length > 0 &&
        html`<div class="queue-foot">
          <p class="muted">Showing ${rows.length.toLocaleString('en-GB')} of ${countText(counts, capped, state.status)}.</p>
          ${cursor && html`<button type="button" class="button" onClick=${loadMore} disabled=${loadingMore}>${loadingMore ? 'Loading…' : 'Load more'}</button>`}
          <${ErrorBanner} compact error=${moreError} />
        </div>`}
      </section>
    </div>`;
}
