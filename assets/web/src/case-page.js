// The case page (/cases/:id): the whole case on one page, for an agent who works from
// it all day. One request (GET /api/v1/cases/{id}) draws it all: the header (reference,
// type, store, status, level, assignee, badges), every deadline in words and colour,
// the actions this viewer may take (case-actions.js), what the customer said and
// scored, what the store offered and why it was escalated, the Consumer Rights Act
// result, adjustments and contact preferences, the timeline, linked cases, the
// customer's other complaints and the final responses sent. Contact details are not in
// the case: "Show contact details" asks for them (GET .../contact), which the server
// records in the audit trail and the case history. An action's answer is the changed
// case, so the page redraws from it without another request.
//
// The timeline is newest first: the start of the story (the customer's words, the
// store's offer, the escalation's rationale) has its own sections above it, so the
// timeline's job is "what happened since", and an agent coming back to a case finds
// the last contact and what it is waiting on at the top, however long the history.
// A toggle turns it round for reading the story from the start.
import { html, useEffect, useLayoutEffect, useRef, useState } from './html.js';
import { api } from './api.js';
import { Link } from './router.js';
import {
  capitalise,
  formatDate,
  formatDateTime,
  formatMoney,
  formatWorkingTime,
  levelWords,
  statusName,
  typeName,
} from './format.js';
import { Badge, ErrorBanner, SlaClock, Spinner, useTitle } from './ui.js';
import {
  CaseActions,
  LetterDialog,
  channelWords,
  contactOutcomeWords,
  contactParty,
  languageName,
  remedyWords,
  rootCauseWords,
} from './case-actions.js';

// ---- words for the record's names --------------------------------------------------

export const categoryWords = {
  faulty_goods: 'Faulty goods',
  not_as_described: 'Not as described',
  delivery: 'Delivery',
  pricing_billing: 'Pricing or billing',
  staff_conduct: 'Staff conduct',
  service: 'Service',
  store_environment: 'Store environment',
  accessibility: 'Accessibility',
  data_privacy: 'Data privacy',
  other: 'Other',
};
const moodWords = { calm: 'Calm', upset: 'Upset', angry: 'Angry', confused: 'Confused', demanding: 'Demanding' };
const wantedWords = {
  refund: 'A refund',
  replacement: 'A replacement',
  repair: 'A repair',
  apology: 'An apology',
  explanation: 'An explanation',
  compensation: 'Compensation',
  other: 'Something else',
};
const storeChannelWords = {
  face_to_face: 'Face to face',
  phone: 'Phone',
  email: 'Email',
  kiosk: 'Kiosk',
  letter: 'Letter',
  social: 'Social media',
};
const offerWords = { ...remedyWords, goodwill: 'Goodwill gesture', none: 'Nothing' };
const targetWords = {
  store_manager: 'The store manager',
  area_manager: 'The area manager',
  head_office: 'Head office',
  specialist: 'A specialist team',
};
const purchaseKindWords = { goods: 'Goods', digital: 'Digital content', service: 'A service' };
const entitlementWords = {
  short_term_reject: {
    title: 'Short-term right to reject',
    text: 'Within 30 days of buying faulty goods, the customer is entitled to a full refund.',
  },
  repair_or_replace: {
    title: 'Repair or replacement',
    text: 'After 30 days, the customer is entitled to one repair or replacement first.',
  },
  final_reject_or_reduce: {
    title: 'Final right to reject, or a price reduction',
    text: 'A repair or replacement has failed: the customer may reject the goods for a refund or keep them at a lower price.',
  },
  digital_repair: {
    title: 'Digital content: repair or replacement',
    text: 'Faulty digital content is repaired or replaced first, else the price is reduced.',
  },
  service_redo: {
    title: 'Service: repeat performance',
    text: 'A service not done with reasonable care is done again, else the price is reduced.',
  },
};
const formatWordsMap = { large_print: 'Large print', easy_read: 'Easy read', phone_not_writing: 'Phone rather than writing' };
const contactPrefWords = { phone: 'Phone', email: 'Email', letter: 'Letter' };

function words(map, key) {
  if (key === null || key === undefined || key === '') return '';
  return map[key] || capitalise(String(key).replace(/_/g, ' '));
}

function level(name) {
  return levelWords(name);
}

function who(actor, me) {
  if (!actor) return 'Unknown';
  if (actor === 'system') return 'Heed (automatic)';
  if (actor.startsWith('store:')) return `Store staff ${actor.slice(6)}`;
  if (me && actor === me) return `${actor} (you)`;
  return actor;
}

function caseTitle(c) {
  return `${typeName(c.type)} ${c.reference || `#${c.id}`}`;
}

