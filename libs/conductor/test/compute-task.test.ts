// compute_task through the conductor (in-process transport, SQLite), with a fake ComputeRpc
// standing in for libs/compute-api: what gets created, which compute is told what, in which
// order, and what a failure leaves behind.
import { ComputeServiceUnavailable, ComputeTaskUnavailable, InstanceNotRunning, MigrationPreCheckError, NoValidHost, UnableToMigrateToSelf } from '@novakit/conductor-api';
import { ComputeNode, Instance, InstanceFault, PowerState, RequestContext, Service, TaskState } from '@novakit/objects';
import { MessagingTimeout, RemoteError } from '@novakit/rpc';
import { NovakitError } from '@novakit/versioned-objects';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeRpc, MigrateData } from '../src/index.js';
import { conductorEnv, type ConductorEnv, uuid } from './harness.js';

interface Call {
  method: string;
  host: string;
  args: Record<string, unknown>;
}

/** The driver's error as the compute client re-raises it (this lib does not import drivers). */
class InvalidSharedStorage extends NovakitError<{ path: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = '{path} is not on shared storage: {reason}';
}

class FakeComputes implements ComputeRpc {
  calls: Call[] = [];
  refuseBuild = new Set<string>();
  refuseDestination = new Map<string, Error>();
  /** Keyed by the source host: its check refuses whatever the destination. */
  refuseSource = new Map<string, Error>();

  async build_and_run_instance(_ctx: RequestContext, host: string, args: object): Promise<void> {
    this.calls.push({ method: 'build_and_run_instance', host, args: args as Record<string, unknown> });
    if (this.refuseBuild.has(host)) throw new Error(`compute.${host} unreachable`);
  }
  async check_can_live_migrate_destination(_ctx: RequestContext, destination: string, args: object): Promise<MigrateData> {
    this.calls.push({ method: 'check_can_live_migrate_destination', host: destination, args: args as Record<string, unknown> });
    const refusal = this.refuseDestination.get(destination);
    if (refusal) throw refusal;
    return { dest: destination, port: 49152 };
  }
  async check_can_live_migrate_source(_ctx: RequestContext, source: string, args: { dest_check_data: MigrateData }): Promise<MigrateData> {
    this.calls.push({ method: 'check_can_live_migrate_source', host: source, args: args as unknown as Record<string, unknown> });
    const refusal = this.refuseSource.get(source);
    if (refusal) throw refusal;
    return { ...args.dest_check_data, source_checked: true };
  }
  async live_migration(_ctx: RequestContext, source: string, args: object): Promise<void> {
    this.calls.push({ method: 'live_migration', host: source, args: args as Record<string, unknown> });
  }
}

const computes = new FakeComputes();
let env: ConductorEnv;

async function addHost(host: string, freeRamMb: number, opts: { type?: string; up?: boolean } = {}): Promise<void> {
  const service = new Service({ host, binary: 'nova-compute', topic: 'compute', version: 1 }, env.admin);
  await service.create();
  await service.heartbeat(1);
  // A host that stopped reporting five minutes ago.
  if (opts.up === false) await env.db.service_update({}, service.id, { last_seen_up: new Date(Date.now() - 300_000) });
  await new ComputeNode(
    {
      service_id: service.id, host, hypervisor_hostname: host, vcpus: 8, memory_mb: 8192, local_gb: 100, vcpus_used: 0,
      memory_mb_used: 8192 - freeRamMb, local_gb_used: 0, free_ram_mb: freeRamMb, hypervisor_type: opts.type ?? 'fake', hypervisor_version: 1,
    } as never,
    env.admin,
  ).create();
}

const newInstance = (memory_mb = 2048) =>
  new Instance({ uuid: uuid(), project_id: 'project-1', user_id: 'user-1', display_name: 'vm', memory_mb, vcpus: 1, root_gb: 10, ephemeral_gb: 0 } as never);

beforeAll(async () => {
  env = await conductorEnv({ computeRpc: computes });
  await addHost('cmp-big', 7000);
  await addHost('cmp-small', 4000);
  await addHost('cmp-down', 8000, { up: false });
  await addHost('cmp-xen', 8000, { type: 'xen' });
  await addHost('cmp-spare', 2000);
});
afterAll(async () => env?.close());
afterEach(() => {
  computes.calls = [];
  computes.refuseBuild.clear();
  computes.refuseDestination.clear();
  computes.refuseSource.clear();
});

