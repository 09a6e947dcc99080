// The case page (/cases/:id). h-case owns this file and replaces it with the whole case
// file and its actions; until then it shows the case's main fields and deadlines from
// GET /api/v1/cases/{id}. Contract: export function CasePage({ id, navigate }).
import { html, useEffect, useState } from './html.js';
import { api } from './api.js';
import { Link } from './router.js';
import { ErrorBanner, SlaClock, Spinner, useTitle } from './ui.js';
import { capitalise, formatDateTime, levelWords, statusName, typeName } from './format.js';

export function CasePage({ id }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useTitle(data ? `${typeName(data.type)} ${data.reference || `case ${data.id}`}` : `Case ${id}`);

  useEffect(() => {
    let gone = false;
    setData(null);
    setError(null);
    api('GET', `/api/v1/cases/${encodeURIComponent(id)}`)
      .then((d) => !gone && setData(d))
      .catch((e) => !gone && setError(e));
    return () => {
      gone = true;
    };
  }, [id]);

  if (error) {
    return html`
      <p><${Link} href="/">Back to the queue<//></p>
      <h1>Case ${id}</h1>
      <${ErrorBanner} error=${error} />`;
  }
  if (!data) return html`<${Spinner} label="Loading the case…" />`;

  const deadlines = data.deadlines || (data.sla ? [data.sla] : []);
  return html`
    <p><${Link} href="/">Back to the queue<//></p>
    <h1>${typeName(data.type)} ${data.reference || `case ${data.id}`}</h1>
    <dl class="facts">
      <div><dt>Status</dt><dd>${statusName(data.status)}</dd></div>
      <div><dt>Store</dt><dd>${data.store_id}</dd></div>
      <div><dt>Severity</dt><dd>${capitalise(data.severity)}</dd></div>
      <div><dt>Level</dt><dd>${levelWords(data.level_name)}</dd></div>
      <div><dt>Assignee</dt><dd>${data.assignee || 'Unassigned'}</dd></div>
      <div><dt>Opened</dt><dd>${formatDateTime(data.clock_start)}</dd></div>
    </dl>
    <h2>Deadlines</h2>
    ${deadlines.length
      ? html`<ul class="plain-list">${deadlines.map((d) => html`<li key=${d.kind}><${SlaClock} deadline=${d} showDue /></li>`)}</ul>`
      : html`<p class="muted">No deadlines: the case is closed.</p>`}`;
}