const isAlert = (c) => c.type === 'alert';

function remediesText(list) {
  return (list || [])
    .map((r) => (r.amount_pence ? `${words(remedyWords, r.kind)} ${formatMoney(r.amount_pence)}` : words(remedyWords, r.kind)))
    .join(', ');
}

// ---- small pieces ---------------------------------------------------------------------

function Facts({ items }) {
  const shown = items.filter((i) => i && i.value !== null && i.value !== undefined && i.value !== '' && i.value !== false);
  if (!shown.length) return null;
  return html`<dl class="case-facts">
    ${shown.map((i) => html`<div class="case-fact" key=${i.label}><dt>${i.label}</dt><dd>${i.value}</dd></div>`)}
  </dl>`;
}

function Section({ title, id, children, className = '' }) {
  return html`<section class="case-section ${className}" aria-labelledby=${id}>
    <h2 class="case-section-title" id=${id}>${title}</h2>
    ${children}
  </section>`;
}

function CaseLink({ c, label }) {
  return html`<${Link} href=${`/cases/${c.id}`}>${label || caseTitle(c)}</${Link}>`;
}

function CaseLine({ c, me }) {
  return html`<li class="case-link-item">
    <${CaseLink} c=${c} />
    <span class="case-link-meta">${`${statusName(c.status)} · ${level(c.level_name)} level · opened ${formatDate(c.created_at)}${
      c.assignee ? ` · with ${c.assignee === me ? 'you' : c.assignee}` : ''
    }`}</span>
  </li>`;
}

// ---- the header ---------------------------------------------------------------------

