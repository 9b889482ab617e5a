import { InvalidVersion } from './errors.js';

/** `major.minor` or `major.minor.revision`, as used by RPC APIs and the oslo envelope. */
export interface ParsedVersion {
  major: number;
  minor: number;
  rev: number;
}

const VERSION_RE = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

export function parseVersion(version: string): ParsedVersion {
  const m = VERSION_RE.exec(version);
  if (!m) throw new InvalidVersion({ version });
  return { major: Number(m[1]), minor: Number(m[2]), rev: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * Parsed versions, remembered: every message is checked against the envelope version and
 * every request against its endpoint's, and the same handful of strings come back.
 */
const parsed = new Map<string, Readonly<ParsedVersion>>();

function parseCached(version: string): Readonly<ParsedVersion> {
  let v = parsed.get(version);
  if (v === undefined) {
    v = Object.freeze(parseVersion(version));
    if (parsed.size >= 1024) parsed.clear();
    parsed.set(version, v);
  }
  return v;
}

export function isValidVersion(version: unknown): version is string {
  return typeof version === 'string' && (parsed.has(version) || VERSION_RE.test(version));
}

/**
 * oslo's `version_is_compatible(imp_version, version)`: an implementation (or a cap)
 * accepts a requested version with the same major, a minor not above its own and, at
 * equal minor, a revision not above its own. No implementation version means "anything";
 * no requested version means "nothing" (so a capped client must send a version).
 */
export function versionIsCompatible(impVersion: string | null | undefined, version: string | null | undefined): boolean {
  if (impVersion == null) return true;
  if (version == null) return false;
  const v = parseCached(version);
  const imp = parseCached(impVersion);
  if (v.major !== imp.major) return false;
  if (v.minor > imp.minor) return false;
  return !(v.minor === imp.minor && v.rev > imp.rev);
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor || x.rev - y.rev;
}
