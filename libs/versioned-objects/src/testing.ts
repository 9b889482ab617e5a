/**
 * Test kit for libraries that define objects (oslo's fixture module): the fingerprint lock,
 * a fake indirection API that round-trips through JSON like the wire, round-trip helpers and
 * a generated backport check for every object and every older version it declares.
 *
 * ```ts
 * import { assertFingerprintsLocked, compatibilityReport } from '@novakit/versioned-objects/testing';
 * it('object fingerprints are locked', () => assertFingerprintsLocked(registry, new URL('./fingerprints.json', import.meta.url)));
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VersionedObject, type Primitive } from './base.js';
import type { IndirectionApi, ObjectActionReply, ObjectContext } from './context.js';
import { ObjectDispatcher } from './dispatch.js';
import { registryFingerprints } from './fingerprint.js';
import type { ObjectRegistry } from './registry.js';
import { ObjectSerializer } from './serializer.js';
import { compareVersions } from './version.js';

export const UPDATE_FINGERPRINTS_ENV = 'NOVAKIT_UPDATE_FINGERPRINTS';

export interface FingerprintMismatch {
  readonly name: string;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  readonly message: string;
}

function lockPath(path: string | URL): string {
  return typeof path === 'string' ? path : fileURLToPath(path);
}

/** Compare the registry with the committed lockfile; with NOVAKIT_UPDATE_FINGERPRINTS=1, rewrite it. */
export function checkFingerprints(registry: ObjectRegistry, lockfile: string | URL): FingerprintMismatch[] {
  const file = lockPath(lockfile);
  const actual = registryFingerprints(registry);
  if (process.env[UPDATE_FINGERPRINTS_ENV] === '1') {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return [];
  }
  const expected: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const regen = `regenerate the lockfile with ${UPDATE_FINGERPRINTS_ENV}=1`;
  const out: FingerprintMismatch[] = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const e = expected[name];
    const a = actual[name];
    if (e === a) continue;
    let message: string;
    if (e === undefined) message = `${name} is new: ${regen} and commit it`;
    else if (a === undefined) message = `${name} is no longer registered: removing an object is a major change; if intended, ${regen}`;
    else if (e.split('-')[0] === a.split('-')[0]) {
      message =
        `${name} changed (fields, remotable methods or child versions) without a version bump: ` +
        `lockfile ${e}, now ${a}. Bump ${name}'s version, add a history line and, if older peers need it, ` +
        `a since()/obj_make_compatible rule; then ${regen}.`;
    } else message = `${name} is now ${a.split('-')[0]} but the lockfile says ${e.split('-')[0]}: ${regen}`;
    out.push({ name, expected: e, actual: a, message });
  }
  return out;
}

/** Throw one error listing every object whose schema changed without a version bump. */
export function assertFingerprintsLocked(registry: ObjectRegistry, lockfile: string | URL): void {
  const mismatches = checkFingerprints(registry, lockfile);
  if (mismatches.length) throw new Error(`Object fingerprints changed:\n- ${mismatches.map((m) => m.message).join('\n- ')}`);
}

/** JSON round trip through the wire form, at an optional target version. */
export function roundTrip<T extends VersionedObject>(obj: T, context: ObjectContext | null = null, targetVersion?: string): T {
  const registry = obj._meta.registry;
  const wire = JSON.parse(JSON.stringify(obj.obj_to_primitive(targetVersion ? { targetVersion } : undefined)));
  return registry.fromPrimitive(wire, context) as T;
}

export interface CompatibilityCase {
  readonly name: string;
  readonly target: string;
  readonly ok: boolean;
  readonly problem?: string;
}

/**
 * For every registered object and every older version its history declares: build a sample
 * with every field set, backport it, read it back, and check that the fields newer than the
 * target are gone, the older ones survived with equal values, and a second backport is stable.
 */
export function compatibilityReport(registry: ObjectRegistry): CompatibilityCase[] {
  const out: CompatibilityCase[] = [];
  for (const name of registry.names()) {
    const meta = registry.newest(name).meta;
    for (const target of Object.keys(meta.history).filter((v) => compareVersions(v, meta.version) < 0)) {
      out.push(checkBackport(registry, name, target));
    }
  }
  return out;
}

