// /admin/devices: the kiosks and tablets of the caller's stores with how their delivery
// stands (silent ones flagged in words, records waiting, the oldest one's age, the last
// sync, the last error, the app version). Admins also revoke a device (after a
// confirmation) and make a one-time enrolment code for a store, shown with its expiry
// and its QR code (the API's qr_svg, as an image) for the new tablet to scan.
import { html, useEffect, useState } from './html.js';
import { api, withQuery } from './api.js';
import { Badge, ConfirmDialog, CopyButton, Dialog, ErrorBanner, Field, Spinner, announce, focusFirstError, useTitle } from './ui.js';
import { formatAge, formatAgo, formatDateTime } from './format.js';

function DeviceState({ d, silentAfter }) {
  if (d.revoked) return html`<${Badge} kind="neutral">Revoked<//><span class="cell-sub">${formatDateTime(d.revoked_at)}</span>`;
  if (d.silent) {
    const since = d.last_seen_at || d.enrolled_at;
    return html`<${Badge} kind="danger">Silent<//>
      <span class="cell-sub">No report for ${since ? formatAge((Date.now() - new Date(since).getTime()) / 1000) : 'a long time'}
        (over ${formatAge(silentAfter)})</span>`;
  }
  return html`<${Badge} kind="ok">Reporting<//>${d.last_seen_at && html`<span class="cell-sub">Last seen ${formatAgo(d.last_seen_at)}</span>`}`;
}

