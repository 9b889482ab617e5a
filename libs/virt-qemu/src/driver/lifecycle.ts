/**
 * Lifecycle events from two sources: the driver's own operations (which know what they left) and
 * QMP events of each guest's monitor (STOP, RESUME, SHUTDOWN, a monitor that dies), for changes
 * nobody asked for. While an operation runs on an instance its QMP events are ignored: a
 * suspend stops the guest and quits QEMU on the way, and must read as one `suspended`. An event
 * goes out only when the instance's state changes, so an operation and a late QMP event about the
 * same change never both report it.
 */
import type { LifecycleEvent, LifecycleTransition } from '@novakit/virt-driver';
import type { QmpEvent } from '../qmp/wire.js';

/** `incoming`: a migration destination not running yet; `gone`: no longer on this host. */
export type ObservedState = 'running' | 'paused' | 'suspended' | 'shutdown' | 'incoming' | 'gone';

const QMP_EVENT_STATES: Readonly<Record<string, ObservedState>> = {
  STOP: 'paused',
  RESUME: 'running',
  SHUTDOWN: 'shutdown',
  GUEST_PANICKED: 'shutdown',
};

function transition(from: ObservedState | undefined, to: ObservedState): LifecycleTransition | null {
  if (from === to) return null;
  switch (to) {
    case 'running':
      return from === 'paused' || from === 'suspended' || from === 'incoming' ? 'resumed' : 'started';
    case 'paused':
      return from === 'incoming' ? null : 'paused';
    case 'suspended':
      return 'suspended';
    case 'shutdown':
    case 'gone':
      return from === undefined || from === 'shutdown' || from === 'incoming' ? null : 'stopped';
    case 'incoming':
      return null;
  }
}

export class LifecycleTracker {
  private readonly states = new Map<string, ObservedState>();
  private readonly busy = new Map<string, number>();

  constructor(private readonly deliver: (event: LifecycleEvent) => void) {}

  async during<T>(uuid: string, operation: () => Promise<T>): Promise<T> {
    this.busy.set(uuid, (this.busy.get(uuid) ?? 0) + 1);
    try {
      return await operation();
    } finally {
      const left = this.busy.get(uuid)! - 1;
      if (left === 0) this.busy.delete(uuid);
      else this.busy.set(uuid, left);
    }
  }

  /** Record a state without an event (guests found at start, a migration destination). */
  assume(uuid: string, state: ObservedState): void {
    if (state === 'gone') this.states.delete(uuid);
    else this.states.set(uuid, state);
  }

  observe(uuid: string, state: ObservedState): void {
    const event = transition(this.states.get(uuid), state);
    this.assume(uuid, state);
    if (event) this.deliver({ instanceUuid: uuid, transition: event, timestamp: new Date() });
  }

  onQmpEvent(uuid: string, event: QmpEvent): void {
    const state = QMP_EVENT_STATES[event.event];
    if (state && !this.busy.has(uuid)) this.observe(uuid, state);
  }

  /** The monitor closed without the driver asking: QEMU died. */
  onMonitorLost(uuid: string): void {
    if (!this.busy.has(uuid) && this.states.has(uuid)) this.observe(uuid, 'shutdown');
  }
}