function checkBackport(registry: ObjectRegistry, name: string, target: string): CompatibilityCase {
  const fail = (problem: string): CompatibilityCase => ({ name, target, ok: false, problem });
  try {
    const obj = registry.sampleObject(name);
    const full = obj.obj_to_primitive();
    const prim = JSON.parse(JSON.stringify(obj.obj_to_primitive({ targetVersion: target })));
    const keys = registry.keys;
    if (prim[keys.version] !== target) return fail(`envelope version is ${prim[keys.version]}`);
    const data = prim[keys.data] as Record<string, unknown>;
    const fullData = full[keys.data] as Record<string, unknown>;
    for (const fm of obj._meta.fields) {
      const since = fm.field.options.since;
      const newer = since !== null && compareVersions(since, target) > 0;
      if (newer && fm.name in data) return fail(`field ${fm.name} (since ${since}) survived the backport`);
      if (!newer && fm.name in data && !fm.isObject && !fm.isObjectList && JSON.stringify(data[fm.name]) !== JSON.stringify(fullData[fm.name])) {
        return fail(`field ${fm.name} changed value in the backport`);
      }
    }
    const back = registry.fromPrimitive(prim);
    if (back.obj_version !== target) return fail(`read back at ${back.obj_version}`);
    const again = JSON.parse(JSON.stringify(back.obj_to_primitive()));
    // Nested `changes` may legitimately differ (oslo leaves them unfiltered on backport); data may not.
    if (JSON.stringify(withoutChanges(again[keys.data], keys.changes)) !== JSON.stringify(withoutChanges(data, keys.changes))) {
      return fail('a second serialization differs from the backport');
    }
    return { name, target, ok: true };
  } catch (e) {
    return fail(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
}

function withoutChanges(value: unknown, changesKey: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutChanges(v, changesKey));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== changesKey) out[k] = withoutChanges(v, changesKey);
    return out;
  }
  return value;
}

/** A value as the other side reads it from JSON; a method returning nothing answers null (Python's None). */
function overTheWire(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export interface RecordedCall {
  readonly method: 'object_action' | 'object_class_action_versions' | 'object_backport_versions';
  readonly objname: string;
  readonly objmethod?: string;
  readonly wire: string;
}

/**
 * An indirection API that runs the conductor side in-process, but sends every request and
 * reply through the serializer and JSON, as the wire does, and records each call. The server
 * side gets `serverContext(callerContext)` (a context without indirection, so methods run
 * locally); it receives the caller's context because a real conductor acts for the caller's
 * request (request id, user, project), not for one fixed identity.
 */
export class FakeIndirectionApi implements IndirectionApi {
  readonly calls: RecordedCall[] = [];
  private readonly dispatcher: ObjectDispatcher;
  private readonly serializer: ObjectSerializer<ObjectContext>;
  private readonly clientSerializer: ObjectSerializer<ObjectContext>;

  /** `clientRegistry`: the caller's objects, when it runs an older release than the server side. */
  constructor(
    readonly registry: ObjectRegistry,
    private readonly serverContext: (callerContext: ObjectContext) => ObjectContext,
    clientRegistry: ObjectRegistry = registry,
  ) {
    const codec = { serialize: () => ({}), deserialize: () => ({}) };
    this.dispatcher = new ObjectDispatcher(registry);
    this.serializer = new ObjectSerializer<ObjectContext>(registry, codec);
    this.clientSerializer = new ObjectSerializer<ObjectContext>(clientRegistry, codec);
  }

  /** Client → server: encoded by the client's serializer, decoded by the server's. */
  private async send(ctx: ObjectContext, value: unknown): Promise<any> {
    return this.serializer.deserializeEntity(ctx, overTheWire(this.clientSerializer.serializeEntity(ctx, value)));
  }

  /** Server → client. */
  private async reply(ctx: ObjectContext, value: unknown): Promise<any> {
    return this.clientSerializer.deserializeEntity(ctx, overTheWire(this.serializer.serializeEntity(ctx, value)));
  }

  async object_action(ctx: ObjectContext, objinst: VersionedObject, objmethod: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<ObjectActionReply> {
    const request = { objinst, objmethod, args, kwargs };
    this.calls.push({ method: 'object_action', objname: objinst.obj_name(), objmethod, wire: JSON.stringify(this.serializer.serializeEntity(ctx, request)) });
    const server = this.serverContext(ctx);
    const got = await this.send(server, request);
    const reply = await this.dispatcher.objectAction(server, got.objinst, objmethod, got.args, got.kwargs);
    return (await this.reply(ctx, reply)) as ObjectActionReply;
  }

  async object_class_action_versions(ctx: ObjectContext, objname: string, objmethod: string, objectVersions: Readonly<Record<string, string>>, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<unknown> {
    const request = { objname, objmethod, objectVersions, args, kwargs };
    this.calls.push({ method: 'object_class_action_versions', objname, objmethod, wire: JSON.stringify(this.serializer.serializeEntity(ctx, request)) });
    const server = this.serverContext(ctx);
    const got = await this.send(server, request);
    const result = await this.dispatcher.objectClassActionVersions(server, objname, objmethod, got.objectVersions, got.args, got.kwargs);
    return this.reply(ctx, result);
  }

  async object_backport_versions(ctx: ObjectContext, objinst: Record<string, unknown>, objectVersions: Readonly<Record<string, string>>): Promise<unknown> {
    const objname = String(objinst[this.registry.keys.name]);
    this.calls.push({ method: 'object_backport_versions', objname, wire: JSON.stringify(objinst) });
    const server = this.serverContext(ctx);
    const obj = this.registry.fromPrimitive(JSON.parse(JSON.stringify(objinst)), server);
    const prim: Primitive = this.dispatcher.objectBackportVersions(server, obj, objectVersions);
    return this.reply(ctx, prim);
  }
}
