// The case page's actions: one button for each action the API allows this viewer
// (the case JSON's `actions`), each opening an accessible dialog (ui.js Dialog) that
// checks its fields in words before sending, shows the API's field errors by the
// field, and hands the changed case (the action's answer) back to the page. Resolving
// a complaint shows its final-response letter (POST .../final-response/preview, nothing
// stored) before the resolution saves it. Letters, previewed or saved, print on their
// own: a copy sits in #heed-print-letter, outside the app, and case.css's print rules
// show only that copy. Money is typed in pounds and sent in pence.
import { html, useEffect, useId, useLayoutEffect, useRef, useState } from './html.js';
import { api } from './api.js';
import { formatDateTime, formatMoney, levelWords } from './format.js';
import { Dialog, ErrorBanner, Field, Spinner } from './ui.js';

// ---- words for the API's names ------------------------------------------------------

export const remedyWords = {
  refund: 'Refund',
  replacement: 'Replacement',
  repair: 'Repair',
  price_reduction: 'Price reduction',
  goodwill: 'Goodwill payment',
  apology: 'Apology',
  explanation: 'Explanation',
  none: 'Nothing',
};
const remedyKinds = Object.keys(remedyWords);
const remediesWithAmount = { refund: 'optional', price_reduction: 'optional', goodwill: 'required' };

export const rootCauseWords = {
  product_quality: 'Product quality',
  supplier: 'Supplier',
  process: 'Process',
  staff_training: 'Staff training',
  communication: 'Communication',
  stock_availability: 'Stock availability',
  pricing_error: 'Pricing error',
  delivery_partner: 'Delivery partner',
  store_environment: 'Store environment',
  system_fault: 'System fault',
  customer_expectation: 'Customer expectation',
};

export const channelWords = { phone: 'Phone', email: 'Email', letter: 'Letter', sms: 'Text message', in_store: 'In store' };
/** Who head office contacts about a case: the customer, or for a store alert the store. */
export const contactParty = (c) => (c.type === 'alert' ? 'store' : 'customer');
export const directionWords = (party) => ({ outbound: `We contacted the ${party}`, inbound: `The ${party} contacted us` });
export const contactOutcomeWords = (party) => ({ reached: `Reached the ${party}`, no_answer: 'No answer', left_message: 'Left a message' });
export const languageWords = { en: 'English', cy: 'Welsh', pl: 'Polish' };

export function languageName(code) {
  return languageWords[code] || code || '';
}

// ---- money --------------------------------------------------------------------------

const maxPence = 10_000_000; // £100,000, as the server allows

/** "29.99", "£29.99", "1,000" → {pence} or {error} in words. */
export function parsePounds(text) {
  const t = String(text || '').trim().replace(/^£/, '').replace(/,/g, '').trim();
  if (!t) return { error: 'Enter the amount in pounds, for example 29.99' };
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return { error: 'Enter pounds and pence as a number, for example 29.99' };
  const [pounds, pence = ''] = t.split('.');
  const value = Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
  if (value < 1) return { error: 'The amount must be at least £0.01' };
  if (value > maxPence) return { error: 'The amount must be £100,000 or less' };
  return { pence: value };
}

function poundsText(pence) {
  return pence ? (pence / 100).toFixed(2) : '';
}

// ---- the API's errors, field by field ----------------------------------------------

