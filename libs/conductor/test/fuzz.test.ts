// Malformed object-action messages, 10,000+ of them from a seeded generator, sent raw (plain
// JSON, no serializer on the client) to the conductor over the in-process transport. Every
// one must be answered with a typed error the client re-raises by name (never RemoteError,
// never success), the conductor must keep serving, and no row may change. Each message is
// built from a valid one with exactly the defects of its category, so a message that slips
// through would run a real save of a changed Instance, and show up as a changed row.
import { CONDUCTOR_API, CONDUCTOR_ERROR_NAMES, conductorErrorRegistry } from '@novakit/conductor-api';
import { Instance } from '@novakit/objects';
import { createRequestContext, RemoteError, RpcClient } from '@novakit/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conductorEnv, snapshotDatabase, type ConductorEnv, uuid } from './harness.js';

const MESSAGES = 10_500;
const CONCURRENCY = 32;

type Msg = { method: string; args: Record<string, unknown> };
type Rng = () => number;

function mulberry32(seed: number): Rng {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const randomName = (rng: Rng) => `x${Math.floor(rng() * 1e9).toString(36)}`;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
const NOT_REMOTABLE = ['obj_reset_changes', 'obj_clone', 'obj_set', 'obj_load_attr', 'obj_to_primitive', 'obj_what_changed', 'toJSON', 'getByUuid', 'getById', 'name', 'nameTemplate', 'obj_lazy_load', 'obj_make_compatible'];
const NOT_REMOTABLE_CLASS = ['save', 'create', 'destroy', 'refresh', 'forThisProcess', 'register', 'bdmsByInstanceUuid', 'bdmByVolumeId', 'rulesBySecurityGroupId', 'meta', 'remotable', 'remotableClass', 'nameTemplate', 'name', 'length', 'apply', 'call', 'bind', 'fromWire'];
const BAD_IDENTIFIERS = ['', 'save ', 'save()', 'sa-ve', '1save', 'save;drop', 'a'.repeat(101), 'sävé'];

/** The categories; each turns a valid save of a changed Instance into a message that must be refused. */
function generators(inst: Record<string, unknown>, rng: Rng): Record<string, () => Msg> {
  const action = (over: Record<string, unknown> = {}): Msg => ({ method: 'object_action', args: { objinst: clone(inst), objmethod: 'save', args: [], kwargs: {}, ...over } });
  const classAction = (over: Record<string, unknown> = {}): Msg => ({
    method: 'object_class_action_versions',
    args: { objname: 'Instance', objmethod: 'getByUuid', object_versions: { Instance: '1.0' }, args: [inst['nova_object.data'] && (inst['nova_object.data'] as { uuid: string }).uuid], kwargs: {}, ...over },
  });
  const mutated = (edit: (p: Record<string, unknown>, data: Record<string, unknown>) => void): Msg => {
    const prim = clone(inst);
    edit(prim, prim['nova_object.data'] as Record<string, unknown>);
    return action({ objinst: prim });
  };
  return {
    wrongRpcMethod: () => ({ ...action(), method: pick(rng, ['object_actionx', 'Object_action', 'object_action ', '', '_object_action', 'object_class_action', 'object_backport', randomName(rng), ...PROTO_NAMES]) }),
    unknownObject: () => mutated((p) => (p['nova_object.name'] = pick(rng, ['Instances', 'Widget', 'NovaObject', 'VersionedObject', randomName(rng), ...PROTO_NAMES]))),
    notRemotableMethod: () => action({ objmethod: pick(rng, [...NOT_REMOTABLE, ...PROTO_NAMES, ...BAD_IDENTIFIERS, randomName(rng)]) }),
    notRemotableClassMethod: () =>
      classAction({ objname: pick(rng, ['Instance', 'Service', 'ComputeNode', 'BlockDeviceMappingList', 'SecurityGroupRuleList']), objmethod: pick(rng, [...NOT_REMOTABLE_CLASS, ...PROTO_NAMES, randomName(rng)]) }),
    unknownClass: () => classAction({ objname: pick(rng, ['Nope', 'Instances', randomName(rng), ...PROTO_NAMES]) }),
    incompatibleManifest: () => classAction({ object_versions: { Instance: pick(rng, ['2.0', '1.9', '0.1', '1.0.0.1', 'x', '']) } }),
    malformedEnvelope: () =>
      mutated((p) => {
        const key = pick(rng, ['nova_object.name', 'nova_object.namespace', 'nova_object.version', 'nova_object.data', 'nova_object.changes']);
        const bad = pick(rng, [undefined, null, 5, 'x', [], true, {}, '1', '1.0.0.0', 'other']);
        if (bad === undefined) delete p[key];
        else if (key === 'nova_object.namespace' && bad === 'x') p[key] = 'neutron';
        else if (key === 'nova_object.name' && typeof bad === 'string') p[key] = 5;
        else if (key === 'nova_object.version' && bad === '1') p[key] = '1';
        else if (key === 'nova_object.changes' && Array.isArray(bad)) p[key] = [5];
        else if (key === 'nova_object.data' && bad !== null && typeof bad === 'object' && !Array.isArray(bad)) p[key] = [];
        else p[key] = bad;
        if (key === 'nova_object.changes' && (p[key] === undefined || p[key] === null)) p[key] = 'progress';
      }),
    badFieldValue: () =>
      mutated((_p, d) => {
        const [field, value] = pick(rng, [
          ['id', 'abc'], ['vm_state', 'sleeping'], ['task_state', 42], ['launched_at', 'yesterday'], ['metadata', 'x'],
          ['metadata', { a: { b: 1 } }], ['progress', {}], ['access_ip_v4', '999.1.1.1'], ['info_cache', 5], ['uuid', null], ['id', null],
          ['security_groups', { 'nova_object.name': 'SecurityGroupList', 'nova_object.namespace': 'nova', 'nova_object.version': '1.0', 'nova_object.data': 'x' }],
          ['fault', { 'nova_object.name': 'Instance', 'nova_object.namespace': 'nova', 'nova_object.version': '1.0', 'nova_object.data': {} }],
        ] as const);
        d[field] = clone(value);
      }),
    prototypeKeysInData: () =>
      mutated((p, d) => {
        p['nova_object.data'] = { ...json(`{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`), ...d, id: 'abc' };
      }),
    prototypeKeysInKwargs: () =>
      action({ objmethod: pick(rng, ['obj_reset_changes', 'toString']), kwargs: json(`{"__proto__": {"polluted": true}, "expectedTaskState": null}`) }),
    wrongArgumentTypes: () => {
      const [key, value] = pick(rng, [
        ['objinst', 5], ['objinst', 'Instance'], ['objinst', null], ['objinst', []], ['objinst', { uuid: 'x' }], ['objinst', true],
        ['objmethod', 5], ['objmethod', null], ['objmethod', ['save']], ['objmethod', { name: 'save' }],
        ['args', {}], ['args', 'x'], ['args', 5], ['args', null], ['args', new Array(65).fill(0)],
        ['kwargs', []], ['kwargs', 'x'], ['kwargs', 5], ['kwargs', null], ['kwargs', { 'bad key': 1 }], ['kwargs', { constructor: 1 }], ['kwargs', { prototype: 1 }],
      ] as const);
      return action({ [key]: clone(value) });
    },
    wrongClassArgumentTypes: () => {
      const [key, value] = pick(rng, [
        ['objname', 5], ['objname', null], ['object_versions', []], ['object_versions', 'x'], ['object_versions', { Instance: 5 }],
        ['object_versions', { constructor: '1.0' }], ['object_versions', { 'Inst ance': '1.0' }], ['args', {}], ['kwargs', []],
      ] as const);
      return classAction({ [key]: clone(value) });
    },
    missingOrExtraKwargs: () => {
      const m = pick(rng, [action(), classAction()]);
      if (rng() < 0.5) delete m.args[pick(rng, Object.keys(m.args))];
      else m.args[pick(rng, ['bogus', 'objinst2', 'version', 'context', '_context_user'])] = 1;
      return m;
    },
    badBackport: () => ({
      method: 'object_backport_versions',
      args: pick(rng, [
        { objinst: 'x', object_versions: { Instance: '1.0' } },
        { objinst: clone(inst), object_versions: [] },
        { objinst: clone(inst), object_versions: { Instance: 5 } },
        { objinst: { ...clone(inst), 'nova_object.version': '7.0' }, object_versions: { Instance: '1.0' } },
        { objinst: clone(inst) },
      ]),
    }),
  };
}

let env: ConductorEnv;
let raw: RpcClient;
let base: Record<string, unknown>;

beforeAll(async () => {
  env = await conductorEnv();
  raw = new RpcClient(env.transport, { topic: 'conductor', version: CONDUCTOR_API.latest }, { errors: conductorErrorRegistry(), timeoutMs: 30_000 });
  const inst = new Instance({ uuid: uuid(), host: 'host-a', vm_state: 'active', task_state: null, progress: 1 } as never, env.admin);
  await inst.create();
  const changed = await Instance.getByUuid(env.admin, inst.uuid, { expectedAttrs: [] });
  changed.progress = 99;
  changed.task_state = 'deleting';
  base = changed.obj_to_primitive();
});
afterAll(async () => env?.close());

describe('malformed object-action messages', () => {
  it('a valid message built like the fuzz ones does run (the generator’s base is live)', async () => {
    const ok = await raw.call(createRequestContext(), 'object_class_action_versions', {
      objname: 'Instance', objmethod: 'getByUuid', object_versions: { Instance: '1.0' }, args: [(base['nova_object.data'] as { uuid: string }).uuid], kwargs: {},
    });
    expect((ok as Record<string, unknown>)['nova_object.name']).toBe('Instance');
  });

  it(`${MESSAGES} of them are each refused with a typed error; the conductor keeps serving; no row changes`, async () => {
    const rng = mulberry32(0x5eed);
    const gens = generators(base, rng);
    const names = Object.keys(gens);
    const before = await snapshotDatabase(env.tdb);
    const typed = new Set(CONDUCTOR_ERROR_NAMES);
    const byCategory: Record<string, Record<string, number>> = {};
    const problems: string[] = [];
    let sent = 0;
    const one = async (i: number) => {
      const category = names[i % names.length]!;
      const msg = gens[category]!();
      const err = await raw.call(createRequestContext(), msg.method, msg.args).then(() => null, (e: unknown) => e as Error);
      const name = err === null ? 'SUCCEEDED' : err instanceof RemoteError ? `RemoteError(${err.kwargs.excType}: ${err.kwargs.value})` : err.name;
      (byCategory[category] ??= {})[name] = (byCategory[category]![name] ?? 0) + 1;
      if (err === null || err instanceof RemoteError || !typed.has(err.name)) {
        if (problems.length < 20) problems.push(`${category}: ${name} for ${JSON.stringify(msg).slice(0, 300)}`);
      }
      sent++;
    };
    for (let i = 0; i < MESSAGES; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, MESSAGES - i) }, (_, k) => one(i + k)));
      if (i % 2048 === 0) await expect(Instance.getByUuid(env.ctx, (base['nova_object.data'] as { uuid: string }).uuid)).resolves.toBeInstanceOf(Instance);
    }
    if (process.env.NOVAKIT_FUZZ_REPORT) console.log(JSON.stringify(byCategory, null, 1));
    expect(problems).toEqual([]);
    expect(sent).toBe(MESSAGES);
    for (const category of names) expect(Object.values(byCategory[category] ?? {}).reduce((a, b) => a + b, 0), category).toBeGreaterThan(500);
    expect(await snapshotDatabase(env.tdb)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    const inst = await Instance.getByUuid(env.ctx, (base['nova_object.data'] as { uuid: string }).uuid);
    expect(inst.progress).toBe(1);
  }, 300_000);
});
