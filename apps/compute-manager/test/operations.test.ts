// Functional, in one process: what surrounds every operation (claims, conflicts, faults),
// bad input on the RPC boundary, the periodic tasks, and init_host's recovery after a restart.
import { randomUUID } from 'node:crypto';
import {
  ComputeNode,
  Instance,
  InstanceActionEventList,
  InstanceActionList,
  InstanceFault,
  PowerState,
  Service,
  TaskState,
  VmState,
} from '@novakit/objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE, capturingLogger, eventually, load, newInstance, rawComputeClient, settled, startStack, type Stack } from './harness.js';

let stack: Stack;
const guest = (host: string, uuid: string) => stack.network.find(host)!.guests.get(uuid);

async function boot(host: string): Promise<Instance> {
  const instance = await newInstance(stack.ctx);
  await stack.compute.buildAndRunInstance(stack.ctx, host, instance, { image: IMAGE });
  return settled(stack.ctx, instance.uuid, VmState.ACTIVE);
}

async function eventNames(uuid: string): Promise<string[]> {
  const out: string[] = [];
  for (const action of (await InstanceActionList.getByInstanceUuid(stack.ctx, uuid)).objects) {
    for (const e of (await InstanceActionEventList.getByAction(stack.ctx, action.id)).objects) out.push(`${e.event}:${e.result}`);
  }
  return out;
}

beforeAll(async () => {
  stack = await startStack();
  await stack.startCompute('node-a');
  await stack.startCompute('node-b');
});
afterAll(async () => stack?.close());

describe('around every operation', () => {
  it('a conflicting concurrent operation fails with UnexpectedTaskStateError and changes nothing', async () => {
    const instance = await boot('node-a');
    stack.driver('node-a').scenario.setDelay('reboot', 800);
    await stack.compute.rebootInstance(stack.ctx, instance, 'SOFT');
    await eventually('reboot in progress', () => load(stack.ctx, instance.uuid), (i) => i.task_state === TaskState.REBOOT_STARTED);
    const call = rawComputeClient(stack, 'node-a');
    await expect(call(stack.ctx, 'stop_instance', { instance, clean_shutdown: true })).rejects.toMatchObject({ name: 'UnexpectedTaskStateError' });
    expect((await load(stack.ctx, instance.uuid)).task_state).toBe(TaskState.REBOOT_STARTED);
    const after = await settled(stack.ctx, instance.uuid, VmState.ACTIVE);
    stack.driver('node-a').scenario.setDelay('reboot', null);
    expect(after.power_state).toBe(PowerState.RUNNING);
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
    expect(await InstanceFault.getLatestForInstance(stack.ctx, instance.uuid)).toBeNull();
    expect((await eventNames(instance.uuid)).some((e) => e.startsWith('compute_stop_instance'))).toBe(false);
  });

  it('a failing driver call records a fault and an Error event, and puts the task state back', async () => {
    const instance = await boot('node-a');
    stack.driver('node-a').scenario.setFailure('powerOff', { times: 1, instanceUuid: instance.uuid });
    await stack.compute.stopInstance(stack.ctx, instance);
    const fault = await eventually('fault', () => InstanceFault.getLatestForInstance(stack.ctx, instance.uuid), (f) => f !== null);
    expect(fault!.message).toMatch(/InjectedFailure/);
    expect(fault!.host).toBe('node-a');
    const back = await settled(stack.ctx, instance.uuid, VmState.ACTIVE);
    expect(back.task_state).toBeNull();
    expect(guest('node-a', instance.uuid)?.power).toBe(PowerState.RUNNING);
    await eventually('Error event', () => eventNames(instance.uuid), (e) => e.includes('compute_stop_instance:Error'));
  });

  it('a failing build leaves the instance in ERROR, nothing on the hypervisor, and a fault', async () => {
    stack.driver('node-b').scenario.setFailure('spawn', { times: 1 });
    const instance = await newInstance(stack.ctx);
    await stack.compute.buildAndRunInstance(stack.ctx, 'node-b', instance, { image: IMAGE });
    const failed = await settled(stack.ctx, instance.uuid, VmState.ERROR);
    expect(guest('node-b', instance.uuid)).toBeUndefined();
    const fault = await eventually('fault', () => InstanceFault.getLatestForInstance(stack.ctx, instance.uuid), (f) => f !== null);
    expect(fault!.message).toMatch(/InjectedFailure/);
    expect(failed.host).toBe('node-b');
  });
});

