import { describe, expect, it } from 'vitest';
import { statusOf, taskStatesOf, vmStatesOf } from './states.js';

describe('server status', () => {
  it('follows Nova’s state map', () => {
    expect(statusOf('active', null)).toBe('ACTIVE');
    expect(statusOf('active', 'rebooting')).toBe('REBOOT');
    expect(statusOf('active', 'reboot_started_hard')).toBe('HARD_REBOOT');
    expect(statusOf('active', 'migrating')).toBe('MIGRATING');
    expect(statusOf('active', 'powering-off')).toBe('ACTIVE');
    expect(statusOf('stopped', null)).toBe('SHUTOFF');
    expect(statusOf('building', 'spawning')).toBe('BUILD');
    expect(statusOf('error', null)).toBe('ERROR');
    expect(statusOf(null, null)).toBe('UNKNOWN');
  });

  it('turns a status filter into vm and task states', () => {
    expect(vmStatesOf('SHUTOFF')).toEqual(['stopped']);
    expect(taskStatesOf('SHUTOFF')).toBeNull();
    expect(vmStatesOf('MIGRATING').sort()).toEqual(['active', 'paused']);
    expect(taskStatesOf('MIGRATING')).toEqual(['migrating']);
  });
});