function Header({ c, user }) {
  const paused = !!c.waiting_since;
  const repeat = (c.flags || []).includes('repeat');
  const escalated = (c.history || []).some((e) => e.action === 'escalate' || e.action === 'breach') ||
    !!(c.record && c.record.escalation && c.record.escalation.target !== 'store_manager');
  return html`
    <header class="case-header">
      <p class="case-crumbs"><${Link} href="/">Queue</${Link}> <span aria-hidden="true">›</span> Case ${c.id}</p>
      <h1 class="case-title">${typeName(c.type)} <span class="case-ref">${c.reference || `#${c.id}`}</span></h1>
      ${c.alert && html`<p class="case-alert-title">${c.alert.title}</p>`}
      <div class="case-badges">
        <${Badge} kind=${statusKind(c.status)}>${statusName(c.status)}<//>
        ${c.severity && html`<${Badge} kind=${c.severity === 'high' ? 'danger' : 'neutral'}>${capitalise(c.severity)} priority<//>`}
        ${escalated && html`<${Badge} kind="escalated">Escalated<//>`}
        ${repeat && html`<${Badge} kind="repeat">Repeat customer<//>`}
        ${paused && html`<${Badge} kind="paused">Paused<//>`}
      </div>
      <dl class="case-summary">
        <div><dt>Store</dt><dd>${c.store_id}</dd></div>
        <div><dt>Level</dt><dd>${level(c.level_name)}</dd></div>
        <div><dt>Assigned to</dt><dd>${c.assignee ? (c.assignee === user.username ? `${c.assignee} (you)` : c.assignee) : 'Nobody'}</dd></div>
        <div><dt>Opened</dt><dd>${formatDateTime(c.created_at)}</dd></div>
        ${c.touchpoint && html`<div><dt>Touchpoint</dt><dd>${words({}, c.touchpoint)}</dd></div>`}
      </dl>
    </header>`;
}

function statusKind(status) {
  return { breached: 'danger', awaiting_customer: 'paused', closed: 'ok', scheduled: 'info', open: 'info' }[status] || 'neutral';
}

// ---- deadlines ------------------------------------------------------------------------

/** The API's `deadlines`, or (from a server without them) the same built from the case's times. */
function deadlinesOf(c) {
  if (Array.isArray(c.deadlines)) return c.deadlines;
  const list = [];
  if (c.ack_due) list.push({ kind: 'acknowledge', due: c.ack_due, done_at: c.acknowledged_at, state: null, working_s_left: null });
  list.push({ kind: 'resolve', due: c.resolve_due, done_at: c.resolved_at, state: null, working_s_left: null });
  for (const d of list) {
    d.guess = true; // no working time left to show: the state alone, in words
    if (c.status === 'scheduled') d.state = 'scheduled';
    else if (d.done_at) d.state = d.done_at <= d.due ? 'met' : 'missed';
    else if (d.kind === 'resolve' && c.waiting_since) d.state = 'paused';
    else d.state = new Date(d.due) < new Date() ? 'breached' : 'on_track';
  }
  return list;
}

function Deadlines({ c }) {
  const list = deadlinesOf(c);
  return html`
    <section class="case-deadlines" aria-labelledby="case-deadlines-title">
      <h2 class="visually-hidden" id="case-deadlines-title">Deadlines</h2>
      <ul class="case-deadline-list">
        ${list.map(
          (d) => html`<li key=${d.kind} class="case-deadline case-deadline--${d.state}">
            <span class="case-deadline-kind">${d.kind === 'acknowledge' ? 'Acknowledge' : 'Resolve'}</span>
            ${d.guess && (d.state === 'on_track' || d.state === 'breached')
              ? html`<span class="sla sla--${d.state}"><span class="sla-words">${d.state === 'breached' ? 'Overdue' : 'Not due yet'}</span></span>`
              : html`<${SlaClock} deadline=${d} showKind=${false} showDue=${false} opensAt=${c.opens_at} />`}
            <span class="case-deadline-due">
              ${d.done_at
                ? `Done ${formatDateTime(d.done_at)} · due ${formatDateTime(d.due)}`
                : d.state === 'paused'
                  ? `Was due ${formatDateTime(d.due)}; moves on when the customer replies`
                  : `Due ${formatDateTime(d.due)}`}
            </span>
          </li>`,
        )}
        <li class="case-deadline case-deadline--clock">
          <span class="case-deadline-kind">Clock</span>
          <span class="case-deadline-due">
            Started ${formatDateTime(c.clock_start)}${c.opens_at
              ? ` · ${new Date(c.opens_at) > new Date() ? 'opens' : 'listed from'} ${formatDateTime(c.opens_at)}`
              : ''}
            ${c.waiting_since ? html`<br />Waiting for the customer since ${formatDateTime(c.waiting_since)}` : ''}
            ${c.paused_s > 0 ? html`<br />Paused ${formatWorkingTime(c.paused_s)} of working time so far` : ''}
          </span>
        </li>
      </ul>
    </section>`;
}

// ---- what the customer said -----------------------------------------------------------

function npsGroup(nps) {
  if (nps >= 9) return 'promoter';
  if (nps >= 7) return 'passive';
  return 'detractor';
}

function Scores({ r }) {
  if (r.csat === null && r.nps === null) return null;
  return html`<div class="case-scores">
    ${r.csat !== null && r.csat !== undefined &&
    html`<div class="case-score ${r.csat <= 2 ? 'case-score--low' : r.csat >= 4 ? 'case-score--high' : ''}">
      <span class="case-score-label">CSAT</span>
      <span class="case-score-value">${r.csat}<span class="case-score-of"> out of 5</span></span>
      <span class="case-score-words">${r.csat <= 2 ? 'Dissatisfied' : r.csat >= 4 ? 'Satisfied' : 'Neutral'}</span>
    </div>`}
    ${r.nps !== null && r.nps !== undefined &&
    html`<div class="case-score ${npsGroup(r.nps) === 'detractor' ? 'case-score--low' : npsGroup(r.nps) === 'promoter' ? 'case-score--high' : ''}">
      <span class="case-score-label">NPS</span>
      <span class="case-score-value">${r.nps}<span class="case-score-of"> out of 10</span></span>
      <span class="case-score-words">${capitalise(npsGroup(r.nps))}</span>
    </div>`}
  </div>`;
}

// An alert's answers: the window, its figures, and every answer it counted, oldest first.
function AlertAnswers({ c }) {
  const a = c.alert;
  if (!a) return null;
  const minutes = Math.round((Date.parse(a.window_end) - Date.parse(a.window_start)) / 60000);
  return html`<${Section} title="The answers behind this alert" id="case-alert" className="case-order-2">
    <p>${`${a.negative} of ${a.answers} answers were negative in the ${minutes} minutes from ${formatDateTime(a.window_start)} at ${a.store_name}.`}
      ${' Negative means a CSAT of 2 or less, or an NPS of 6 or less. Answers the kiosk flagged as misuse are not counted.'}</p>
    <div class="case-alert-scroll"><table class="data-table case-alert-answers">
      <caption class="visually-hidden">Answers counted by the alert</caption>
      <thead><tr><th scope="col">Given</th><th scope="col">CSAT</th><th scope="col">NPS</th><th scope="col">Where</th>
        <th scope="col">Negative?</th><th scope="col">Comment</th></tr></thead>
      <tbody>
        ${a.records.map((r) => html`<tr key=${r.id}>
          <td class="nowrap">${formatDateTime(r.created_at)}</td>
          <td>${r.csat ?? '—'}</td>
          <td>${r.nps ?? '—'}</td>
          <td>${words({}, r.touchpoint)}</td>
          <td>${r.negative ? 'Negative' : 'No'}</td>
          <td lang=${r.language || undefined}>${r.comment || html`<span class="case-muted">None</span>`}</td>
        </tr>`)}
      </tbody>
    </table></div>
  <//>`;
}