function qrDataUrl(svg) {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function EnrolmentCodeDialog({ stores, onClose }) {
  const [store, setStore] = useState(stores.length === 1 ? stores[0] : '');
  const [error, setError] = useState(null);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState(null);

  const submit = async (e) => {
    e.preventDefault();
    setFailure(null);
    if (!store) {
      setError('Choose the store the new device is for.');
      focusFirstError(e.currentTarget);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const r = await api('POST', '/api/v1/enrollment-codes', { store_id: store });
      setCode(r);
      announce(`Enrolment code made for ${r.store_id}.`);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (code) {
    return html`<${Dialog} key="code" title=${`Enrolment code for ${code.store_id}`} onClose=${onClose} className="dialog--wide"
        footer=${html`<button type="button" class="button button--primary" onClick=${onClose}>Done</button>`}>
      <div class="enrol-code">
        ${code.qr_svg
          ? html`<img class="qr" src=${qrDataUrl(code.qr_svg)} alt=${`QR code for enrolment code ${code.code}`} width="200" height="200" />`
          : html`<p class="muted">No QR code: type the code on the device.</p>`}
        <div>
          <p class="field-label">Code</p>
          <p class="secret-value" data-testid="enrolment-code">${code.code}</p>
          <p>Valid until <strong>${formatDateTime(code.expires_at)}</strong>, for one device at store ${code.store_id}.</p>
          <p class="field-hint">On the new device: staff menu, "Enrol this device", then type the code. The QR code holds the code, the store and this server's address, for a phone or a handheld scanner. The code is shown only now.</p>
          <${CopyButton} text=${code.code} label="Copy code" />
        </div>
      </div>
    <//>`;
  }
  return html`<${Dialog} title="New enrolment code" onClose=${onClose}
      footer=${html`
        <button type="submit" form="enrol-form" class="button button--primary" disabled=${busy}>${busy ? 'Making…' : 'Make code'}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
    <form id="enrol-form" class="form" onSubmit=${submit} noValidate>
      <p>A one-time code lets one new kiosk or tablet join a store. It is valid for 24 hours.</p>
      <${Field} label="Store" error=${error}>
        ${(p) => html`<select ...${p} class="select" value=${store} onChange=${(e) => setStore(e.currentTarget.value)}>
          <option value="">Choose a store</option>
          ${stores.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
        </select>`}
      <//>
      <${ErrorBanner} error=${failure} />
    </form>
  <//>`;
}

export function DevicesPage({ user: me }) {
  useTitle('Devices');
  const isAdmin = me.role === 'admin';
  const stores = me.stores || [];
  const [store, setStore] = useState('');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [dialog, setDialog] = useState(null); // {kind: 'revoke', device, error} | {kind: 'code'}
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let gone = false;
    setError(null);
    api('GET', withQuery('/api/v1/devices', { store_id: store }))
      .then((r) => !gone && setData(r))
      .catch((e) => !gone && setError(e));
    return () => {
      gone = true;
    };
  }, [store, attempt]);

  const revoke = async (d) => {
    setBusy(true);
    try {
      const r = await api('POST', `/api/v1/devices/${encodeURIComponent(d.device_id)}/revoke`);
      setData((old) => ({
        ...old,
        devices: old.devices.map((x) => (x.device_id === d.device_id ? { ...x, revoked: true, revoked_at: r.revoked_at, silent: false } : x)),
        silent_count: old.silent_count - (d.silent ? 1 : 0),
      }));
      announce(`${d.name} revoked.`);
      setDialog(null);
    } catch (e) {
      setDialog({ kind: 'revoke', device: d, error: e });
    } finally {
      setBusy(false);
    }
  };

  const devices = data ? data.devices : [];
  const active = devices.filter((d) => !d.revoked).length;
  return html`
    <div class="page-head">
      <h1>Devices</h1>
      ${isAdmin && html`<button type="button" class="button button--primary" onClick=${() => setDialog({ kind: 'code' })}>New enrolment code</button>`}
    </div>
    <p class="page-sub">The kiosks and staff tablets of your stores, and how their delivery to head office stands.</p>
    <div class="toolbar">
      ${stores.length > 1 &&
      html`<${Field} label="Store">
        ${(p) => html`<select ...${p} class="select" value=${store} onChange=${(e) => setStore(e.currentTarget.value)}>
          <option value="">All my stores</option>
          ${stores.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
        </select>`}
      <//>`}
      <button type="button" class="button" onClick=${() => setAttempt((n) => n + 1)}>Refresh</button>
    </div>
    <${ErrorBanner} error=${error} onRetry=${() => setAttempt((n) => n + 1)} />
    ${data === null && !error && html`<${Spinner} label="Loading devices…" />`}
    ${data &&
    html`<p class="summary-line" role="status">
        <span>${active} active device${active === 1 ? '' : 's'} ·</span>
        ${data.silent_count > 0
          ? html`<${Badge} kind="danger">${data.silent_count} silent<//><span>no report for over ${formatAge(data.silent_after_s)}</span>`
          : html`<span>none silent (a device is silent after ${formatAge(data.silent_after_s)} without a report)</span>`}
      </p>
      ${devices.length === 0
        ? html`<p class="empty">No devices are enrolled${store ? ` at ${store}` : ''} yet.${isAdmin ? ' Make an enrolment code to add one.' : ''}</p>`
        : html`<table class="data-table">
          <caption class="visually-hidden">Devices</caption>
          <thead><tr>
            <th scope="col">Device</th><th scope="col">Store</th><th scope="col">State</th>
            <th scope="col">Waiting</th><th scope="col">Last sync</th><th scope="col">Last error</th>
            <th scope="col" class="hide-narrow">Version</th>
            ${isAdmin && html`<th scope="col"><span class="visually-hidden">Actions</span></th>`}
          </tr></thead>
          <tbody>
            ${devices.map((d) => {
              const hb = d.heartbeat;
              return html`<tr key=${d.device_id} class=${d.revoked ? 'row-muted' : ''}>
                <td><strong>${d.name}</strong><span class="cell-sub mono nowrap">${d.device_id}</span></td>
                <td class="nowrap">${d.store_id}</td>
                <td><${DeviceState} d=${d} silentAfter=${data.silent_after_s} /></td>
                <td class="nowrap">${hb
                  ? html`${hb.queue_length} record${hb.queue_length === 1 ? '' : 's'}
                      ${hb.oldest_pending_age_s !== null && hb.oldest_pending_age_s !== undefined && hb.queue_length > 0 &&
                      html`<span class="cell-sub">oldest ${formatAge(hb.oldest_pending_age_s)}</span>`}
                      ${hb.quarantined ? html`<span class="cell-sub">${hb.quarantined} refused, kept on the device</span>` : ''}`
                  : html`<span class="muted">No report yet</span>`}</td>
                <td>${hb && hb.last_sync_at ? html`${formatAgo(hb.last_sync_at)}<span class="cell-sub">${formatDateTime(hb.last_sync_at)}</span>` : html`<span class="muted">Never</span>`}</td>
                <td>${hb && hb.last_error ? html`<span class="device-error">${hb.last_error}</span>` : html`<span class="muted">None</span>`}</td>
                <td class="hide-narrow">${hb ? hb.app_version : ''}</td>
                ${isAdmin &&
                html`<td class="actions">${!d.revoked &&
                  html`<button type="button" class="button button--small" aria-label=${`Revoke ${d.name} (${d.device_id})`}
                    onClick=${() => setDialog({ kind: 'revoke', device: d })}>Revoke</button>`}</td>`}
              </tr>`;
            })}
          </tbody>
        </table>`}`}
    ${dialog && dialog.kind === 'code' && html`<${EnrolmentCodeDialog} stores=${stores} onClose=${() => setDialog(null)} />`}
    ${dialog && dialog.kind === 'revoke' &&
    html`<${ConfirmDialog} title=${`Revoke ${dialog.device.name}?`} confirmLabel="Revoke device" busy=${busy}
        error=${dialog.error} onConfirm=${() => revoke(dialog.device)} onClose=${() => setDialog(null)}>
      <p>${dialog.device.name} (${dialog.device.device_id}) at ${dialog.device.store_id} stops delivering at once.
        Records still waiting on it stay there until it is enrolled again with a new code.</p>
    <//>`}`;
}