describe('bad input on the compute RPC', () => {
  it('refuses malformed objects, missing arguments, unknown uuids and the wrong host with typed errors, logs each once, and keeps serving', async () => {
    const { logger, lines } = capturingLogger();
    await stack.startCompute('node-c', {}, logger);
    const instance = await boot('node-c');
    const call = rawComputeClient(stack, 'node-c');
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['get_diagnostics', { instance: { 'nova_object.name': 'Instance', 'nova_object.namespace': 'nova', 'nova_object.version': '1.0', 'nova_object.data': { uuid: 'not-a-uuid', id: 'x' } } }, /FieldValueError|MalformedPrimitiveError|InvalidArguments/],
      ['get_diagnostics', { instance: { 'nova_object.name': 'NoSuchObject', 'nova_object.namespace': 'nova', 'nova_object.version': '1.0', 'nova_object.data': {} } }, /UnsupportedObjectError|InvalidArguments/],
      ['reboot_instance', { instance }, /InvalidArguments/],
      ['get_diagnostics', { instance: new Instance({ uuid: randomUUID(), host: 'node-c' }, stack.ctx), extra: 1 }, /InvalidArguments/],
      ['get_diagnostics', { instance: new Instance({ id: 999999, uuid: randomUUID(), host: 'node-c' }, stack.ctx) }, /^InstanceNotFound$/],
    ];
    const onA = await boot('node-a');
    bad.push(['get_diagnostics', { instance: onA }, /^InstanceNotOnHost$/]);
    for (const [method, args, expected] of bad) {
      const ctx = stack.ctx;
      const err = (await call(ctx, method, args).then(() => null, (e: unknown) => e)) as Error | null;
      expect(err, `${method} ${JSON.stringify(Object.keys(args))}`).not.toBeNull();
      expect(err!.name).toMatch(expected);
      expect(lines.filter((l) => l.request_id === ctx.request_id && l.msg === 'RPC method failed')).toHaveLength(1);
    }
    // Still serving.
    expect(Object.keys(await stack.compute.getDiagnostics(stack.ctx, instance)).length).toBeGreaterThan(0);
  });
});

describe('periodic tasks', () => {
  it('heartbeat, resource report, power-state sync and orphan cleanup', async () => {
    const handle = stack.computes.get('node-b')!;
    const before = await Service.getByHostAndBinary(stack.ctx, 'node-b', 'nova-compute');
    await handle.runPeriodicTask('heartbeat');
    const after = await Service.getByHostAndBinary(stack.ctx, 'node-b', 'nova-compute');
    expect(after.report_count).toBe(before.report_count + 1);
    expect(after.version).toBeGreaterThanOrEqual(1);

    const instance = await boot('node-b');
    await handle.runPeriodicTask('resource_report');
    const node = await ComputeNode.getByHostAndNodename(stack.ctx, 'node-b', 'node-b');
    expect(node.running_vms).toBeGreaterThanOrEqual(1);
    expect(node.memory_mb_used).toBeGreaterThanOrEqual(512);

    // The guest stops behind the manager's back: Nova's sync stops the instance in the DB.
    await stack.driver('node-b').powerOff(instance, { timeoutSeconds: 0 });
    await handle.runPeriodicTask('power_state_sync');
    const synced = await settled(stack.ctx, instance.uuid, VmState.STOPPED);
    expect(synced.power_state).toBe(PowerState.SHUTDOWN);

    // A guest the database never knew is reaped.
    const stray = new Instance({ id: 424242, uuid: randomUUID(), memory_mb: 64, vcpus: 1, root_gb: 0, ephemeral_gb: 0 }, stack.ctx);
    await stack.driver('node-b').spawn(stack.ctx, stray, { imageMeta: { id: null, properties: {} }, networkInfo: [], blockDeviceInfo: { rootDeviceName: null, swap: null, ephemerals: [], volumes: [] } });
    expect(guest('node-b', stray.uuid)).toBeDefined();
    await handle.runPeriodicTask('orphan_cleanup');
    expect(guest('node-b', stray.uuid)).toBeUndefined();
    expect(guest('node-b', instance.uuid)).toBeDefined();
  });

  it("usage follows builds and deletes without waiting for the periodic report (it is off here)", async () => {
    const usage = () => ComputeNode.getByHostAndNodename(stack.ctx, 'node-b', 'node-b');
    await stack.computes.get('node-b')!.runPeriodicTask('resource_report');
    const before = await usage();
    const instance = await boot('node-b');
    await eventually('usage counts the new instance', usage, (n) => n.running_vms === (before.running_vms ?? 0) + 1 && n.memory_mb_used === (before.memory_mb_used ?? 0) + instance.memory_mb!);
    await stack.compute.terminateInstance(stack.ctx, instance);
    await eventually('usage forgets it again', usage, (n) => n.running_vms === before.running_vms && n.memory_mb_used === before.memory_mb_used);
  });

  it('a slow periodic task does not block RPC handling', async () => {
    const handle = stack.computes.get('node-b')!;
    const instance = await boot('node-b');
    stack.driver('node-b').scenario.setDelay('getAvailableResource', 1500);
    let reportDone = false;
    const report = handle.runPeriodicTask('resource_report').then(() => (reportDone = true));
    const diags = await stack.compute.getDiagnostics(stack.ctx, instance);
    expect(Object.keys(diags).length).toBeGreaterThan(0);
    expect(reportDone).toBe(false);
    await report;
    stack.driver('node-b').scenario.setDelay('getAvailableResource', null);
  });
});

