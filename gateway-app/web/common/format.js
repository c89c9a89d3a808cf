// Formatting shared by both pages: times, hashes, numbers and status badges.
import { el } from './dom.js';

const TIME = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** An ISO time as a `<time>` element in the reader's zone, or "—". */
export function time(iso) {
  if (typeof iso !== 'string' || iso === '') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return el('time', { datetime: iso, text: TIME.format(date) });
}

/** A hash shown as its first 12 characters (tables); the whole value is in its title. */
export function hash(value) {
  if (typeof value !== 'string' || value === '') return '—';
  if (value.length <= 16) return el('code', { text: value });
  return el('code', { class: 'hash', title: value, text: `${value.slice(0, 12)}…` });
}

/** The whole value in monospace (ids, hashes in detail views). */
export function code(value) {
  if (value === null || value === undefined || value === '') return '—';
  return el('code', { class: 'wrap', text: String(value) });
}

const INTEGER = new Intl.NumberFormat('en-GB');
const PERCENT = new Intl.NumberFormat('en-GB', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export function integer(n) {
  return typeof n === 'number' ? INTEGER.format(n) : '—';
}

export function percent(fraction) {
  return typeof fraction === 'number' ? PERCENT.format(fraction) : '—';
}

export function decimal(n, digits = 4) {
  return typeof n === 'number' ? n.toFixed(digits) : '—';
}

/** Status words and the colour family of their badge. */
const TONE = {
  accepted: 'waiting',
  pending: 'waiting',
  assigned: 'working',
  completing: 'working',
  completed: 'good',
  passed: 'good',
  approved: 'good',
  active: 'good',
  VALID: 'good',
  served: 'good',
  open: 'working',
  proposed: 'waiting',
  failed: 'bad',
  expired: 'bad',
  disputed: 'bad',
  revoked: 'bad',
  suspended: 'bad',
  resolved: 'neutral',
};

/** A status badge: the word itself is the information, the colour only repeats it. */
export function badge(status) {
  const word = String(status ?? 'unknown');
  const tone = TONE[word] ?? (/^[A-Z_]+$|^refused/.test(word) ? 'bad' : 'neutral');
  return el('span', { class: `badge badge-${tone}`, text: word });
}

/** An ok/fail mark for one check. */
export function okBadge(ok) {
  return el('span', { class: `badge ${ok ? 'badge-good' : 'badge-bad'}`, text: ok ? '✓ ok' : '✗ fail' });
}

/** A list of strings as comma-separated text. */
export function list(values) {
  return Array.isArray(values) && values.length > 0 ? values.join(', ') : '—';
}
