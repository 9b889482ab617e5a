import { CoercionFailure, pyTypeName, shortRepr, type FieldType } from './field-type.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS[month - 1]!;
}

/** ISO-8601 text as iso8601/oslo accept it; a value without a zone is UTC. */
export function parseIsoDatetime(text: string): Date {
  if (text.length > 64) throw new CoercionFailure(`${shortRepr(text)} is not an ISO-8601 datetime`);
  const m = ISO_RE.exec(text.trim());
  if (!m) throw new CoercionFailure(`${shortRepr(text)} is not an ISO-8601 datetime`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new CoercionFailure(`${shortRepr(text)} is out of range for a datetime`);
  }
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) throw new CoercionFailure(`${shortRepr(text)} has an invalid UTC offset`);
    offsetMin = sign * (oh * 60 + om);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return offsetMin ? new Date(d.getTime() - offsetMin * 60_000) : d;
}

export function coerceDatetime(v: unknown): Date {
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) throw new CoercionFailure('Invalid Date');
    const y = v.getUTCFullYear();
    if (y < 1 || y > 9999) throw new CoercionFailure(`year ${y} is out of range`);
    return v;
  }
  if (typeof v === 'string') return parseIsoDatetime(v);
  throw new CoercionFailure(`A datetime.datetime is required, not a ${pyTypeName(v)}`);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The wire form oslo writes: whole seconds, `Z` for UTC. */
export function datetimeToPrimitive(d: Date): string {
  const y = d.getUTCFullYear();
  if (y >= 1000) return `${d.toISOString().slice(0, 19)}Z`;
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}Z`;
}

/** Python's str(datetime) for an aware UTC datetime (what StringField makes of a datetime). */
export function pythonDatetimeStr(d: Date): string {
  const base = datetimeToPrimitive(d).slice(0, 19).replace('T', ' ');
  const ms = d.getUTCMilliseconds();
  return `${base}${ms ? `.${pad(ms * 1000, 6)}` : ''}+00:00`;
}

export const DateTimeType: FieldType<Date> = {
  kind: 'DateTime',
  describe: () => 'DateTime',
  coerce: coerceDatetime,
  toPrimitive: datetimeToPrimitive,
  fromPrimitive: (v) => coerceDatetime(v),
  container: false,
  clone: (d) => new Date(d.getTime()),
  equals: (a, b) => a.getTime() === b.getTime(),
  sample: () => new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
};