/** Splits an ApiError's field errors into {field: message}, the rest into a banner. */
function splitErrors(error, known) {
  const fields = {};
  let rest = null;
  if (error && error.fields && error.fields.length) {
    const others = [];
    for (const f of error.fields) {
      const name = String(f.field || '').split(/[.[]/)[0];
      if (known.includes(name) && !fields[name]) fields[name] = f.message;
      else others.push(f.field ? `${f.field}: ${f.message}` : f.message);
    }
    if (others.length) rest = others.join(' ');
  } else if (error) {
    rest = error;
  }
  return { fields, banner: rest };
}

/** Posts an action; the changed case, or throws ApiError. */
function act(caseId, body) {
  return api('POST', `/api/v1/cases/${caseId}/actions`, body);
}

// ---- a dialog with a form ---------------------------------------------------------

/**
 * A dialog holding one form. `onSubmit` returns a promise; while it runs the buttons
 * are busy. The submit button sits in the footer, tied to the form by its id.
 */
function FormDialog({ title, submitLabel, onClose, onSubmit, busy, error, children, danger, className, extraButtons }) {
  const formId = useId();
  const submit = (e) => {
    e.preventDefault();
    if (!busy) onSubmit();
  };
  return html`
    <${Dialog} title=${title} onClose=${onClose} className=${'case-dialog ' + (className || '')}
      footer=${html`
        ${extraButtons}
        <button type="submit" form=${formId} class="button ${danger ? 'button--danger' : 'button--primary'}"
                disabled=${busy}>${busy ? 'Working…' : submitLabel}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
      <form id=${formId} class="case-form" onSubmit=${submit} noValidate>
        ${children}
        <${ErrorBanner} error=${error} />
      </form>
    <//>`;
}

/** After a failed check, the focus goes to the open dialog's first field in error. */
function focusFirstProblem() {
  setTimeout(() => {
    const bad = document.querySelector(
      'dialog[open] [aria-invalid="true"], dialog[open] .field--error input, dialog[open] .field--error select, dialog[open] .field--error textarea',
    );
    if (bad) bad.focus();
  }, 0);
}

/** The dialog state every action shares: busy flag, field errors, a banner. */
function useActionForm(known) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const [banner, setBanner] = useState(null);
  /** Runs send() unless check() found problems; maps the API's answer to the fields. */
  const run = async (check, send) => {
    const problems = check ? check() : {};
    if (Object.keys(problems).length) {
      setErrors(problems);
      setBanner('Some answers need attention: see the messages by the fields.');
      focusFirstProblem();
      return;
    }
    setBusy(true);
    setErrors({});
    setBanner(null);
    try {
      await send();
    } catch (e) {
      const { fields, banner: rest } = splitErrors(e, known);
      setErrors(fields);
      setBanner(rest || (Object.keys(fields).length ? 'The server refused some answers: see the messages by the fields.' : null));
      if (Object.keys(fields).length) focusFirstProblem();
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, banner, run, setBanner };
}

function NoteField({ value, onInput, error, label = 'Note', hint, required = false, rows = 3 }) {
  return html`
    <${Field} label=${required ? label : `${label} (optional)`} hint=${hint} error=${error}>
      ${(p) => html`<textarea ...${p} class="textarea case-textarea" rows=${rows} maxLength="5000"
                       value=${value} onInput=${(e) => onInput(e.target.value)}></textarea>`}
    <//>`;
}

function blank(s) {
  return !s || !s.trim();
}

// ---- the simple actions: acknowledge, unassign, note, wait, replied, reopen --------------

const simpleActions = {
  acknowledge: {
    title: 'Acknowledge the case',
    submit: 'Confirm acknowledgement',
    intro: 'Tell Heed the customer has been told their case is being handled. The acknowledgement deadline is then met.',
    noteLabel: 'Note',
    done: 'Case acknowledged.',
  },
  unassign: {
    title: 'Unassign the case',
    submit: 'Unassign case',
    intro: 'The case goes back to its queue with nobody working it.',
    noteLabel: 'Why',
    done: 'Case unassigned: it is back in the queue.',
  },
  note: {
    title: 'Add a note',
    submit: 'Save note',
    intro: 'A note joins the case history with your name and the time.',
    noteLabel: 'Note',
    required: true,
    requiredText: 'Write the note',
    done: 'Note added.',
  },
  wait_for_customer: {
    title: 'Wait for the customer',
    submit: 'Start waiting',
    intro: 'The resolution clock stops until the customer replies. The time left is kept.',
    noteLabel: 'What did you ask the customer?',
    required: true,
    requiredText: 'Say what you asked the customer for',
    done: 'Waiting for the customer: the resolution clock is paused.',
  },
  customer_replied: {
    title: 'Customer replied',
    submit: 'Restart the clock',
    intro: 'The resolution clock runs again from now, with the time that was left when the wait began.',
    noteLabel: 'What did the customer say?',
    done: 'Customer replied: the resolution clock runs again.',
  },
  reopen: {
    title: 'Reopen the case',
    submit: 'Reopen case',
    intro: 'Reopening starts the clock again: new deadlines from now, and a new acknowledgement where the case type has one.',
    noteLabel: 'Why is it reopened?',
    required: true,
    requiredText: 'Say why the case is reopened',
    done: 'Case reopened: new deadlines are set.',
  },
};

// What an action's dialog says differently for a store alert.
const alertActions = {
  acknowledge: { intro: 'Tell Heed the store knows the alert is being looked into. The acknowledgement deadline is then met.' },
};

function SimpleDialog({ kind, c, onClose, onDone }) {
  const spec = { ...simpleActions[kind], ...(c.type === 'alert' ? alertActions[kind] : {}) };
  const [note, setNote] = useState('');
  const form = useActionForm(['note']);
  const submit = () =>
    form.run(
      () => (spec.required && blank(note) ? { note: spec.requiredText } : {}),
      async () => {
        const body = { action: kind };
        if (!blank(note)) body.note = note.trim();
        onDone(await act(c.id, body), spec.done);
      },
    );
  return html`
    <${FormDialog} title=${spec.title} submitLabel=${spec.submit} onClose=${onClose} onSubmit=${submit}
                   busy=${form.busy} error=${form.banner}>
      <p class="case-dialog-intro">${spec.intro}</p>
      <${NoteField} label=${spec.noteLabel} required=${spec.required} value=${note} onInput=${setNote}
                    error=${form.errors.note} />
    <//>`;
}

// ---- assign ---------------------------------------------------------------------------

function AssignDialog({ c, user, onClose, onDone }) {
  // Agents take a case themselves; managers may give it to anyone who can work it.
  // `assignees` lists whom the API lets this viewer choose; without it (an older
  // server) a manager types the username.
  const listed = Array.isArray(c.assignees) ? c.assignees.filter((u) => u !== user.username) : null;
  const canPick = user.role === 'manager' && (listed === null || listed.length > 0);
  const candidates = listed;
  const [who, setWho] = useState('me');
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const form = useActionForm(['assignee', 'note']);
  const submit = () =>
    form.run(
      () => (who === 'other' && blank(other) ? { assignee: 'Choose who takes the case' } : {}),
      async () => {
        const assignee = who === 'me' ? 'me' : other.trim();
        const body = { action: 'assign', assignee };
        if (!blank(note)) body.note = note.trim();
        const changed = await act(c.id, body);
        onDone(changed, `Case assigned to ${who === 'me' ? 'you' : assignee}.`);
      },
    );
  const current = c.assignee
    ? html`<p class="case-dialog-intro">It is assigned to <strong>${c.assignee === user.username ? 'you' : c.assignee}</strong> now.</p>`
    : html`<p class="case-dialog-intro">Nobody is working it now.</p>`;
  return html`
    <${FormDialog} title="Assign the case" submitLabel="Assign case" onClose=${onClose} onSubmit=${submit}
                   busy=${form.busy} error=${form.banner}>
      ${current}
      ${canPick
        ? html`
          <fieldset class="fieldset case-fieldset">
            <legend class="field-label">Who takes it?</legend>
            <label class="choice"><input type="radio" class="radio" name="assign-who" value="me" checked=${who === 'me'}
                   onChange=${() => setWho('me')} /> Me (${user.username})</label>
            <label class="choice"><input type="radio" class="radio" name="assign-who" value="other" checked=${who === 'other'}
                   onChange=${() => setWho('other')} /> Someone else</label>
          </fieldset>
          ${who === 'other' &&
          (candidates && candidates.length
            ? html`<${Field} label="Assign to" error=${form.errors.assignee}
                     hint="People who can work this case (their role, stores and level).">
                ${(p) => html`<select ...${p} class="select" value=${other} onChange=${(e) => setOther(e.target.value)}>
                  <option value="">Choose a person</option>
                  ${candidates.map((u) => html`<option key=${u} value=${u}>${u}</option>`)}
                </select>`}
              <//>`
            : html`<${Field} label="Username" error=${form.errors.assignee}
                     hint="They need a role, stores and level that let them work this case.">
                ${(p) => html`<input ...${p} class="input" type="text" autocomplete="off" spellcheck="false"
                                 value=${other} onInput=${(e) => setOther(e.target.value)} />`}
              <//>`)}`
        : html`<p>The case will be assigned to you (${user.username}).</p>`}
      ${form.errors.assignee && who === 'me' && html`<p class="field-error">${form.errors.assignee}</p>`}
      <${NoteField} value=${note} onInput=${setNote} error=${form.errors.note} />
    <//>`;
}

// ---- escalate -------------------------------------------------------------------------

function EscalateDialog({ c, user, onClose, onDone }) {
  const levels = (user.levels && user.levels.length ? user.levels : [
    { level: 0, name: 'store' },
    { level: 1, name: 'area' },
    { level: 2, name: 'head_office' },
  ]).filter((l) => l.level > c.level);
  const [reason, setReason] = useState('');
  const [to, setTo] = useState('');
  const form = useActionForm(['reason', 'to_level', 'note']);
  const next = levels[0];
  const submit = () =>
    form.run(
      () => (blank(reason) ? { reason: 'Say why the case needs a higher level' } : {}),
      async () => {
        const body = { action: 'escalate', reason: reason.trim() };
        if (to) body.to_level = to;
        const changed = await act(c.id, body);
        onDone(changed, `Case escalated to the ${levelWords(changed.level_name).toLowerCase()} level.`);
      },
    );
  return html`
    <${FormDialog} title="Escalate the case" submitLabel="Escalate case" onClose=${onClose} onSubmit=${submit}
                   busy=${form.busy} error=${form.banner}>
      <p class="case-dialog-intro">
        It is at the <strong>${levelWords(c.level_name).toLowerCase()}</strong> level. Escalating moves it to a higher
        level's queue and unassigns it.
      </p>
      <${Field} label="Reason" error=${form.errors.reason}
                hint="Say what was tried and why it needs a higher level. The reason joins the case history.">
        ${(p) => html`<textarea ...${p} class="textarea case-textarea" rows="4" maxLength="5000" value=${reason}
                         onInput=${(e) => setReason(e.target.value)}></textarea>`}
      <//>
      ${levels.length > 1
        ? html`<${Field} label="Level" error=${form.errors.to_level}>
            ${(p) => html`<select ...${p} class="select" value=${to} onChange=${(e) => setTo(e.target.value)}>
              <option value="">One level up (${levelWords(next.name)})</option>
              ${levels.slice(1).map((l) => html`<option key=${l.name} value=${l.name}>${levelWords(l.name)}</option>`)}
            </select>`}
          <//>`
        : next && html`<p>It goes to the <strong>${levelWords(next.name).toLowerCase()}</strong> level.</p>`}
    <//>`;
}