function CustomerWords({ c }) {
  if (isAlert(c)) return html`<${AlertAnswers} c=${c} />`;
  const r = c.record;
  if (!r) return html`<${Section} title="What the customer said" id="case-said" className="case-order-2"><p>The record behind this case is not stored.</p><//>`;
  if (r.type === 'feedback') {
    return html`<${Section} title="What the customer said" id="case-said" className="case-order-2">
      <${Scores} r=${r} />
      ${r.comment
        ? html`<blockquote class="case-quote" lang=${r.language || undefined}>${r.comment}</blockquote>`
        : html`<p class="case-muted">No comment left.</p>`}
      <${Facts} items=${[
        { label: 'Where', value: words({}, r.touchpoint) },
        { label: 'Language', value: languageName(r.language) },
        { label: 'Given', value: formatDateTime(r.created_at) },
        { label: 'Asked for', value: r.contact_on_file ? 'A call-back (consented to contact)' : '' },
        { label: 'Warning', value: r.suspected_misuse ? 'The kiosk suspected misuse (many answers quickly)' : '' },
      ]} />
    <//>`;
  }
  return html`<${Section} title="What the customer said" id="case-said" className="case-order-2">
    <blockquote class="case-quote">${r.description}</blockquote>
    <${Facts} items=${[
      { label: 'Wants', value: words(wantedWords, r.desired_outcome) },
      { label: 'Mood', value: words(moodWords, r.customer_mood) },
      { label: 'Category', value: words(categoryWords, r.category) },
      { label: 'Severity', value: capitalise(r.severity) },
      { label: 'Raised', value: `${formatDateTime(r.created_at)}, ${words(storeChannelWords, r.channel).toLowerCase()}` },
      { label: 'Where', value: words({}, r.touchpoint) },
      { label: 'Logged by', value: r.staff_id ? `Staff ${r.staff_id}, ${r.store_id}` : '' },
      {
        label: 'Purchase',
        value: r.purchase
          ? [
              words(purchaseKindWords, r.purchase.kind),
              r.purchase.date ? `bought ${formatDate(r.purchase.date)}` : '',
              r.purchase.amount_pence ? formatMoney(r.purchase.amount_pence) : '',
              r.purchase.order_ref ? `order ${r.purchase.order_ref}` : '',
            ]
              .filter(Boolean)
              .join(', ')
          : '',
      },
    ]} />
  <//>`;
}

// ---- at the store: the offer, first-contact resolution, the escalation ----------------

function AtTheStore({ c }) {
  const r = c.record;
  if (!r || r.type !== 'complaint') return null;
  const offered = (r.offered || []).map((o) =>
    o === 'goodwill' && r.goodwill_pence ? `${words(offerWords, o)} of ${formatMoney(r.goodwill_pence)}` : words(offerWords, o),
  );
  let accepted = '';
  if (r.resolved_first_contact && r.customer_accepted) accepted = 'Yes: resolved at first contact, the customer accepted';
  else if (r.customer_accepted === false) accepted = 'No: the customer refused what was offered';
  else accepted = 'Not resolved at the store';
  const e = r.escalation;
  return html`<${Section} title="At the store" id="case-store" className="case-order-4">
    <${Facts} items=${[
      { label: 'Offered', value: offered.length ? offered.join(', ') : 'Nothing recorded' },
      { label: 'Goodwill approved by', value: r.approved_by || '' },
      { label: 'Accepted?', value: accepted },
      { label: 'Referred to', value: e ? words(targetWords, e.target) : '' },
    ]} />
    ${e &&
    html`<div class="case-rationale">
      <h3 class="case-subtitle">Why it was escalated</h3>
      <blockquote class="case-quote case-quote--staff">${e.rationale}</blockquote>
      <p class="case-muted">${e.history_reviewed ? 'Staff reviewed the customer’s history before referring it.' : 'Staff did not say they reviewed the customer’s history.'}</p>
    </div>`}
  <//>`;
}

