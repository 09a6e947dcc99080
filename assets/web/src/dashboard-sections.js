// The dashboard's sections beside the KPIs (issue 15), each owning its state: the
// staff view (managers and admins: complaints each staff member logged, resolved at
// first contact and escalated, for coaching: by store and staff ID, never ranked,
// with sample sizes and a flag in words when a share rests on too few); what
// customers said (their kiosk comments, newest first, detractors only on request,
// a page at a time); devices at a glance (silent ones, the longest queues, the
// last errors); the email digest a user chooses for themself; and the downloads
// for the period (records and cases as CSV, the printable report).
import { html, useEffect, useState } from './html.js';
import { api, withQuery } from './api.js';
import { Link } from './router.js';
import { Badge, ErrorBanner, Field, Spinner, announce, useApi } from './ui.js';
import { formatAge, formatAgo, formatDateTime } from './format.js';

/** Whether a role sees the staff view and the downloads (the API answers 403 to agents). */
export const seesStaff = (user) => user.role === 'manager' || user.role === 'admin';

const pct = (n) => `${n.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;

// ---- staff ----------------------------------------------------------------------------

function Share({ part, whole, value, small }) {
  const count = `${part.toLocaleString('en-GB')} of ${whole.toLocaleString('en-GB')}`;
  if (whole === 0) return '—';
  return html`${count}${small
    ? html` <span class="badge badge--neutral">Too few for a share</span>`
    : html` <span class="staff-share">(${pct(value)})</span>`}`;
}

/** Above this many stores in scope, the staff view shows one store at a time. */
const STAFF_STORES_AT_ONCE = 20;

export function StaffView({ query, user }) {
  // Coaching happens store by store: a chain's every staff member at once would be
  // thousands of rows nobody reads, and the dashboard's heaviest answer.
  const stores = user.stores || [];
  const oneAtATime = stores.length > STAFF_STORES_AT_ONCE;
  const [store, setStore] = useState('');
  const state = useApi(oneAtATime && !store ? null : withQuery('/api/v1/kpis/staff', { ...query, store_id: store }));
  const picker = stores.length > 1
    ? html`<div class="section-tools">
        <${Field} label="Store">
          ${(f) => html`<select ...${f} class="select" value=${store} onChange=${(e) => setStore(e.currentTarget.value)}>
            <option value="">${oneAtATime ? 'Choose a store' : 'All your stores'}</option>
            ${stores.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
          </select>`}
        <//>
      </div>`
    : null;
  if (oneAtATime && !store)
    return html`${picker}<p class="empty">Choose one of your ${stores.length.toLocaleString('en-GB')} stores to see its staff's figures.</p>`;
  if (state.error) return html`${picker}<${ErrorBanner} error=${state.error} compact />`;
  if (!state.data) return html`${picker}<${Spinner} label="Loading the staff figures…" />`;
  const { staff, min_sample: min } = state.data;
  if (!staff.length) return html`${picker}<p class="empty">No complaints were logged ${store ? `at ${store}` : 'at your stores'} in this period.</p>`;
  return html`
    ${picker}
    <table class="data-table staff-table">
      <caption class="visually-hidden">Complaints each staff member logged, by store and staff ID</caption>
      <thead><tr><th scope="col">Store</th><th scope="col">Staff ID</th><th scope="col">Complaints logged</th>
        <th scope="col">Resolved at first contact</th><th scope="col">Escalated</th></tr></thead>
      <tbody>
        ${staff.map((s) => html`<tr key=${`${s.store_id}/${s.staff_id}`}>
          <td>${s.store_id}</td>
          <th scope="row">${s.staff_id}</th>
          <td>${s.complaints.toLocaleString('en-GB')}</td>
          <td><${Share} part=${s.resolved_first_contact} whole=${s.complaints} value=${s.fcr_pct} small=${s.small_sample} /></td>
          <td><${Share} part=${s.escalated} whole=${s.complaints} value=${s.escalated_pct} small=${s.small_sample} /></td>
        </tr>`)}
      </tbody>
    </table>
    <p class="dash-note">For coaching conversations, not a league: listed by store and staff ID, never ranked.
      A share from fewer than ${min} complaints is not given: it would mean little.</p>`;
}

// ---- comments ---------------------------------------------------------------------------

const touchpointWords = (t) => (t ? t.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : '');