// ---- contact --------------------------------------------------------------------------

function ChoiceGroup({ legend, name, words, value, onChange, error }) {
  const errorId = useId();
  return html`
    <fieldset class="fieldset case-fieldset ${error ? 'field--error' : ''}" aria-describedby=${error ? errorId : undefined}>
      <legend class="field-label">${legend}</legend>
      <div class="case-choices">
        ${Object.entries(words).map(
          ([k, label]) => html`<label class="choice" key=${k}>
            <input type="radio" class="radio" name=${name} value=${k} checked=${value === k} onChange=${() => onChange(k)} /> ${label}
          </label>`,
        )}
      </div>
      ${error && html`<p class="field-error" id=${errorId}><span aria-hidden="true">⚠ </span>${error}</p>`}
    </fieldset>`;
}

function ContactDialog({ c, onClose, onDone }) {
  const preferred = c.record && c.record.adjustments && c.record.adjustments.contact_channel;
  const [channel, setChannel] = useState(preferred && channelWords[preferred] ? preferred : 'phone');
  const [direction, setDirection] = useState('outbound');
  const [outcome, setOutcome] = useState('');
  const [summary, setSummary] = useState('');
  const form = useActionForm(['channel', 'direction', 'outcome', 'summary', 'note']);
  const party = contactParty(c);
  const submit = () =>
    form.run(
      () => {
        const p = {};
        if (!outcome) p.outcome = 'Choose what came of it';
        if (blank(summary)) p.summary = 'Write what was said or done';
        return p;
      },
      async () => {
        const changed = await act(c.id, { action: 'contact', channel, direction, outcome, summary: summary.trim() });
        const acked = !c.acknowledged_at && changed.acknowledged_at;
        onDone(changed, acked ? `Contact logged. Reaching the ${party} acknowledged the case.` : 'Contact logged.');
      },
    );
  return html`
    <${FormDialog} title="Log a contact" submitLabel="Save contact" onClose=${onClose} onSubmit=${submit}
                   busy=${form.busy} error=${form.banner}>
      ${preferred &&
      html`<p class="case-dialog-intro">The customer prefers <strong>${(channelWords[preferred] || preferred).toLowerCase()}</strong>${c.record.adjustments.best_time
        ? html`, ${c.record.adjustments.best_time}`
        : ''}.</p>`}
      <${Field} label="Channel" error=${form.errors.channel}>
        ${(p) => html`<select ...${p} class="select" value=${channel} onChange=${(e) => setChannel(e.target.value)}>
          ${Object.entries(channelWords).map(([k, w]) => html`<option key=${k} value=${k}>${w}</option>`)}
        </select>`}
      <//>
      <${ChoiceGroup} legend="Who made contact?" name="contact-direction" words=${directionWords(party)} value=${direction}
                      onChange=${setDirection} error=${form.errors.direction} />
      <${ChoiceGroup} legend="What came of it?" name="contact-outcome" words=${contactOutcomeWords(party)} value=${outcome}
                      onChange=${setOutcome} error=${form.errors.outcome} />
      <${Field} label="Summary" error=${form.errors.summary} hint="What was said or done, in a few lines.">
        ${(p) => html`<textarea ...${p} class="textarea case-textarea" rows="4" maxLength="5000" value=${summary}
                         onInput=${(e) => setSummary(e.target.value)}></textarea>`}
      <//>
    <//>`;
}

