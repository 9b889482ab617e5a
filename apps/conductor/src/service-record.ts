// The conductor's Service record: found or created at start (workers of one host share it,
// as Nova's do), stamped with this code's service version, and heartbeated. The minimum
// version of live conductors is what clients' `auto` caps resolve to.
import { CONDUCTOR_BINARY } from '@novakit/conductor-api';
import { HostBinaryNotFound, Service, SERVICE_VERSION, ServiceBinaryExists, type RequestContext } from '@novakit/objects';
import type { Logger } from 'pino';

export async function registerService(ctx: RequestContext, host: string, topic: string): Promise<Service> {
  for (let attempt = 0; ; attempt++) {
    try {
      const existing = await Service.getByHostAndBinary(ctx, host, CONDUCTOR_BINARY);
      if (existing.topic !== topic) {
        existing.topic = topic;
        await existing.save();
      }
      await existing.heartbeat(SERVICE_VERSION);
      return existing;
    } catch (err) {
      if (!(err instanceof HostBinaryNotFound)) throw err;
    }
    try {
      const created = Service.forThisProcess(ctx, { host, binary: CONDUCTOR_BINARY, topic });
      await created.create();
      await created.report();
      return created;
    } catch (err) {
      // Another worker of this host created it first: read it on the next turn.
      if (!(err instanceof ServiceBinaryExists) || attempt >= 2) throw err;
    }
  }
}

/** Reports every `intervalMs`; a failed report is logged and retried at the next tick (the DB may be briefly away). */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly service: Service,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      await this.service.report();
    } catch (err) {
      this.log.warn({ err }, 'service heartbeat failed');
    }
    this.schedule();
  }
}