function ConsumerRights({ c }) {
  const r = c.record;
  if (!r || r.type !== 'complaint') return null;
  const cr = r.consumer_rights;
  if (!cr) {
    return html`<${Section} title="Consumer Rights Act" id="case-cra" className="case-order-5">
      <p class="case-muted">${r.purchase ? 'The tablet recorded no Consumer Rights Act result.' : 'No purchase was recorded, so no result applies.'}</p>
    <//>`;
  }
  const ent = entitlementWords[cr.entitlement] || { title: words({}, cr.entitlement), text: '' };
  return html`<${Section} title="Consumer Rights Act" id="case-cra" className="case-order-5">
    <p class="case-entitlement"><strong>${ent.title}.</strong> ${ent.text}</p>
    ${cr.offer_falls_short &&
    html`<p class="case-warning"><span aria-hidden="true">⚠ </span><strong>What was offered falls short of this
      entitlement.</strong></p>`}
    <${Facts} items=${[
      { label: 'Purchase', value: words(purchaseKindWords, cr.kind) },
      { label: 'Days since purchase', value: String(cr.days_since_purchase) },
      { label: 'Earlier repair or replacement', value: cr.repair_already_failed ? 'Failed already' : 'None failed' },
      {
        label: 'Burden of proof',
        value: cr.burden_on_trader
          ? 'On us: within six months a fault is presumed to have been there at delivery'
          : 'On the customer: after six months they show the fault was there at delivery',
      },
    ]} />
    <p class="case-muted">As the store's tablet showed it when the complaint was logged.</p>
  <//>`;
}

// ---- the customer: contact details, adjustments, other complaints --------------------