// ---- close a follow-up ----------------------------------------------------------------

function CloseFollowUpDialog({ c, onClose, onDone }) {
  const [satisfied, setSatisfied] = useState('');
  const [note, setNote] = useState('');
  const form = useActionForm(['satisfied', 'note']);
  const submit = () =>
    form.run(
      () => (!satisfied ? { satisfied: 'Choose whether the customer is satisfied' } : {}),
      async () => {
        const body = { action: 'close_follow_up', satisfied: satisfied === 'yes' };
        if (!blank(note)) body.note = note.trim();
        const changed = await act(c.id, body);
        onDone(
          changed,
          satisfied === 'yes'
            ? 'Follow-up closed: the customer is satisfied.'
            : c.follows_case_id
              ? 'Follow-up closed: the customer is not satisfied, so the case it follows is reopened a level up.'
              : 'Follow-up closed: the customer is not satisfied, so a complaint case is opened above the store.',
        );
      },
    );
  return html`
    <${FormDialog} title="Close the follow-up" submitLabel="Close follow-up check" onClose=${onClose} onSubmit=${submit}
                   busy=${form.busy} error=${form.banner}>
      <${ChoiceGroup} legend="Is the customer still satisfied?" name="follow-up-satisfied"
                      words=${{ yes: 'Yes, satisfied', no: 'No, not satisfied' }} value=${satisfied}
                      onChange=${setSatisfied} error=${form.errors.satisfied} />
      ${satisfied === 'no' &&
      html`<p class="case-warning" role="note">
        ${c.follows_case_id
          ? 'The case this follows will be reopened one level up.'
          : 'A complaint case will be opened one level above the store.'}
      </p>`}
      <${NoteField} label="What did the customer say?" value=${note} onInput=${setNote} error=${form.errors.note} />
    <//>`;
}

