// The client against a recording fake conductor (plain JSON on the server side), so what is
// checked is the wire: method names, kwarg names, the version each method is sent at, caps,
// and errors re-raised by name.
import { randomUUID } from 'node:crypto';
import { Instance, InstanceNotFound, objectRegistry, RequestContext } from '@novakit/objects';
import { createTransport, defineEndpoint, RemoteError, RpcServer, type CallInfo, type Transport } from '@novakit/rpc';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConductorClient,
  ConductorTimeout,
  ConductorVersionTooOld,
  CONDUCTOR_METHOD_VERSIONS,
  COMPUTE_TASK_NAMESPACE,
  NoValidHost,
} from '../src/index.js';

interface Seen {
  method: string;
  version: string;
  namespace: string | null;
  args: Record<string, unknown>;
}

const logger = pino({ level: 'silent' });
const seen: Seen[] = [];
const replies = new Map<string, (args: Record<string, unknown>) => unknown>();
let transport: Transport;
let server: RpcServer;
let topic: string;

function recorder(namespace: string | null, names: string[]) {
  const methods: Record<string, (ctx: unknown, args: Record<string, unknown>, info: CallInfo) => unknown> = {};
  for (const name of names) {
    methods[name] = (_ctx, args, info) => {
      seen.push({ method: name, version: info.version, namespace, args });
      const reply = replies.get(name);
      return reply ? reply(args) : null;
    };
  }
  return defineEndpoint({ target: { namespace, version: namespace ? '1.1' : '1.2' }, methods: methods as never });
}

function instancePrimitive(values: Record<string, unknown> = {}): Record<string, unknown> {
  return new Instance({ id: 1, uuid: randomUUID(), host: 'h1', vm_state: 'active', task_state: null, ...values } as never).obj_to_primitive();
}

beforeAll(async () => {
  topic = `conductor_${randomUUID().slice(0, 8)}`;
  transport = await createTransport(`memory://${topic}`, { logger });
  server = new RpcServer(transport, { topic, server: 'fake' }, [
    recorder(null, Object.keys(CONDUCTOR_METHOD_VERSIONS)),
    recorder(COMPUTE_TASK_NAMESPACE, ['build_instances', 'live_migrate_instance']),
  ], { logger });
  await server.start();
});

afterAll(async () => {
  await server.stop();
  await transport.close();
});

beforeEach(() => {
  seen.length = 0;
  replies.clear();
});

const computeCtx = (client: ConductorClient) => RequestContext.withIndirection(RequestContext.create({ user_id: 'u', project_id: 'p' }), client);

describe('object methods are the indirection API, with oslo names and kwargs', () => {
  it('Instance.getByUuid sends object_class_action_versions(objname, objmethod, object_versions, args, kwargs) at 1.1', async () => {
    const client = new ConductorClient(transport, { topic });
    const prim = instancePrimitive();
    replies.set('object_class_action_versions', () => prim);
    const got = await Instance.getByUuid(computeCtx(client), 'abc');
    expect(got).toBeInstanceOf(Instance);
    expect(got.host).toBe('h1');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.version).toBe('1.1');
    expect(Object.keys(seen[0]!.args)).toEqual(['objname', 'objmethod', 'object_versions', 'args', 'kwargs']);
    expect(seen[0]!.args).toMatchObject({ objname: 'Instance', objmethod: 'getByUuid', args: ['abc'], kwargs: {} });
    expect(seen[0]!.args.object_versions).toEqual(objectRegistry.treeVersions('Instance'));
  });

  it('instance.save() sends object_action(objinst, objmethod, args, kwargs) and applies [updates, result]', async () => {
    const client = new ConductorClient(transport, { topic });
    replies.set('object_action', () => [{ updated_at: '2030-01-02T03:04:05Z', obj_what_changed: [] }, null]);
    const inst = new Instance({ id: 1, uuid: randomUUID(), host: 'h1' } as never, computeCtx(client));
    inst.obj_reset_changes();
    inst.host = 'h2';
    await inst.save();
    expect(seen[0]!.method).toBe('object_action');
    expect(seen[0]!.version).toBe('1.1');
    expect(Object.keys(seen[0]!.args)).toEqual(['objinst', 'objmethod', 'args', 'kwargs']);
    const objinst = seen[0]!.args.objinst as Record<string, unknown>;
    expect(objinst['nova_object.name']).toBe('Instance');
    expect(objinst['nova_object.changes']).toEqual(['host']);
    expect(inst.updated_at).toEqual(new Date('2030-01-02T03:04:05Z'));
    expect(inst.obj_has_changes()).toBe(false);
  });

  it('object_backport_versions(objinst, object_versions) is sent at 1.2', async () => {
    const client = new ConductorClient(transport, { topic });
    const prim = instancePrimitive();
    replies.set('object_backport_versions', () => prim);
    const got = await client.object_backport_versions(RequestContext.create(), prim, { Instance: '1.0' });
    expect(got).toBeInstanceOf(Instance);
    expect(seen[0]).toMatchObject({ method: 'object_backport_versions', version: '1.2', args: { object_versions: { Instance: '1.0' } } });
    expect(Object.keys(seen[0]!.args)).toEqual(['objinst', 'object_versions']);
  });
});

