// The conductor's Service record: found or created at start (workers of one host share it,
// as Nova's do), stamped with this code's service version, and heartbeated. The minimum
// version of live conductors is what clients' `auto` caps resolve to.
import { CONDUCTOR_BINARY } from '@novakit/conductor-api';
import { Service, type RequestContext } from '@novakit/objects';
import type { Logger } from 'pino';

export function registerService(ctx: RequestContext, host: string, topic: string): Promise<Service> {
  return Service.register(ctx, { host, binary: CONDUCTOR_BINARY, topic });
}

/** Reports every `intervalMs`; a failed report is logged and retried at the next tick (the DB may be briefly away). */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly service: Service,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.schedule();
  }

  /** No further reports; resolves once a report in flight has finished (the caller may then close the DB). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => (this.beating = this.beat()), this.intervalMs);
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