// ---- resolve, with the final response previewed -------------------------------------

function customerLanguage(c) {
  const r = c.record || {};
  return (r.adjustments && r.adjustments.language) || (r.type === 'feedback' ? r.language : null) || null;
}

function ResolveDialog({ c, onClose, onDone }) {
  const isComplaint = c.type === 'complaint';
  // An alert is about the store, not one customer: what was found is enough; no remedy or letter.
  const isAlert = c.type === 'alert';
  const purchase = c.record && c.record.purchase;
  const [outcome, setOutcome] = useState('');
  const [chosen, setChosen] = useState({});
  const [amounts, setAmounts] = useState({ refund: purchase ? poundsText(purchase.amount_pence) : '' });
  const [rootCause, setRootCause] = useState('');
  const [language, setLanguage] = useState('');
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState(null); // {language, html, text}
  const form = useActionForm(['outcome', 'remedies', 'root_cause', 'language', 'note']);
  const [amountErrors, setAmountErrors] = useState({});
  const asked = customerLanguage(c);

  const toggle = (kind, on) => {
    const next = { ...chosen, [kind]: on };
    if (on && kind === 'none') for (const k of remedyKinds) if (k !== 'none') next[k] = false;
    if (on && kind !== 'none') next.none = false;
    setChosen(next);
  };

  // The remedies as the API takes them, or problems in words.
  const readRemedies = () => {
    const list = [];
    const bad = {};
    for (const kind of remedyKinds) {
      if (!chosen[kind]) continue;
      const item = { kind };
      const rule = remediesWithAmount[kind];
      const typed = (amounts[kind] || '').trim();
      if (rule && (typed || rule === 'required')) {
        const money = parsePounds(typed);
        if (money.error) bad[kind] = money.error;
        else item.amount_pence = money.pence;
      }
      list.push(item);
    }
    return { list, bad };
  };

  const check = () => {
    const p = {};
    const { list, bad } = readRemedies();
    setAmountErrors(bad);
    if (blank(outcome)) p.outcome = 'Say what was found and what was done';
    if (isAlert) return p;
    if (!list.length) p.remedies = 'Choose at least one remedy (“Nothing” when nothing was given)';
    else if (Object.keys(bad).length) p.remedies = 'Check the amounts';
    if (!rootCause) p.root_cause = 'Choose the root cause';
    return p;
  };

  const body = () => {
    const b = isAlert
      ? { action: 'resolve', outcome: outcome.trim(), ...(rootCause ? { root_cause: rootCause } : {}) }
      : { action: 'resolve', outcome: outcome.trim(), remedies: readRemedies().list, root_cause: rootCause };
    if (isComplaint && language) b.language = language;
    if (!blank(note)) b.note = note.trim();
    return b;
  };

  const showPreview = () =>
    form.run(check, async () => {
      const b = body();
      const letter = await api('POST', `/api/v1/cases/${c.id}/final-response/preview`, {
        outcome: b.outcome,
        remedies: b.remedies,
        ...(b.language ? { language: b.language } : {}),
      });
      setPreview(letter);
      form.setBanner(null);
    });

  const resolve = () =>
    form.run(check, async () => {
      const changed = await act(c.id, body());
      onDone(changed, isComplaint ? 'Case resolved. The final response is saved with the case.' : 'Case resolved.');
    });

  if (preview) {
    return html`
      <${PreviewStep} c=${c} letter=${preview} busy=${form.busy} error=${form.banner}
        onBack=${() => setPreview(null)} onClose=${onClose} onResolve=${resolve} />`;
  }

  return html`
    <${FormDialog} title="Resolve the case" className="dialog--wide case-dialog--resolve"
                   submitLabel=${isComplaint ? 'Preview letter' : 'Resolve case'}
                   onClose=${onClose} onSubmit=${isComplaint ? showPreview : resolve}
                   busy=${form.busy} error=${form.banner}>
      ${isComplaint &&
      html`<p class="case-dialog-intro">A complaint ends with a final response to the customer. You will see the letter
        before anything is saved.</p>`}
      <${Field} label="What was found and done" error=${form.errors.outcome}
                hint=${isComplaint ? 'This goes into the letter under “What we found”. Write it to the customer.' : 'A few lines for the case history.'}>
        ${(p) => html`<textarea ...${p} class="textarea case-textarea" rows="4" maxLength="5000" value=${outcome}
                         onInput=${(e) => setOutcome(e.target.value)}></textarea>`}
      <//>
      ${!isAlert &&
      html`<${RemedyPicker} chosen=${chosen} amounts=${amounts} onToggle=${toggle}
        onAmount=${(k, v) => setAmounts({ ...amounts, [k]: v })} error=${form.errors.remedies} amountErrors=${amountErrors} />`}
      <${Field} label=${isAlert ? 'Root cause (optional)' : 'Root cause'} error=${form.errors.root_cause}
                hint="For head office's chart of causes.">
        ${(p) => html`<select ...${p} class="select" value=${rootCause} onChange=${(e) => setRootCause(e.target.value)}>
          <option value="">${isAlert ? 'None recorded' : 'Choose a root cause'}</option>
          ${Object.entries(rootCauseWords).map(([k, w]) => html`<option key=${k} value=${k}>${w}</option>`)}
        </select>`}
      <//>
      ${isComplaint &&
      html`<${Field} label="Letter language" error=${form.errors.language}>
        ${(p) => html`<select ...${p} class="select" value=${language} onChange=${(e) => setLanguage(e.target.value)}>
          <option value="">${asked ? `The customer's language (${languageName(asked)})` : 'The customer\u2019s language (English unless they asked)'}</option>
          <option value="en">English</option>
          <option value="cy">Welsh</option>
        </select>`}
      <//>`}
      <${NoteField} label="Note for the case history" value=${note} onInput=${setNote} error=${form.errors.note} rows="2" />
    <//>`;
}