describe('legacy methods', () => {
  it('go at 1.0 with Nova kwarg names, plain dicts in and out', async () => {
    const client = new ConductorClient(transport, { topic });
    replies.set('instance_update', (a) => ({ uuid: a.instance_uuid, host: 'h9' }));
    const ctx = RequestContext.create();
    expect(await client.instance_update(ctx, 'u-1', { host: 'h9', expected_task_state: null })).toEqual({ uuid: 'u-1', host: 'h9' });
    await client.block_device_mapping_update_or_create(ctx, { device_name: '/dev/vdb' }, true);
    await client.security_group_rule_get_by_security_group(ctx, 7);
    await client.compute_node_update(ctx, 3, { vcpus_used: 2 });
    expect(seen.map((s) => [s.method, s.version, s.args])).toEqual([
      ['instance_update', '1.0', { instance_uuid: 'u-1', updates: { host: 'h9', expected_task_state: null }, service: null }],
      ['block_device_mapping_update_or_create', '1.0', { values: { device_name: '/dev/vdb' }, create: true }],
      ['security_group_rule_get_by_security_group', '1.0', { security_group_id: 7 }],
      ['compute_node_update', '1.0', { node_id: 3, values: { vcpus_used: 2 } }],
    ]);
  });
});

describe('version caps', () => {
  it('a client capped below 1.1 still sends legacy methods and refuses object methods without sending', async () => {
    const client = new ConductorClient(transport, { topic, versionCap: '1.0' });
    await client.provider_fw_rule_get_all(RequestContext.create());
    const err = await Instance.getByUuid(computeCtx(client), 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConductorVersionTooOld);
    expect((err as ConductorVersionTooOld).kwargs).toMatchObject({ method: 'object_class_action_versions', version: '1.1', cap: '1.0' });
    expect(seen.map((s) => s.method)).toEqual(['provider_fw_rule_get_all']);
  });

  it('honours a release alias', async () => {
    const client = new ConductorClient(transport, { topic, versionCap: 'release-1' });
    expect(await client.versionCap()).toBe('1.2');
    expect(await client.canSendVersion('1.2')).toBe(true);
  });

  it('auto asks its provider for the oldest conductor service version', async () => {
    const old = new ConductorClient(transport, { topic, versionCap: 'auto', minimumServiceVersion: async () => 0 });
    expect(await old.versionCap()).toBe('1.0');
    expect(await old.computeTask.versionCap()).toBe('1.0');
    const current = new ConductorClient(transport, { topic, versionCap: 'auto', minimumServiceVersion: async () => 1 });
    expect(await current.versionCap()).toBe('1.2');
  });

  it('auto without a provider asks the conductors for Service.getMinimumVersion, uncapped', async () => {
    replies.set('object_class_action_versions', (a) => (a.objmethod === 'getMinimumVersion' ? 1 : null));
    const client = new ConductorClient(transport, { topic, versionCap: 'auto' });
    expect(await client.versionCap()).toBe('1.2');
    expect(seen[0]!.args).toMatchObject({ objname: 'Service', objmethod: 'getMinimumVersion', args: ['nova-conductor'] });
  });
});

