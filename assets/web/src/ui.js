// Shared pieces every page uses: Dialog (native <dialog>, labelled, Escape closes,
// focus goes back where it was), Badge, SlaClock (a deadline in words, an icon and a
// colour, never colour alone), Field (label, control, hint and error tied to the control
// by aria-describedby), ErrorBanner, Spinner, the polite live region (announce) and
// useTitle. Styles live in styles.css under the same class names.
import { html, useEffect, useId, useLayoutEffect, useRef, useState } from './html.js';
import { formatDateTime, formatWorkingTime, levelWords } from './format.js';
import { api } from './api.js';

/** GET `path` again whenever it changes: {data} or {error}; {} while it loads. An
 * answer to a path the page has moved on from is dropped. */
export function useApi(path) {
  const [state, setState] = useState({});
  useEffect(() => {
    let live = true;
    setState({});
    if (!path) return undefined;  // nothing to ask yet
    api('GET', path)
      .then((data) => live && setState({ data }))
      .catch((error) => live && setState({ error }));
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

/** Sets the document title: "Queue · Heed". */
export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · Heed` : 'Heed';
  }, [title]);
}

// ---- Dialog ---------------------------------------------------------------------

/**
 * A modal dialog, shown while mounted: `${open && html`<${Dialog} title=… onClose=…>…<//>`}`.
 * Escape and the Close button call onClose; the element focused before it opened gets
 * the focus back. `footer` holds the dialog's buttons. Give a dialog whose content is
 * replaced (a form, then its result) a new `key`, so the focus starts afresh.
 */
export function Dialog({ title, onClose, children, footer, className = '', describedBy }) {
  const ref = useRef(null);
  const titleId = useId();
  useLayoutEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    // Start where the work is: the first field, else the first button of the footer
    // (showModal alone would pick the Close button in the corner).
    const start =
      dialog &&
      (dialog.querySelector(
        '.dialog-body input:not([type="hidden"]):not([disabled]), .dialog-body select:not([disabled]), .dialog-body textarea:not([disabled])',
      ) ||
        dialog.querySelector('.dialog-foot button:not([disabled])'));
    if (start) start.focus();
    return () => {
      if (dialog && dialog.open) dialog.close();
      const back =
        before && before !== document.body && document.contains(before)
          ? before
          : document.getElementById('main');
      if (back && back.focus) back.focus();
    };
  }, []);
  const onCancel = (e) => {
    e.preventDefault();
    if (onClose) onClose();
  };
  return html`
    <dialog ref=${ref} class="dialog ${className}" aria-labelledby=${titleId}
            aria-describedby=${describedBy} onCancel=${onCancel}>
      <div class="dialog-head">
        <h2 id=${titleId} class="dialog-title">${title}</h2>
        ${onClose &&
        html`<button type="button" class="icon-button" aria-label="Close" onClick=${onClose}>
          <span aria-hidden="true">×</span>
        </button>`}
      </div>
      <div class="dialog-body">${children}</div>
      ${footer && html`<div class="dialog-foot">${footer}</div>`}
    </dialog>`;
}

/** "Revoke this device?" with a destructive confirm button. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, busy, error, danger = true }) {
  return html`
    <${Dialog} title=${title} onClose=${onClose}
      footer=${html`
        <button type="button" class="button ${danger ? 'button--danger' : 'button--primary'}"
                onClick=${onConfirm} disabled=${busy}>${busy ? 'Working…' : confirmLabel}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
      ${children}
      <${ErrorBanner} error=${error} />
    <//>`;
}

// ---- Badge, Spinner, ErrorBanner --------------------------------------------------

/** kind: neutral | info | warn | danger | ok | new | escalated | repeat | paused. */
export function Badge({ kind = 'neutral', children, title }) {
  return html`<span class="badge badge--${kind}" title=${title}>${children}</span>`;
}

export function Spinner({ label = 'Loading…' }) {
  return html`<p class="spinner" role="status"><span class="spinner-wheel" aria-hidden="true"></span>${label}</p>`;
}

/** The server's message in words (an ApiError or a string), beside what failed. */
export function ErrorBanner({ error, onRetry, compact = false }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : error.message || 'Something went wrong.';
  return html`
    <div class="error-banner ${compact ? 'error-banner--compact' : ''}" role="alert">
      <span class="error-icon" aria-hidden="true">!</span>
      <span class="error-text">${text}</span>
      ${onRetry && html`<button type="button" class="button button--small" onClick=${onRetry}>Try again</button>`}
    </div>`;
}

// ---- Field ----------------------------------------------------------------------

/**
 * A labelled control. children is a function given the control's props
 * ({id, 'aria-describedby', 'aria-invalid'}) so label, hint and error are tied to it:
 *   <${Field} label="Username" error=${errors.username}>${(p) => html`<input ...${p} />`}<//>
 */
export function Field({ label, hint, error, children, className = '' }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const props = { id, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined };
  const control = typeof children === 'function' ? children(props) : children;
  return html`
    <div class="field ${error ? 'field--error' : ''} ${className}">
      <label class="field-label" for=${id}>${label}</label>
      ${hint && html`<p class="field-hint" id=${hintId}>${hint}</p>`}
      ${control}
      ${error && html`<p class="field-error" id=${errorId}><span aria-hidden="true">⚠ </span>${error}</p>`}
    </div>`;
}

// ---- SLA clock ------------------------------------------------------------------

const kindWords = { acknowledge: 'Acknowledge', resolve: 'Resolve' };

/** The words, icon and colour class for one deadline (the API's `sla` / `deadlines[i]`). */
export function describeDeadline(deadline, opensAt) {
  if (!deadline) return { state: 'closed', icon: '✓', text: 'Closed', detail: '' };
  const left = deadline.working_s_left;
  const due = formatDateTime(deadline.due);
  const known = left !== null && left !== undefined;
  switch (deadline.state) {
    case 'scheduled':
      return {
        state: 'scheduled',
        icon: '◷',
        text: opensAt ? `Opens ${formatDateTime(opensAt)}` : 'Not open yet',
        detail: due ? `due ${due}` : '',
      };
    case 'on_track':
      return {
        state: 'on_track',
        icon: '●',
        text: known ? `${formatWorkingTime(left)} left` : `Due ${due}`,
        detail: known && due ? `due ${due}` : '',
      };
    case 'due_soon':
      return {
        state: 'due_soon',
        icon: '▲',
        text: known ? `Due soon · ${formatWorkingTime(left)}` : `Due soon · ${due}`,
        detail: known && due ? `due ${due}` : '',
      };
    case 'breached':
      return {
        state: 'breached',
        icon: '!',
        text: known ? `Overdue by ${formatWorkingTime(left)}` : `Overdue · was due ${due}`,
        detail: known && due ? `was due ${due}` : '',
      };
    case 'paused':
      return {
        state: 'paused',
        icon: '❚❚',
        text: 'Paused — waiting for customer',
        detail: known ? `${formatWorkingTime(left)} left once they reply` : '',
      };
    case 'met':
      return { state: 'met', icon: '✓', text: 'Met', detail: deadline.done_at ? `done ${formatDateTime(deadline.done_at)}` : '' };
    case 'missed':
      return { state: 'missed', icon: '✕', text: 'Missed', detail: deadline.done_at ? `done late, ${formatDateTime(deadline.done_at)}` : '' };
    default:
      return { state: 'unknown', icon: '•', text: levelWords(deadline.state || 'unknown'), detail: due };
  }
}

/**
 * A deadline as words + icon + colour: "2 h 15 min left", "Due soon · 1 h 40 min",
 * "Overdue by 3 h", "Paused — waiting for customer". showKind prefixes
 * "Acknowledge"/"Resolve"; showDue adds the due time under it; opensAt (a scheduled
 * case's opens_at) says when a case that is not open yet opens.
 */
export function SlaClock({ deadline, showKind = true, showDue = false, opensAt = null }) {
  const d = describeDeadline(deadline, opensAt);
  const kind = deadline && kindWords[deadline.kind];
  return html`
    <span class="sla sla--${d.state}">
      <span class="sla-icon" aria-hidden="true">${d.icon}</span>
      <span class="sla-words">
        ${showKind && kind && html`<span class="sla-kind">${kind}: </span>`}<span class="sla-text">${d.text}</span>
        ${showDue && d.detail && html`<span class="sla-due">${d.detail}</span>`}
      </span>
    </span>`;
}

// ---- the live region --------------------------------------------------------------

const announceListeners = new Set();

/** Says something to screen readers through the app's polite live region. */
export function announce(text) {
  for (const l of announceListeners) l(text);
}

/** Mounted once by the app shell. */
export function LiveRegion() {
  const [text, setText] = useState('');
  useEffect(() => {
    const l = (t) => {
      // Clear first so the same words twice are read twice.
      setText('');
      setTimeout(() => setText(t), 50);
    };
    announceListeners.add(l);
    return () => announceListeners.delete(l);
  }, []);
  return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${text}</div>`;
}

/** Copies text, saying so next to the button. */
export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 2000);
    } catch {
      setDone(false);
    }
  };
  return html`<button type="button" class="button button--small" onClick=${copy}>${done ? 'Copied' : label}</button>`;
}

/**
 * An ApiError's field errors as {field: "Password must be …"}, each message led by the
 * field's label (the API's messages read "is taken", "must be …"). Fields not in
 * `labels` are left out; the banner shows the error's message for them.
 */
export function fieldErrors(error, labels) {
  const out = {};
  if (!error || !error.fields) return out;
  for (const f of error.fields) {
    const label = labels[f.field];
    if (!label) continue;
    const m = f.message || 'is not valid';
    out[f.field] = /^[a-z]/.test(m) ? `${label} ${m}.`.replace(/\.\.$/, '.') : m;
  }
  return out;
}

/** After a failed check: the focus goes to the first field marked invalid in `form`. */
export function focusFirstError(form) {
  setTimeout(() => {
    const bad = form && form.querySelector('[aria-invalid="true"]');
    if (bad) bad.focus();
  }, 0);
}