function RemedyPicker({ chosen, amounts, onToggle, onAmount, error, amountErrors }) {
  const errorId = useId();
  const base = useId();
  return html`
    <fieldset class="fieldset case-fieldset case-remedies ${error ? 'field--error' : ''}" aria-describedby=${error ? errorId : undefined}>
      <legend class="field-label">Remedies given</legend>
      <p class="field-hint">Tick each one. Amounts in pounds, for example 29.99.</p>
      <ul class="case-remedy-list">
        ${remedyKinds.map((kind) => {
          const rule = remediesWithAmount[kind];
          const amountId = `${base}-${kind}-amount`;
          const amountError = amountErrors[kind];
          return html`<li key=${kind} class="case-remedy">
            <label class="choice"><input type="checkbox" class="checkbox" checked=${!!chosen[kind]}
                   onChange=${(e) => onToggle(kind, e.target.checked)} /> ${remedyWords[kind]}</label>
            ${rule && chosen[kind] &&
            html`<span class="case-amount">
              <label for=${amountId}>${remedyWords[kind]} amount in pounds${rule === 'optional' ? ' (optional)' : ''}</label>
              <span class="case-money"><span aria-hidden="true">£</span>
                <input id=${amountId} class="input case-money-input" inputmode="decimal" autocomplete="off"
                       aria-invalid=${amountError ? 'true' : undefined}
                       aria-describedby=${amountError ? `${amountId}-error` : undefined}
                       value=${amounts[kind] || ''} onInput=${(e) => onAmount(kind, e.target.value)} /></span>
              ${amountError && html`<span class="field-error" id=${`${amountId}-error`}>${amountError}</span>`}
            </span>`}
          </li>`;
        })}
      </ul>
      ${error && html`<p class="field-error" id=${errorId}><span aria-hidden="true">⚠ </span>${error}</p>`}
    </fieldset>`;
}

