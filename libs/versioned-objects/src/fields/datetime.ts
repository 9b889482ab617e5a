import { CoercionFailure, pyTypeName, shortRepr, type FieldType } from './field-type.js';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS[month - 1]!;
}

const MS_PER_DAY = 86_400_000;
const D2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The form oslo writes (`YYYY-MM-DDTHH:MM:SSZ`) without a regex; null when `text` is not in it. */
function parseCanonical(text: string): Date | null {
  if (text.length !== 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 90) {
    return null;
  }
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  return new Date(daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000);
}

/** ISO-8601 text as iso8601/oslo accept it; a value without a zone is UTC. */
export function parseIsoDatetime(text: string): Date {
  const fast = parseCanonical(text);
  if (fast) return fast;
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

/** The wire form oslo writes: whole seconds, `Z` for UTC (civil_from_days, cheaper than toISOString). */
export function datetimeToPrimitive(date: Date): string {
  const ms = date.getTime();
  const days = Math.floor(ms / MS_PER_DAY);
  let secs = Math.floor((ms - days * MS_PER_DAY) / 1000);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(secs / 3600);
  secs -= h * 3600;
  const mi = Math.floor(secs / 60);
  const year = y >= 1000 ? String(y) : pad(y, 4);
  return `${year}-${D2[m]}-${D2[d]}T${D2[h]}:${D2[mi]}:${D2[secs - mi * 60]}Z`;
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