function Scores({ c }) {
  const parts = [];
  if (c.nps !== null) {
    const kind = c.nps <= 6 ? 'detractor' : c.nps <= 8 ? 'passive' : 'promoter';
    parts.push(html`<span key="nps">Likely to recommend: ${c.nps} of 10
      ${kind === 'detractor' ? html` <span class="badge badge--warn">Detractor</span>` : ` (${kind})`}</span>`);
  }
  if (c.csat !== null) parts.push(html`<span key="csat">Satisfaction: ${c.csat} of 5</span>`);
  return parts;
}

export function Comments({ query, user }) {
  const [detractors, setDetractors] = useState(false);
  const [store, setStore] = useState('');
  const [pages, setPages] = useState([]);
  const [next, setNext] = useState(null);
  const [more, setMore] = useState({});
  const path = withQuery('/api/v1/comments', { ...query, store_id: store, detractors: detractors ? 'true' : '', limit: 10 });
  const first = useApi(path);
  useEffect(() => {
    setPages([]);
    setNext(first.data ? first.data.next_before : null);
  }, [first.data]);
  const older = async () => {
    setMore({ busy: true });
    try {
      const page = await api('GET', `${path}${path.includes('?') ? '&' : '?'}before=${encodeURIComponent(next)}`);
      setPages((p) => [...p, ...page.comments]);
      setNext(page.next_before);
      setMore({});
      announce(`${page.comments.length} older comments shown.`);
    } catch (error) {
      setMore({ error });
    }
  };
  const stores = user.stores || [];
  const list = first.data ? [...first.data.comments, ...pages] : [];
  return html`
    <div class="section-tools">
      ${stores.length > 1
        ? html`<${Field} label="Store">
            ${(f) => html`<select ...${f} class="select" value=${store} onChange=${(e) => setStore(e.currentTarget.value)}>
              <option value="">All your stores</option>
              ${stores.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
            </select>`}
          <//>`
        : null}
      <div class="field field--check comments-filter">
        <input type="checkbox" class="checkbox" id="comments-detractors" checked=${detractors}
          onChange=${(e) => setDetractors(e.currentTarget.checked)} />
        <label for="comments-detractors">Detractors only (likely to recommend 0 to 6)</label>
      </div>
    </div>
    ${first.error ? html`<${ErrorBanner} error=${first.error} compact />` : null}
    ${!first.data && !first.error ? html`<${Spinner} label="Loading comments…" />` : null}
    ${first.data && !list.length ? html`<p class="empty">No customer left a comment${detractors ? ' with a score of 6 or less' : ''} in this period.</p>` : null}
    ${list.length
      ? html`<ol class="comments">
          ${list.map((c) => html`<li key=${c.id} class="comment">
            <blockquote class="comment-text" lang=${c.language || undefined}>${c.comment}</blockquote>
            <p class="comment-meta">
              <span>${c.store_id}${c.area ? `, ${c.area}` : ''}</span>
              <span>${formatDateTime(c.created_at)}</span>
              ${c.touchpoint ? html`<span>${touchpointWords(c.touchpoint)}</span>` : null}
              <${Scores} c=${c} />
              ${c.suspected_misuse ? html`<span class="badge badge--neutral">Possibly not genuine</span>` : null}
            </p>
          </li>`)}
        </ol>`
      : null}
    ${more.error ? html`<${ErrorBanner} error=${more.error} compact />` : null}
    ${next
      ? html`<button type="button" class="button" onClick=${older} disabled=${more.busy}>
          ${more.busy ? 'Loading…' : 'Show older comments'}</button>`
      : null}
    <p class="dash-note">Only what customers typed at the kiosk. An email address or phone number in a comment is removed.</p>`;
}

// ---- devices ------------------------------------------------------------------------------

export function DevicesGlance({ user }) {
  const state = useApi('/api/v1/devices');
  if (state.error) return html`<${ErrorBanner} error=${state.error} compact />`;
  if (!state.data) return html`<${Spinner} label="Loading the devices…" />`;
  const live = state.data.devices.filter((d) => !d.revoked);
  const silent = live.filter((d) => d.silent).slice(0, 3);
  const queues = live
    .filter((d) => d.heartbeat && d.heartbeat.queue_length > 0)
    .sort((a, b) => b.heartbeat.queue_length - a.heartbeat.queue_length)
    .slice(0, 3);
  const errors = live
    .filter((d) => d.heartbeat && d.heartbeat.last_error)
    .sort((a, b) => b.heartbeat.received_at.localeCompare(a.heartbeat.received_at))
    .slice(0, 3);
  const name = (d) => `${d.name} (${d.store_id})`;
  const seesPage = user.role === 'admin' || user.role === 'manager';
  return html`
    <div class="glance">
      <div class="glance-part">
        <h3>Silent devices</h3>
        ${silent.length
          ? html`<ul>${silent.map((d) => html`<li key=${d.device_id}><strong>${name(d)}</strong>: <${Badge} kind="danger">Silent<//> no report for ${formatAge((Date.now() - new Date(d.last_seen_at || d.enrolled_at).getTime()) / 1000)}</li>`)}</ul>`
          : html`<p>None: every device has reported within ${formatAge(state.data.silent_after_s)}.</p>`}
      </div>
      <div class="glance-part">
        <h3>Longest queues</h3>
        ${queues.length
          ? html`<ul>${queues.map((d) => html`<li key=${d.device_id}><strong>${name(d)}</strong>: ${d.heartbeat.queue_length.toLocaleString('en-GB')} waiting to send${d.heartbeat.oldest_pending_age_s !== null
                ? `, oldest ${formatAge(d.heartbeat.oldest_pending_age_s)}`
                : ''}</li>`)}</ul>`
          : html`<p>None: no device has records waiting to send.</p>`}
      </div>
      <div class="glance-part">
        <h3>Last errors</h3>
        ${errors.length
          ? html`<ul>${errors.map((d) => html`<li key=${d.device_id}><strong>${name(d)}</strong>, reported ${formatAgo(d.heartbeat.received_at)}: <span class="glance-error">${d.heartbeat.last_error}</span></li>`)}</ul>`
          : html`<p>None reported.</p>`}
      </div>
    </div>
    ${seesPage ? html`<p class="dash-note"><${Link} href="/admin/devices">All devices<//></p>` : null}`;
}

// ---- digest and downloads -------------------------------------------------------------------

const DIGESTS = [
  { key: 'none', label: 'Off' },
  { key: 'daily', label: 'Daily, after each day' },
  { key: 'weekly', label: 'Weekly, after each Monday to Sunday week' },
];

export function DigestSettings({ user }) {
  const [saved, setSaved] = useState(user.digest || 'none');
  const [choice, setChoice] = useState(user.digest || 'none');
  const [state, setState] = useState({});
  if (!user.email)
    return html`<p>The digest is emailed, and you have no email address yet. Ask an admin to add one to your account.</p>`;
  const submit = async (e) => {
    e.preventDefault();
    setState({ busy: true });
    try {
      const me = await api('PATCH', '/api/v1/me', { digest: choice });
      setSaved(me.digest);
      setState({ done: true });
      announce('Digest setting saved.');
    } catch (error) {
      setState({ error });
    }
  };
  return html`
    <form class="digest-form" onSubmit=${submit} aria-label="Email digest">
      <fieldset class="fieldset">
        <legend>Email me the KPI digest for my stores</legend>
        <p class="field-hint">It goes to ${user.email}.</p>
        <div class="choice-list">
          ${DIGESTS.map((d) => html`<label key=${d.key} class="choice">
            <input type="radio" class="radio" name="digest" value=${d.key} checked=${choice === d.key}
              onChange=${() => setChoice(d.key)} /> ${d.label}</label>`)}
        </div>
      </fieldset>
      ${state.error ? html`<${ErrorBanner} error=${state.error} compact />` : null}
      <div class="digest-actions">
        <button type="submit" class="button button--primary" disabled=${state.busy || choice === saved}>Save</button>
        <span class="dash-note" role="status">${state.done && choice === saved
          ? `Saved: ${saved === 'none' ? 'no digest' : `the ${saved} digest`}.`
          : ''}</span>
      </div>
    </form>`;
}

export function Downloads({ query, user }) {
  return html`
    <ul class="downloads">
      ${seesStaff(user)
        ? html`
          <li><a href=${withQuery('/api/v1/export/records.csv', query)} download>Download the records for this period (CSV)</a></li>
          <li><a href=${withQuery('/api/v1/export/cases.csv', query)} download>Download the cases raised in this period (CSV)</a></li>`
        : null}
      <li><a href="/api/v1/report?period=week" target="_blank" rel="noopener">Printable report for last week<span class="visually-hidden"> (opens in a new tab)</span></a></li>
    </ul>
    ${seesStaff(user) ? html`<p class="dash-note">The CSV files hold no contact details. Each download is recorded in the audit trail.</p>` : null}`;
}