function PreviewStep({ c, letter, busy, error, onBack, onClose, onResolve }) {
  return html`
    <${Dialog} title="Check the final response" onClose=${onClose} className="case-dialog dialog--wide case-dialog--letter"
      footer=${html`
        <button type="button" class="button" onClick=${printLetter}>Print letter</button>
        <button type="button" class="button" onClick=${onBack} disabled=${busy}>Change answers</button>
        <button type="button" class="button button--primary" onClick=${onResolve} disabled=${busy}>
          ${busy ? 'Working…' : 'Resolve and save letter'}</button>`}>
      <p class="case-dialog-intro">
        This is the letter the resolution saves for case ${c.reference || c.id}, in ${languageName(letter.language)}.
        Nothing is saved until you choose “Resolve and save letter”.
      </p>
      <${Letter} html=${letter.html} language=${letter.language} />
      <${ErrorBanner} error=${error} />
    <//>`;
}

// ---- letters: shown safely, printed alone ---------------------------------------------

const letterTags = new Set([
  'P', 'BR', 'STRONG', 'B', 'EM', 'I', 'SPAN', 'DIV', 'SECTION', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'DL', 'DT', 'DD', 'A',
  'H1', 'H2', 'H3', 'H4', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'HR', 'ADDRESS',
]);
// The letter's own h1/h2 would break the page's heading order inside a dialog.
const headingShift = { H1: 'h3', H2: 'h4', H3: 'h5', H4: 'h6' };

/**
 * The letter's HTML (our server's template, auto-escaped) as DOM nodes: its <main> or
 * body, keeping only plain text elements, class names and http(s)/mailto/tel links, so
 * nothing in it can run or load anything (the page's CSP forbids that anyway).
 */
function letterNodes(source) {
  // The page's <head> (its own <style>) is dropped before parsing: even an inert
  // document's inline style counts against the workspace's CSP in Chromium.
  const body = String(source || '')
    .replace(/<head[\s\S]*?<\/head>/gi, '')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '');
  const doc = new DOMParser().parseFromString(body, 'text/html');
  const root = doc.querySelector('main') || doc.body;
  const out = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (!letterTags.has(node.tagName)) {
          if (!['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED'].includes(node.tagName)) copy(node, to);
          continue;
        }
        const el = document.createElement(headingShift[node.tagName] || node.tagName.toLowerCase());
        const cls = node.getAttribute('class');
        if (cls) el.setAttribute('class', cls.split(/\s+/).map((x) => `letter-${x}`).join(' '));
        if (headingShift[node.tagName]) el.classList.add(`letter-${node.tagName.toLowerCase()}`);
        if (node.tagName === 'A') {
          const href = node.getAttribute('href') || '';
          if (/^(https?:|mailto:|tel:)/i.test(href)) {
            el.setAttribute('href', href);
            el.setAttribute('rel', 'noopener noreferrer');
            el.setAttribute('target', '_blank');
          }
        }
        copy(node, el);
        to.appendChild(el);
      }
    }
  };
  copy(root, out);
  return out;
}

const printId = 'heed-print-letter';

/** Prints the letter on show (its copy in #heed-print-letter); nothing else prints. */
export function printLetter() {
  window.print();
}

/**
 * A final response on screen (`html` from the API), and its copy for printing while it
 * is mounted: the copy is a child of <body>, outside the app and any dialog, so the
 * print rules in case.css can hide everything but it.
 */
export function Letter({ html: source, language }) {
  const ref = useRef(null);
  useLayoutEffect(() => {
    if (!ref.current) return undefined;
    ref.current.replaceChildren(letterNodes(source));
    let copy = document.getElementById(printId);
    if (!copy) {
      copy = document.createElement('div');
      copy.id = printId;
      copy.className = 'letter letter--print';
      document.body.appendChild(copy);
    }
    copy.setAttribute('lang', language || 'en');
    copy.replaceChildren(letterNodes(source));
    const mine = copy;
    return () => {
      if (mine.parentNode) mine.parentNode.removeChild(mine);
    };
  }, [source, language]);
  return html`<article class="letter" lang=${language || 'en'} ref=${ref} aria-label="Final response letter"></article>`;
}

