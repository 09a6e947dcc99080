// How the workspace writes dates, times, money and working time: UK English, in the
// chain's time zone (/me's time_zone, e.g. Europe/London) whatever the browser's zone.
import { currentUser } from './session.js';

const formatters = new Map();

function zone() {
  const u = currentUser();
  return (u && u.time_zone) || 'Europe/London';
}

const formatOptions = {
  datetime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
  weekday: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
};

function formatter(kind) {
  const key = kind + '|' + zone();
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { ...formatOptions[kind], timeZone: zone() });
    formatters.set(key, f);
  }
  return f;
}

/** Builds the date formatters now: a page's first one loads the browser's locale and
 * zone data (about 30 ms), better spent while the first API answers are on the wire. */
export function warmFormats() {
  for (const kind of Object.keys(formatOptions)) formatter(kind);
}

function parse(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "3 Dec 2026, 14:05" (or "" for null). */
export function formatDateTime(iso) {
  const d = parse(iso);
  return d ? formatter('datetime').format(d) : '';
}

/** "3 Dec 2026". */
export function formatDate(iso) {
  const d = parse(iso);
  return d ? formatter('date').format(d) : '';
}

/** "14:05". */
export function formatTime(iso) {
  const d = parse(iso);
  return d ? formatter('time').format(d) : '';
}

/** "Thu 3 Dec, 14:05": near dates, where the weekday helps more than the year. */
export function formatWhen(iso) {
  const d = parse(iso);
  return d ? formatter('weekday').format(d) : '';
}

/** 12345 → "£123.45"; null → "". */
export function formatMoney(pence) {
  if (pence === null || pence === undefined) return '';
  const sign = pence < 0 ? '−' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
}

/** Working seconds (sign ignored) → "2 h 15 min", "45 min", "3 h", "under 1 min". */
export function formatWorkingTime(seconds) {
  const s = Math.abs(Math.round(seconds || 0));
  const minutes = Math.floor(s / 60);
  if (minutes < 1) return 'under 1 min';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  if (m === 0) return `${h} h`;
  return `${h} h ${m} min`;
}

/** Elapsed real time in seconds → "40 s", "12 min", "3 h 5 min", "2 days". */
export function formatAge(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** "3 minutes ago" style, from an ISO time. */
export function formatAgo(iso) {
  const d = parse(iso);
  if (!d) return '';
  const s = (Date.now() - d.getTime()) / 1000;
  if (s < 60) return 'just now';
  return `${formatAge(s)} ago`;
}

const typeNames = { callback: 'Call-back', complaint: 'Complaint', follow_up: 'Follow-up', alert: 'Alert' };
const statusNames = {
  open: 'Open',
  breached: 'Breached',
  awaiting_customer: 'Awaiting customer',
  scheduled: 'Scheduled',
  closed: 'Closed',
  all: 'All',
};
const roleNames = { admin: 'Admin', manager: 'Manager', agent: 'Agent' };

export function typeName(t) {
  return typeNames[t] || t;
}
export function statusName(s) {
  return statusNames[s] || s;
}
export function roleName(r) {
  return roleNames[r] || r;
}
/** "high" → "High". */
export function capitalise(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '';
}
/** "head_office" → "Head office". */
export function levelWords(name) {
  return capitalise(String(name || '').replace(/_/g, ' '));
}
/** "chain" → "Whole chain", "area:north_west" → "Area north west", "store:MCR-01" → "Store MCR-01". */
export function scopeWords(scope, areas) {
  if (!scope || scope === 'chain') return 'Whole chain';
  const [kind, id] = scope.split(':');
  if (kind === 'area') {
    const a = (areas || []).find((x) => x.id === id);
    return `Area ${a && a.name ? a.name : levelWords(id)}`;
  }
  if (kind === 'store') return `Store ${id}`;
  return scope;
}

/** Inside a sentence: "the whole chain", "area North West", "store MCR-01". */
export function scopePhrase(scope, areas) {
  if (!scope || scope === 'chain') return 'the whole chain';
  const words = scopeWords(scope, areas);
  return words.charAt(0).toLowerCase() + words.slice(1);
}