describe('build_instances', () => {
  it('creates the records, schedules by free RAM (spreading) and casts build_and_run_instance', async () => {
    const a = newInstance(3000);
    const b = newInstance(3000);
    const built = await env.client.computeTask.build_instances(env.ctx, { instances: [a, b], image: { id: 'img-1' }, filter_properties: { ignore_hosts: ['cmp-xen'] } });
    expect(built.map((i) => [i.uuid, i.vm_state, i.task_state])).toEqual([[a.uuid, 'building', 'scheduling'], [b.uuid, 'building', 'scheduling']]);
    expect(built[0]!.id).toBeGreaterThan(0);
    // cmp-big (7000 MB free) takes the first; then cmp-big and cmp-small both have 4000: the tie goes by name.
    expect(computes.calls.map((c) => [c.method, c.host])).toEqual([
      ['build_and_run_instance', 'cmp-big'],
      ['build_and_run_instance', 'cmp-big'],
    ]);
    const first = computes.calls[0]!.args;
    expect((first.instance as Instance).uuid).toBe(a.uuid);
    expect(first).toMatchObject({ node: 'cmp-big', image: { id: 'img-1' }, limits: { memory_mb: 8192 * 1.5 }, filter_properties: { ignore_hosts: ['cmp-xen'], retry: { num_attempts: 1, hosts: [['cmp-big', 'cmp-big']] } } });
    const stored = await Instance.getByUuid(env.admin, b.uuid);
    expect(stored.vm_state).toBe('building');
  });

  it('NoValidHost: every instance is set to ERROR with the reason as its fault, and the error names each host', async () => {
    const huge = newInstance(20_000);
    const err = await env.client.computeTask.build_instances(env.ctx, { instances: [huge], image: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoValidHost);
    const message = (err as Error).message;
    for (const text of ['cmp-big: RamFilter', 'cmp-small: RamFilter', 'cmp-xen: RamFilter', 'cmp-spare: RamFilter']) expect(message).toContain(text);
    expect(message).toMatch(/cmp-down: ComputeFilter: compute service down \(last heartbeat \d+ s ago, limit 60 s\)/);
    expect(computes.calls).toEqual([]);
    const stored = await Instance.getByUuid(env.admin, huge.uuid);
    expect([stored.vm_state, stored.task_state]).toEqual(['error', null]);
    // The fault keeps what its column holds (Nova cuts the message to 255 characters).
    expect((await InstanceFault.getLatestForInstance(env.admin, huge.uuid))!.message).toBe(message.slice(0, 255));
  });

  it('a cast that fails errors that instance only', async () => {
    computes.refuseBuild.add('cmp-big');
    const a = newInstance(1000);
    const b = newInstance(1000);
    const built = await env.client.computeTask.build_instances(env.ctx, { instances: [a, b], image: {}, filter_properties: { force_hosts: ['cmp-big', 'cmp-small'] } });
    expect(built).toHaveLength(2);
    const states = await Promise.all([a, b].map((i) => Instance.getByUuid(env.admin, i.uuid)));
    const byHost = new Map(computes.calls.map((c) => [(c.args.instance as Instance).uuid, c.host]));
    for (const s of states) expect(s.vm_state).toBe(byHost.get(s.uuid) === 'cmp-big' ? 'error' : 'building');
    expect(states.some((s) => s.vm_state === 'error')).toBe(true);
  });
});

describe('live_migrate_instance', () => {
  async function running(host = 'cmp-small', values: Record<string, unknown> = {}): Promise<Instance> {
    const inst = new Instance({ uuid: uuid(), host, node: host, vm_state: 'active', task_state: null, power_state: PowerState.RUNNING, memory_mb: 1024, vcpus: 1, root_gb: 1, ephemeral_gb: 0, ...values } as never, env.admin);
    await inst.create();
    return Instance.getByUuid(env.ctx, inst.uuid);
  }
  const migrate = (instance: Instance, host: string | null) => env.client.computeTask.live_migrate_instance(env.ctx, { instance, host, block_migration: false, disk_over_commit: false });

  it('to a requested host: destination check, then source check, then live_migration cast to the source', async () => {
    const inst = await running();
    expect(await migrate(inst, 'cmp-big')).toBe('cmp-big');
    expect(computes.calls.map((c) => [c.method, c.host])).toEqual([
      ['check_can_live_migrate_destination', 'cmp-big'],
      ['check_can_live_migrate_source', 'cmp-small'],
      ['live_migration', 'cmp-small'],
    ]);
    expect(computes.calls[2]!.args).toMatchObject({ dest: 'cmp-big', block_migration: false, migrate_data: { dest: 'cmp-big', source_checked: true } });
    expect((await Instance.getByUuid(env.admin, inst.uuid)).task_state).toBe(TaskState.MIGRATING);
  });

  it('with no host: the scheduler picks (most free RAM, never the source); a host that fails a check is skipped for the next', async () => {
    computes.refuseDestination.set('cmp-big', new MigrationPreCheckError({ reason: 'shared storage missing' }));
    const inst = await running('cmp-small');
    // cmp-xen (8000 free) fails the hypervisor type check here, cmp-big (7000) its own check, cmp-spare passes.
    expect(await migrate(inst, null)).toBe('cmp-spare');
    expect(computes.calls.map((c) => [c.method, c.host])).toEqual([
      ['check_can_live_migrate_destination', 'cmp-big'],
      ['check_can_live_migrate_destination', 'cmp-spare'],
      ['check_can_live_migrate_source', 'cmp-small'],
      ['live_migration', 'cmp-small'],
    ]);
  });

  it('gives up after maxMigrationAttempts destinations, or when no host is left', async () => {
    computes.refuseDestination.set('cmp-big', new MigrationPreCheckError({ reason: 'shared storage missing' }));
    computes.refuseDestination.set('cmp-spare', new MigrationPreCheckError({ reason: 'cpu flags differ' }));
    const inst = await running('cmp-small');
    const err = await migrate(inst, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationPreCheckError);
    expect((err as Error).message).toMatch(/no destination passed the checks in 3 attempts for instance .*; last: MigrationPreCheckError: .*cpu flags differ/);
    expect((err as MigrationPreCheckError).kwargs.cause).toBe('MigrationPreCheckError');
    expect((await Instance.getByUuid(env.admin, inst.uuid)).task_state).toBeNull();

    const xen = await running('cmp-xen');
    const mismatch = await migrate(xen, null).catch((e: unknown) => e);
    expect((mismatch as Error).message).toMatch(/in 3 attempts .*last: InvalidHypervisorType/);
    expect((mismatch as MigrationPreCheckError).kwargs.cause).toBe('InvalidHypervisorType');

    const huge = await running('cmp-small', { memory_mb: 20_000 });
    const none = await migrate(huge, null).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(NoValidHost);
    expect((none as Error).message).toContain('cmp-small: IgnoreHostsFilter');
    expect((none as Error).message).toContain('cmp-big: RamFilter');
    expect((await Instance.getByUuid(env.admin, huge.uuid)).task_state).toBeNull();
  });

  it('names the error of the last refused destination in the kwarg `cause`, across the wire; a requested host gets the compute error itself', async () => {
    const blockMigrate = (instance: Instance, host: string | null) =>
      env.client.computeTask.live_migrate_instance(env.ctx, { instance, host, block_migration: true, disk_over_commit: false });
    computes.refuseSource.set('cmp-small', new InvalidSharedStorage({ path: '/var/lib/instances', reason: 'block migration was asked between hosts sharing the instance path' }));
    const inst = await running('cmp-small');
    const err = await blockMigrate(inst, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationPreCheckError);
    expect((err as MigrationPreCheckError).kwargs).toMatchObject({ cause: 'InvalidSharedStorage' });
    expect((await Instance.getByUuid(env.admin, inst.uuid)).task_state).toBeNull();
    // The conductor's client does not know driver classes: the compute's error comes back by name.
    expect(await blockMigrate(inst, 'cmp-big').catch((e: unknown) => e)).toMatchObject({ name: 'RemoteError', kwargs: { excType: 'InvalidSharedStorage' } });

    // A compute newer than the conductor's compute client raises a class it does not know: the cause still names it.
    computes.refuseSource.set('cmp-small', new RemoteError({ excType: 'BlockMigrationDisabled', value: 'block migration is disabled on cmp-small', traceback: [] }));
    const unknown = await blockMigrate(inst, null).catch((e: unknown) => e);
    expect((unknown as MigrationPreCheckError).kwargs.cause).toBe('BlockMigrationDisabled');
  });

  it('a pre-check the compute does not answer is refused like any other: MigrationPreCheckError with cause MessagingTimeout, task state reset, nothing cast', async () => {
    const timeout = () => new MessagingTimeout({ msgId: 'msg-1', timeoutMs: 60_000 });
    const refusedLikeOthers = async (inst: Instance, err: unknown, check: string) => {
      expect(err).toBeInstanceOf(MigrationPreCheckError);
      expect((err as MigrationPreCheckError).kwargs.cause).toBe('MessagingTimeout');
      expect((err as Error).message).toContain(check);
      const stored = await Instance.getByUuid(env.admin, inst.uuid);
      expect([stored.vm_state, stored.task_state, stored.host]).toEqual(['active', null, 'cmp-small']);
      expect(computes.calls.some((c) => c.method === 'live_migration')).toBe(false);
      computes.calls = [];
    };

    // Requested host: the destination's check, then the source's.
    computes.refuseDestination.set('cmp-big', timeout());
    const inst = await running('cmp-small');
    await refusedLikeOthers(inst, await migrate(inst, 'cmp-big').catch((e: unknown) => e), 'check_can_live_migrate_destination on cmp-big');
    computes.refuseDestination.clear();
    computes.refuseSource.set('cmp-small', timeout());
    await refusedLikeOthers(inst, await migrate(inst, 'cmp-big').catch((e: unknown) => e), 'check_can_live_migrate_source on cmp-small');
    computes.refuseSource.clear();

    // Scheduled: a candidate that does not answer is skipped for the next (cmp-xen fails the type check)...
    computes.refuseDestination.set('cmp-big', timeout());
    expect(await migrate(inst, null)).toBe('cmp-spare');
    expect(computes.calls.map((c) => [c.method, c.host])).toEqual([
      ['check_can_live_migrate_destination', 'cmp-big'],
      ['check_can_live_migrate_destination', 'cmp-spare'],
      ['check_can_live_migrate_source', 'cmp-small'],
      ['live_migration', 'cmp-small'],
    ]);
    computes.calls = [];
    // ...and when the last one does not answer either, the cause is the timeout, not the refusal wrapping it.
    computes.refuseDestination.set('cmp-spare', timeout());
    const other = await running('cmp-small');
    await refusedLikeOthers(other, await migrate(other, null).catch((e: unknown) => e), 'check_can_live_migrate_destination on cmp-spare');
  });

  it('refuses: not running, to itself, to a host that is down; a refused check resets the task state', async () => {
    expect(await migrate(await running('cmp-small', { power_state: PowerState.SHUTDOWN }), 'cmp-big').catch((e: unknown) => e)).toBeInstanceOf(InstanceNotRunning);
    expect(await migrate(await running(), 'cmp-small').catch((e: unknown) => e)).toBeInstanceOf(UnableToMigrateToSelf);
    expect(await migrate(await running(), 'cmp-down').catch((e: unknown) => e)).toBeInstanceOf(ComputeServiceUnavailable);
    // The conductor's own refusal names no cause: it wraps nothing.
    const lack = await migrate(await running('cmp-small', { memory_mb: 3000 }), 'cmp-spare').catch((e: unknown) => e);
    expect((lack as Error).message).toMatch(/Lack of memory/);
    expect((lack as MigrationPreCheckError).kwargs).not.toHaveProperty('cause');
    computes.refuseDestination.set('cmp-big', new MigrationPreCheckError({ reason: 'no room' }));
    const inst = await running();
    expect(await migrate(inst, 'cmp-big').catch((e: unknown) => e)).toBeInstanceOf(MigrationPreCheckError);
    expect((await Instance.getByUuid(env.admin, inst.uuid)).task_state).toBeNull();
    expect(computes.calls.some((c) => c.method === 'live_migration')).toBe(false);
  });

  it('refuses an instance already busy with another task (atomic task_state check)', async () => {
    const inst = await running('cmp-small', { task_state: TaskState.REBOOTING });
    const err = await migrate(inst, 'cmp-big').catch((e: unknown) => e);
    expect((err as Error).name).toBe('UnexpectedTaskStateError');
    expect((await Instance.getByUuid(env.admin, inst.uuid)).task_state).toBe(TaskState.REBOOTING);
  });
});

describe('without a ComputeRpc', () => {
  it('compute_task refuses with ComputeTaskUnavailable and creates nothing', async () => {
    const bare = await conductorEnv();
    try {
      const inst = newInstance();
      const err = await bare.client.computeTask.build_instances(bare.ctx, { instances: [inst], image: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ComputeTaskUnavailable);
      expect(await Instance.getByUuid(bare.admin, inst.uuid).catch((e: unknown) => (e as Error).name)).toBe('InstanceNotFound');
    } finally {
      await bare.close();
    }
  });
});