/** A saved final response: fetched as HTML (the API's printable page), shown, printable. */
export function LetterDialog({ c, letter, onClose }) {
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const res = await fetch(`/api/v1/cases/${c.id}/final-response?format=html&letter=${letter.id}`, {
          credentials: 'same-origin',
          cache: 'no-store',
        });
        if (res.status === 401) {
          window.dispatchEvent(new CustomEvent('heed:signed-out', { detail: { code: 'unauthorized', message: '' } }));
          return;
        }
        if (!res.ok) {
          let message = `The letter could not be read (${res.status}).`;
          try {
            message = (await res.json()).message || message;
          } catch {
            /* not JSON */
          }
          throw new Error(message);
        }
        const text = await res.text();
        if (live) setState({ html: text });
      } catch (e) {
        if (live) setState({ error: e.message || 'The letter could not be read.' });
      }
    })();
    return () => {
      live = false;
    };
  }, [c.id, letter.id]);
  return html`
    <${Dialog} title="Final response" onClose=${onClose} className="case-dialog dialog--wide case-dialog--letter"
      footer=${html`
        <button type="button" class="button button--primary" onClick=${printLetter} disabled=${!state.html}>Print letter</button>
        <button type="button" class="button" onClick=${onClose}>Close letter</button>`}>
      <p class="case-dialog-intro">
        Sent ${formatDateTime(letter.created_at)} by ${letter.author}, in ${languageName(letter.language)}.
        Reading it is recorded in the audit trail.
      </p>
      ${state.loading && html`<${Spinner} label="Loading the letter…" />`}
      <${ErrorBanner} error=${state.error} />
      ${state.html && html`<${Letter} html=${state.html} language=${letter.language} />`}
    <//>`;
}

// ---- the bar of actions ---------------------------------------------------------------

// The buttons in the order an agent works a case; each shown only when allowed.
const actionButtons = [
  { kind: 'acknowledge', label: 'Acknowledge' },
  { kind: 'assign', label: 'Assign' },
  { kind: 'contact', label: 'Log contact' },
  { kind: 'note', label: 'Add note' },
  { kind: 'wait_for_customer', label: 'Wait for customer' },
  { kind: 'customer_replied', label: 'Customer replied' },
  { kind: 'resolve', label: 'Resolve', primary: true },
  { kind: 'close_follow_up', label: 'Close follow-up', primary: true },
  { kind: 'escalate', label: 'Escalate' },
  { kind: 'unassign', label: 'Unassign' },
  { kind: 'reopen', label: 'Reopen' },
];

/** The actions this viewer may take, as buttons, and the dialog of the one chosen. */
export function CaseActions({ c, user, onChanged }) {
  const [open, setOpen] = useState(null);
  const allowed = new Set(c.actions || []);
  // An agent's case already with them has nobody else to go to.
  const mine = user.role === 'agent' && c.assignee === user.username;
  const buttons = actionButtons.filter((b) => allowed.has(b.kind) && !(b.kind === 'assign' && mine));
  const close = () => setOpen(null);
  const done = (changed, message) => {
    setOpen(null);
    onChanged(changed, message);
  };
  let dialog = null;
  if (open && simpleActions[open]) dialog = html`<${SimpleDialog} kind=${open} c=${c} onClose=${close} onDone=${done} />`;
  else if (open === 'assign') dialog = html`<${AssignDialog} c=${c} user=${user} onClose=${close} onDone=${done} />`;
  else if (open === 'escalate') dialog = html`<${EscalateDialog} c=${c} user=${user} onClose=${close} onDone=${done} />`;
  else if (open === 'contact') dialog = html`<${ContactDialog} c=${c} onClose=${close} onDone=${done} />`;
  else if (open === 'resolve') dialog = html`<${ResolveDialog} c=${c} onClose=${close} onDone=${done} />`;
  else if (open === 'close_follow_up') dialog = html`<${CloseFollowUpDialog} c=${c} onClose=${close} onDone=${done} />`;

  if (!buttons.length) {
    return html`<p class="case-no-actions">${noActionWords(c, user)}</p>`;
  }
  return html`
    <div class="case-actions" role="group" aria-label="Case actions">
      ${buttons.map(
        (b) => html`<button key=${b.kind} type="button"
                       class="button ${b.primary ? 'button--primary' : ''} case-action case-action--${b.kind}"
                       aria-haspopup="dialog" onClick=${() => setOpen(b.kind)}>${b.label}</button>`,
      )}
    </div>
    ${dialog}`;
}

function noActionWords(c, user) {
  if (user.role === 'admin') return 'Admins see cases but do not work them.';
  if (!user.works_cases && user.works_cases !== undefined) return 'You do not work cases.';
  return `You can read this case but not act on it: it is at the ${levelWords(c.level_name).toLowerCase()} level, above your queue.`;
}

export { formatMoney };
