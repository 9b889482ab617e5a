/**
 * Typed version histories for RPC APIs (compute, conductor): what each version added or
 * changed, release aliases, and the resolution of a configured version cap. The history is
 * a constant tests can read, not prose in a docstring.
 */
import { InvalidVersionCap } from './errors.js';
import { compareVersions, isValidVersion } from './version.js';

/** What a client is capped to: nothing, a fixed version, or a provider asked lazily. */
export type VersionCap = string | VersionCapProvider | null | undefined;
export type VersionCapProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface RpcApiSpec<H extends Record<string, string>, A extends Record<string, keyof H & string>> {
  /** Used in error messages and logs, e.g. `compute`. */
  name: string;
  /** Every version, oldest first, with what it added or changed. */
  history: H;
  /** Release names to versions, e.g. `{ 'release-1': '1.3' }`. */
  aliases?: A;
}

export interface RpcApi<V extends string, R extends string> {
  readonly name: string;
  readonly history: Readonly<Record<V, string>>;
  readonly aliases: Readonly<Record<R, V>>;
  /** All versions, ascending. */
  readonly versions: readonly V[];
  readonly latest: V;
  /**
   * A configured cap (`[upgrade_levels]` style) to a version: null/'' for no cap, a release
   * alias, or an explicit version. `auto` is not resolved here: use `versionCap`.
   */
  resolveCap(setting: string | null | undefined): string | undefined;
  /**
   * The cap to hand to an RpcClient. For `auto`, `auto()` is asked on first use (Nova feeds
   * it the minimum version of live services); it may answer a version or an alias, and
   * no answer means no cap.
   */
  versionCap(setting: string | null | undefined, auto?: VersionCapProvider): VersionCap;
}

export function defineRpcApi<
  const H extends Record<string, string>,
  const A extends Record<string, keyof H & string> = Record<never, keyof H & string>,
>(spec: RpcApiSpec<H, A>): RpcApi<keyof H & string, keyof A & string> {
  type V = keyof H & string;
  const versions = Object.keys(spec.history) as V[];
  if (versions.length === 0) throw new InvalidVersionCap({ api: spec.name, setting: '(empty history)' });
  for (const v of versions) if (!isValidVersion(v)) throw new InvalidVersionCap({ api: spec.name, setting: v });
  versions.sort(compareVersions);
  const aliases = (spec.aliases ?? {}) as Record<string, V>;
  for (const [alias, v] of Object.entries(aliases)) {
    if (!Object.hasOwn(spec.history, v)) throw new InvalidVersionCap({ api: spec.name, setting: `${alias}=${v}` });
  }

  const resolveCap = (setting: string | null | undefined): string | undefined => {
    if (setting == null || setting === '') return undefined;
    if (Object.hasOwn(aliases, setting)) return aliases[setting];
    if (isValidVersion(setting)) return setting;
    throw new InvalidVersionCap({ api: spec.name, setting });
  };

  return Object.freeze({
    name: spec.name,
    history: Object.freeze({ ...spec.history }),
    aliases: Object.freeze({ ...aliases }) as Record<keyof A & string, V>,
    versions: Object.freeze(versions),
    latest: versions[versions.length - 1]!,
    resolveCap,
    versionCap(setting: string | null | undefined, auto?: VersionCapProvider): VersionCap {
      if (setting !== 'auto') return resolveCap(setting);
      if (!auto) throw new InvalidVersionCap({ api: spec.name, setting: 'auto (no provider)' });
      return async () => resolveCap((await auto()) ?? undefined);
    },
  });
}