describe('init_host after a restart', () => {
  it('finishes or reverts interrupted task states, records what it did, and marks the service down on a graceful stop', async () => {
    const stopping = await boot('node-a');
    const deleting = await boot('node-a');
    const building = await boot('node-a');
    const rebooting = await boot('node-a');
    const halfDeleted = await boot('node-a');
    await stack.computes.get('node-a')!.stop();
    expect((await Service.getByHostAndBinary(stack.ctx, 'node-a', 'nova-compute')).last_seen_up).toBeNull();

    // The compute died in the middle of these (the state a crash leaves in the DB).
    for (const [inst, task] of [
      [stopping, TaskState.POWERING_OFF],
      [deleting, TaskState.DELETING],
      [building, TaskState.SPAWNING],
      [rebooting, TaskState.REBOOT_PENDING_HARD],
    ] as const) {
      const fresh = await load(stack.ctx, inst.uuid);
      fresh.task_state = task;
      if (task === TaskState.SPAWNING) fresh.vm_state = VmState.BUILDING;
      await fresh.save();
    }
    const last = await load(stack.ctx, halfDeleted.uuid);
    last.vm_state = VmState.DELETED;
    await last.save();
    await stack.startCompute('node-a');
    expect((await Service.getByHostAndBinary(stack.ctx, 'node-a', 'nova-compute')).last_seen_up).not.toBeNull();

    const stopped = await load(stack.ctx, stopping.uuid);
    expect(stopped).toMatchObject({ vm_state: VmState.STOPPED, task_state: null, power_state: PowerState.SHUTDOWN });
    expect(guest('node-a', stopping.uuid)?.power).toBe(PowerState.SHUTDOWN);

    const deleted = await load(stack.ctx, deleting.uuid);
    expect(deleted.deleted).toBe(true);
    expect(guest('node-a', deleting.uuid)).toBeUndefined();

    const errored = await load(stack.ctx, building.uuid);
    expect(errored).toMatchObject({ vm_state: VmState.ERROR, task_state: null });
    expect(guest('node-a', building.uuid)).toBeUndefined();
    expect((await InstanceFault.getLatestForInstance(stack.ctx, building.uuid))!.message).toMatch(/InterruptedByRestart/);
    expect(await eventNames(building.uuid)).toContain('compute_init_instance:Error');

    expect((await load(stack.ctx, halfDeleted.uuid)).deleted).toBe(true);
    expect(guest('node-a', halfDeleted.uuid)).toBeUndefined();

    const rebooted = await load(stack.ctx, rebooting.uuid);
    expect(rebooted).toMatchObject({ vm_state: VmState.ACTIVE, task_state: null, power_state: PowerState.RUNNING });
    expect(await eventNames(rebooting.uuid)).toContain('compute_reboot_instance:Success');
  });
});