describe('errors', () => {
  it('re-raises conductor and objects errors by name, unknown ones as RemoteError', async () => {
    const client = new ConductorClient(transport, { topic });
    replies.set('instance_get_by_uuid', () => {
      throw new InstanceNotFound({ instance_id: 'nope' });
    });
    replies.set('object_action', () => {
      throw new NoValidHost({ reason: 'h1: RamFilter: too small' });
    });
    replies.set('provider_fw_rule_get_all', () => {
      throw new TypeError('boom');
    });
    const ctx = RequestContext.create();
    const notFound = await client.instance_get_by_uuid(ctx, 'nope').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(InstanceNotFound);
    expect((notFound as InstanceNotFound).kwargs.instance_id).toBe('nope');
    const noHost = await client.object_action(ctx, new Instance({ id: 1 } as never), 'save', [], {}).catch((e: unknown) => e);
    expect(noHost).toBeInstanceOf(NoValidHost);
    expect((noHost as Error).message).toBe('No valid host was found. h1: RamFilter: too small');
    expect(await client.provider_fw_rule_get_all(ctx).catch((e: unknown) => e)).toBeInstanceOf(RemoteError);
  });

  it('a call nobody answers fails with ConductorTimeout naming the method and topic', async () => {
    const client = new ConductorClient(transport, { topic: `${topic}_nobody`, timeoutMs: 200 });
    const err = await client.provider_fw_rule_get_all(RequestContext.create()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConductorTimeout);
    expect((err as Error).message).toMatch(/No conductor answered provider_fw_rule_get_all on topic .*_nobody within 200 ms/);
  });
});

describe('compute_task', () => {
  it('calls wait up to longTimeoutMs (they outlast the conductor’s calls to computes); other calls up to timeoutMs', async () => {
    const slow = (value: unknown) => () => new Promise((resolve) => setTimeout(() => resolve(value), 400));
    replies.set('live_migrate_instance', slow('h2'));
    replies.set('provider_fw_rule_get_all', slow([]));
    try {
      const client = new ConductorClient(transport, { topic, timeoutMs: 150, longTimeoutMs: 5000 });
      const ctx = RequestContext.create();
      const inst = new Instance({ id: 1, uuid: randomUUID(), host: 'h1' } as never);
      expect(await client.computeTask.live_migrate_instance(ctx, { instance: inst, host: null, block_migration: false, disk_over_commit: false })).toBe('h2');
      expect(await client.provider_fw_rule_get_all(ctx).catch((e: unknown) => e)).toBeInstanceOf(ConductorTimeout);
      const short = new ConductorClient(transport, { topic, timeoutMs: 150 });
      expect(await short.computeTask.live_migrate_instance(ctx, { instance: inst, host: null, block_migration: false, disk_over_commit: false }).catch((e: unknown) => e)).toBeInstanceOf(ConductorTimeout);
    } finally {
      replies.delete('live_migrate_instance');
      replies.delete('provider_fw_rule_get_all');
    }
  });

  it('is its own namespace and history: build_instances at 1.0, live_migrate_instance at 1.1', async () => {
    const client = new ConductorClient(transport, { topic });
    replies.set('live_migrate_instance', () => 'h2');
    const ctx = RequestContext.create();
    const inst = new Instance({ id: 1, uuid: randomUUID(), host: 'h1' } as never);
    await client.computeTask.build_instances(ctx, { instances: [inst], image: { id: 'img' } });
    expect(await client.computeTask.live_migrate_instance(ctx, { instance: inst, host: null, block_migration: false, disk_over_commit: false })).toBe('h2');
    expect(seen.map((s) => [s.namespace, s.method, s.version])).toEqual([
      ['compute_task', 'build_instances', '1.0'],
      ['compute_task', 'live_migrate_instance', '1.1'],
    ]);
    expect(Object.keys(seen[0]!.args)).toEqual([
      'instances', 'image', 'filter_properties', 'admin_password', 'injected_files', 'requested_networks', 'security_groups', 'block_device_mapping',
    ]);
    expect(seen[1]!.args).toMatchObject({ scheduler_hint: { host: null }, block_migration: false, disk_over_commit: false });
  });

  it('refuses live_migrate_instance under a compute_task cap of 1.0', async () => {
    const client = new ConductorClient(transport, { topic, computeTaskVersionCap: '1.0' });
    const inst = new Instance({ id: 1 } as never);
    const err = await client.computeTask.live_migrate_instance(RequestContext.create(), { instance: inst, host: 'h2', block_migration: false, disk_over_commit: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConductorVersionTooOld);
    expect(seen).toHaveLength(0);
  });
});
