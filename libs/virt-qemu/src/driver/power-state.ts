import { PowerState } from '@novakit/objects';
import type { PowerState as GuestPower } from '../guest/guest-state.js';
import type { ObservedState } from './lifecycle.js';

const CODES: Readonly<Record<GuestPower, PowerState>> = {
  running: PowerState.RUNNING,
  paused: PowerState.PAUSED,
  shutdown: PowerState.SHUTDOWN,
  crashed: PowerState.CRASHED,
  suspended: PowerState.SUSPENDED,
  nostate: PowerState.NOSTATE,
};

export function toPowerState(power: GuestPower): PowerState {
  return CODES[power];
}

export function toObserved(power: GuestPower): ObservedState {
  if (power === 'running' || power === 'paused' || power === 'suspended') return power;
  return 'shutdown';
}
