import { InvalidVersionError } from './errors.js';

/** A parsed object or RPC version: `X.Y` or `X.Y.Z` (`.Z` is for stable-branch backports). */
export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly text: string;
}

const VERSION_RE = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(?:\.(0|[1-9]\d{0,5}))?$/;
const cache = new Map<string, ParsedVersion>();

export function parseVersion(text: unknown): ParsedVersion {
  if (typeof text !== 'string') throw new InvalidVersionError({ version: String(text) });
  const hit = cache.get(text);
  if (hit) return hit;
  const m = VERSION_RE.exec(text);
  if (!m) throw new InvalidVersionError({ version: text.length > 40 ? `${text.slice(0, 40)}…` : text });
  const parsed: ParsedVersion = { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]), text };
  if (cache.size < 4096) cache.set(text, parsed);
  return parsed;
}

export function isValidVersion(text: unknown): text is string {
  return typeof text === 'string' && VERSION_RE.test(text);
}

/** Negative when a < b, zero when equal, positive when a > b (patch included). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/**
 * oslo's `is_compatible(requested, current)`: same major, and current is at least the
 * requested version. The patch part is compared only when both minors are equal.
 */
export function isCompatible(requested: string, current: string): boolean {
  const r = parseVersion(requested);
  const c = parseVersion(current);
  if (r.major !== c.major) return false;
  if (r.minor !== c.minor) return r.minor < c.minor;
  return r.patch <= c.patch;
}

/** `X.Y.Z` → `X.Y`; other versions unchanged. */
export function stripPatch(version: string): string {
  const v = parseVersion(version);
  return `${v.major}.${v.minor}`;
}

/** Every `major.minor` from `X.0` up to and including the given version. */
export function minorVersionsUpTo(version: string): string[] {
  const v = parseVersion(version);
  const out: string[] = [];
  for (let minor = 0; minor <= v.minor; minor++) out.push(`${v.major}.${minor}`);
  return out;
}
