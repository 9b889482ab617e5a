import { PowerState, VmState } from '@novakit/objects';
import { describe, expect, it } from 'vitest';
import { syncDecision } from './power-sync.js';

describe("power-state sync decisions (Nova's _sync_instance_power_state)", () => {
  it.each([
    [VmState.ACTIVE, PowerState.RUNNING, 'none'],
    [VmState.ACTIVE, PowerState.SHUTDOWN, 'stop'],
    [VmState.ACTIVE, PowerState.CRASHED, 'stop'],
    [VmState.ACTIVE, PowerState.NOSTATE, 'warn'],
    [VmState.ACTIVE, PowerState.PAUSED, 'warn'],
    [VmState.STOPPED, PowerState.RUNNING, 'stop'],
    [VmState.STOPPED, PowerState.SHUTDOWN, 'none'],
    [VmState.STOPPED, PowerState.NOSTATE, 'none'],
    [VmState.PAUSED, PowerState.SHUTDOWN, 'stop'],
    [VmState.DELETED, PowerState.RUNNING, 'warn'],
    [VmState.ERROR, PowerState.RUNNING, 'none'],
  ] as const)('%s with power %i → %s', (vm, power, decision) => {
    expect(syncDecision(vm, power)).toBe(decision);
  });
});