function ContactDetails({ c, onViewed }) {
  const [shown, setShown] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const customer = c.customer || {};
  useEffect(() => {
    setShown(null);
    setError(null);
  }, [c.id]);
  if (!customer.contact_on_file) return html`<p class="case-muted">The customer left no contact details.</p>`;
  if (!customer.can_view_contact)
    return html`<p class="case-muted">The customer left contact details. Only agents and managers who work this case see them.</p>`;
  const show = async () => {
    setBusy(true);
    setError(null);
    try {
      const details = await api('GET', `/api/v1/cases/${c.id}/contact`);
      setShown(details);
      onViewed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!shown) {
    return html`<div class="case-contact">
      <p class="case-muted">Contact details are hidden. Showing them is recorded in the case history and the audit trail.</p>
      <button type="button" class="button" onClick=${show} disabled=${busy}>${busy ? 'Loading…' : 'Show contact details'}</button>
      <${ErrorBanner} error=${error} compact=${true} />
    </div>`;
  }
  return html`<div class="case-contact case-contact--shown">
    <${Facts} items=${[
      { label: 'Name', value: shown.name || '' },
      { label: 'Phone', value: shown.phone ? html`<a href=${`tel:${shown.phone.replace(/\s+/g, '')}`}>${shown.phone}</a>` : '' },
      { label: 'Email', value: shown.email ? html`<a href=${`mailto:${shown.email}`}>${shown.email}</a>` : '' },
      { label: 'Address', value: shown.address || '' },
      { label: 'Consent', value: shown.consent ? `Given (privacy notice ${shown.notice_version})` : 'Not given' },
    ]} />
    <p class="case-notice" role="status">Your view was recorded at ${formatDateTime(shown.viewed_at)}.</p>
    <button type="button" class="button button--small" onClick=${() => setShown(null)}>Hide contact details</button>
  </div>`;
}

function Adjustments({ c }) {
  const a = c.record && c.record.adjustments;
  if (!a) return html`<p class="case-muted">No adjustments or contact preferences recorded.</p>`;
  return html`<${Facts} items=${[
    { label: 'Contact by', value: words(contactPrefWords, a.contact_channel) },
    { label: 'Best time', value: a.best_time || '' },
    { label: 'Language', value: a.language ? languageName(a.language) : '' },
    { label: 'Formats', value: (a.formats || []).map((f) => words(formatWordsMap, f)).join(', ') },
    { label: 'Adjustment', value: a.note || '' },
  ]} />`;
}

function Customer({ c, onViewed }) {
  return html`<${Section} title="Customer" id="case-customer" className="case-order-3">
    <${ContactDetails} c=${c} onViewed=${onViewed} />
    <h3 class="case-subtitle">Adjustments and contact preferences</h3>
    <${Adjustments} c=${c} />
  <//>`;
}

function OtherComplaints({ c, user }) {
  const customer = c.customer || {};
  const complaints = customer.complaints || [];
  const cases = customer.cases || [];
  const follows = c.follows;
  const followedBy = c.followed_by || [];
  const caseOfRecord = (recordId) => cases.find((x) => x.record_id === recordId);
  return html`<${Section} title="Linked cases and history" id="case-linked" className="case-order-8">
    ${follows &&
    html`<h3 class="case-subtitle">This case follows</h3>
      <ul class="case-links"><${CaseLine} c=${follows} me=${user.username} /></ul>`}
    ${followedBy.length > 0 &&
    html`<h3 class="case-subtitle">Followed by</h3>
      <ul class="case-links">${followedBy.map((f) => html`<${CaseLine} key=${f.id} c=${f} me=${user.username} />`)}</ul>`}
    <h3 class="case-subtitle">The customer's other complaints</h3>
    ${complaints.length
      ? html`<ul class="case-links">
          ${complaints.map((k) => {
            const linked = caseOfRecord(k.id);
            const label = `${k.reference || 'Complaint'} · ${words(categoryWords, k.category)}`;
            return html`<li class="case-link-item" key=${k.id}>
              ${linked ? html`<${CaseLink} c=${linked} label=${label} />` : html`<span>${label}</span>`}
              <span class="case-link-meta">${`${formatDate(k.created_at)} at ${k.store_id} · ${
                k.resolved_first_contact && k.customer_accepted
                  ? 'resolved at the store'
                  : k.escalation_target
                    ? `referred to ${words(targetWords, k.escalation_target).toLowerCase()}`
                    : 'not resolved at the store'
              }`}</span>
            </li>`;
          })}
        </ul>`
      : html`<p class="case-muted">${customer.contact_on_file ? 'None in your stores.' : 'Not known: no contact details to match on.'}</p>`}
    <h3 class="case-subtitle">The customer's other cases</h3>
    ${cases.length
      ? html`<ul class="case-links">${cases.map((x) => html`<${CaseLine} key=${x.id} c=${x} me=${user.username} />`)}</ul>`
      : html`<p class="case-muted">${customer.contact_on_file ? 'None in your stores.' : 'Not known: no contact details to match on.'}</p>`}
  <//>`;
}

// ---- the resolution and its letters --------------------------------------------------

function Resolution({ c }) {
  if (!c.resolved_at && c.satisfied === null) return null;
  return html`<${Section} title="Resolution" id="case-resolution" className="case-order-1">
    <${Facts} items=${[
      { label: 'Resolved', value: c.resolved_at ? formatDateTime(c.resolved_at) : '' },
      { label: 'Outcome', value: c.outcome || '' },
      { label: 'Remedies', value: remediesText(c.remedies) },
      { label: 'Root cause', value: words(rootCauseWords, c.root_cause) },
      {
        label: 'Customer satisfied?',
        value: c.satisfied === true ? 'Yes' : c.satisfied === false ? 'No' : '',
      },
    ]} />
  <//>`;
}

function FinalResponses({ c }) {
  const [viewing, setViewing] = useState(null);
  const letters = c.final_responses || [];
  if (c.type !== 'complaint' && !letters.length) return null;
  const canRead = c.customer && c.customer.can_view_contact;
  return html`<${Section} title="Final responses" id="case-letters" className="case-order-6">
    ${letters.length
      ? html`<ul class="case-letters">
          ${letters.map(
            (l) => html`<li key=${l.id} class="case-letter-item">
              <span>Sent ${formatDateTime(l.created_at)} by ${l.author}, in ${languageName(l.language)}</span>
              ${canRead &&
              html`<button type="button" class="button button--small" aria-haspopup="dialog"
                           onClick=${() => setViewing(l)}>View letter<span class="visually-hidden"> sent ${formatDateTime(l.created_at)}</span></button>`}
            </li>`,
          )}
        </ul>`
      : html`<p class="case-muted">None yet. Resolving the complaint writes its final response.</p>`}
    ${viewing && html`<${LetterDialog} c=${c} letter=${viewing} onClose=${() => setViewing(null)} />`}
  <//>`;
}

// ---- the timeline ----------------------------------------------------------------------

function detailLines(e, party) {
  const d = e.detail || {};
  const lines = [];
  let what = capitalise(String(e.action || '').replace(/_/g, ' '));
  switch (e.action) {
    case 'opened':
      what = `Opened as ${d.type === 'alert' ? 'an' : 'a'} ${typeName(d.type || '').toLowerCase()} at the ${level(d.level_name).toLowerCase()} level`;
      if (d.severity) lines.push(`${capitalise(d.severity)} priority${d.repeat ? ', repeat customer' : ''}`);
      if (d.escalation) lines.push(`Referred by the store to ${words(targetWords, d.escalation.target).toLowerCase()}: “${d.escalation.rationale}”`);
      if (d.why === 'follow_up_not_satisfied') lines.push('The customer was not satisfied at the follow-up.');
      if (d.opens_at) lines.push(`Listed from ${formatDateTime(d.opens_at)}`);
      break;
    case 'store_update':
      what = 'Note from the store';
      break;
    case 'acknowledge':
      what = 'Acknowledged';
      break;
    case 'assign':
      what = `Assigned to ${d.assignee}`;
      if (d.previous) lines.push(`Was with ${d.previous}`);
      break;
    case 'unassign':
      what = `Unassigned${d.previous ? ` (was with ${d.previous})` : ''}`;
      break;
    case 'note':
      what = 'Note';
      break;
    case 'escalate':
      what = `Escalated from ${level(d.from).toLowerCase()} to ${level(d.to).toLowerCase()}`;
      if (d.reason) lines.push(`Reason: ${d.reason}`);
      if (d.previous_assignee) lines.push(`Unassigned from ${d.previous_assignee}`);
      break;
    case 'contact':
      what = `${words(channelWords, d.channel)}, ${d.direction === 'inbound' ? 'from' : 'to'} the ${party}: ${words(contactOutcomeWords(party), d.outcome).toLowerCase()}`;
      if (d.summary) lines.push(d.summary);
      if (d.acknowledges) lines.push('This acknowledged the case.');
      if (d.wait) lines.push(`The customer replied: the clock runs again (waited ${formatWorkingTime(d.wait.waited_s)}).`);
      break;
    case 'wait_for_customer':
      what = 'Waiting for the customer: resolution clock paused';
      if (d.resolve_left_s !== undefined) lines.push(`${formatWorkingTime(d.resolve_left_s)} of working time was left`);
      break;
    case 'customer_replied':
      what = 'Customer replied: resolution clock running again';
      if (d.waited_s !== undefined) lines.push(`Waited ${formatWorkingTime(d.waited_s)} of working time; now due ${formatDateTime(d.resolve_due)}`);
      break;
    case 'resolve':
      what = 'Resolved';
      if (d.outcome) lines.push(`Outcome: ${d.outcome}`);
      if (d.remedies) lines.push(`Remedies: ${remediesText(d.remedies)}`);
      if (d.root_cause) lines.push(`Root cause: ${words(rootCauseWords, d.root_cause)}`);
      if (d.follow_up_on) lines.push(`Follow-up check on ${formatDate(d.follow_up_on)}`);
      break;
    case 'close_follow_up':
      what = `Follow-up closed: customer ${d.satisfied ? 'satisfied' : 'not satisfied'}`;
      if (d.reopens_case_id) lines.push(`Reopened case ${d.reopens_case_id} a level up`);
      if (d.opens === 'complaint') lines.push('Opened a complaint case above the store');
      break;
    case 'reopen':
      what = 'Reopened';
      if (d.why === 'follow_up_not_satisfied') lines.push('The customer was not satisfied at the follow-up.');
      if (d.from && d.to && d.from !== d.to) lines.push(`Moved from ${level(d.from).toLowerCase()} to ${level(d.to).toLowerCase()}`);
      if (d.resolve_due) lines.push(`New resolution deadline ${formatDateTime(d.resolve_due)}`);
      break;
    case 'breach':
      what = `Missed the ${d.deadline === 'acknowledge' ? 'acknowledgement' : 'resolution'} deadline`;
      if (d.due) lines.push(`Was due ${formatDateTime(d.due)}`);
      if (d.level_from && d.level_to && d.level_from !== d.level_to)
        lines.push(`Escalated from ${level(d.level_from).toLowerCase()} to ${level(d.level_to).toLowerCase()}`);
      break;
    case 'contact_viewed':
      what = 'Viewed the contact details';
      break;
    default:
      break;
  }
  return { what, lines, note: d.note };
}

// Decorative (aria-hidden), and every one in the fonts a browser has at hand: a glyph
// no font has (the full-width ＋ once here) draws as a box and costs each new page a
// search through every font on the machine before its first layout.
const actionIcons = {
  opened: '+',
  contact: '☎',
  note: '✎',
  store_update: '✎',
  escalate: '▲',
  breach: '!',
  resolve: '✓',
  close_follow_up: '✓',
  reopen: '↺',
  wait_for_customer: '❚❚',
  customer_replied: '▶',
  contact_viewed: '◉',
  acknowledge: '✓',
  assign: '→',
  unassign: '←',
};

function Timeline({ c, user }) {
  const [oldestFirst, setOldestFirst] = useState(false);
  const events = [...(c.history || [])].sort((a, b) => (a.at === b.at ? a.id - b.id : a.at < b.at ? -1 : 1));
  if (!oldestFirst) events.reverse();
  return html`<${Section} title="Timeline" id="case-timeline" className="case-order-7">
    <div class="case-timeline-tools">
      <p class="case-muted">${events.length} ${events.length === 1 ? 'entry' : 'entries'}, ${oldestFirst ? 'oldest' : 'newest'} first.</p>
      <button type="button" class="button button--small" aria-pressed=${oldestFirst ? 'true' : 'false'}
              onClick=${() => setOldestFirst(!oldestFirst)}>Oldest first</button>
    </div>
    <ol class="case-timeline">
      ${events.map((e) => {
        const { what, lines, note } = detailLines(e, contactParty(c));
        return html`<li key=${e.id} class="case-event case-event--${e.action}">
          <span class="case-event-icon" aria-hidden="true">${actionIcons[e.action] || '•'}</span>
          <div class="case-event-body">
            <p class="case-event-head">
              <strong class="case-event-what">${what}</strong>
              <span class="case-event-meta">${who(e.actor, user.username)} · <time datetime=${e.at}>${formatDateTime(e.at)}</time></span>
            </p>
            ${lines.map((l, i) => html`<p class="case-event-line" key=${i}>${l}</p>`)}
            ${note && html`<p class="case-event-note">${note}</p>`}
          </div>
        </li>`;
      })}
    </ol>
  <//>`;
}

// ---- the page ------------------------------------------------------------------------

export function CasePage({ id, user, navigate }) {
  const [state, setState] = useState({ loading: true, c: null, error: null });
  const [message, setMessage] = useState(null);
  // Only the latest request or action draws the case: an answer overtaken by a newer one is dropped.
  const latest = useRef(0);
  const load = async (quiet = false, background = false) => {
    const mine = ++latest.current;
    if (!quiet) setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const c = await api('GET', `/api/v1/cases/${encodeURIComponent(id)}`, undefined, { background });
      if (mine === latest.current) setState({ loading: false, c, error: null });
    } catch (e) {
      if (mine === latest.current) setState((s) => ({ loading: false, c: quiet ? s.c : null, error: e }));
    }
  };
  // A layout effect: the request (or the answer prefetched with /me) is taken before
  // the spinner's frame is painted, not after it.
  useLayoutEffect(() => {
    setMessage(null);
    load();
    // A page open all day keeps its clocks and history current: a quiet refresh each
    // minute while the tab is visible, as a background request (not activity).
    const timer = setInterval(() => {
      if (!document.hidden) load(true, true);
    }, 60_000);
    return () => clearInterval(timer);
  }, [id]);
  const c = state.c && String(state.c.id) === String(id) ? state.c : null;
  useTitle(c ? caseTitle(c) : state.error ? 'Case not found' : 'Case');

  if (!c && state.loading) return html`<${Spinner} label="Loading the case…" />`;
  if (!c) {
    const missing = state.error && state.error.status === 404;
    return html`
      <h1>${missing ? 'Case not found' : 'The case could not be loaded'}</h1>
      ${missing
        ? html`<p>There is no case ${id} in your stores. <${Link} href="/">Back to the queue</${Link}>.</p>`
        : html`<${ErrorBanner} error=${state.error} onRetry=${() => load()} />`}`;
  }

  const changed = (next, text) => {
    latest.current++;
    setState({ loading: false, c: next, error: null });
    setMessage(text);
  };
  const u = user || {};
  return html`
    <div class="case-page">
      <${Header} c=${c} user=${u} />
      <${Deadlines} c=${c} />
      <div class="case-toolbar">
        <${CaseActions} c=${c} user=${u} onChanged=${changed} />
      </div>
      ${c.type === 'follow_up' && !c.resolved_at &&
      html`<p class="case-notice case-hint">${'A follow-up check: ask the customer whether they are still satisfied with how '}${c.follows_case_id
        ? html`<${Link} href=${`/cases/${c.follows_case_id}`}>case ${c.follows_case_id}</${Link}>`
        : 'the store'}${c.follows_case_id ? ' was resolved' : ' resolved their complaint'}${', then close the follow-up. “Not satisfied” takes it a level up.'}</p>`}
      <p class="case-message" role="status">${message
        ? html`<span class="case-message-text"><span aria-hidden="true">✓ </span>${message}</span>`
        : null}</p>
      ${state.error && html`<${ErrorBanner} error=${state.error} onRetry=${() => load(true)} compact=${true} />`}
      <div class="case-columns">
        <div class="case-main">
          <${Resolution} c=${c} />
          <${CustomerWords} c=${c} />
          <${AtTheStore} c=${c} />
          <${ConsumerRights} c=${c} />
          <${Timeline} c=${c} user=${u} />
        </div>
        <div class="case-side">
          ${!isAlert(c) && html`<${Customer} c=${c} onViewed=${() => load(true)} />`}
          <${FinalResponses} c=${c} />
          ${!isAlert(c) && html`<${OtherComplaints} c=${c} user=${u} />`}
        </div>
      </div>
    </div>`;
}
