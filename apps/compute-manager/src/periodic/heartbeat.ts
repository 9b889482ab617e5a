// The service heartbeat (Nova's report_state): report_count + 1 and last_seen_up, with this
// code's service version so `auto` version caps see what this compute speaks.
import { Service, type RequestContext } from '@novakit/objects';
import { COMPUTE_TOPIC } from '@novakit/compute-api';
import type { ManagerEnv } from '../manager/env.js';

export const COMPUTE_BINARY = 'nova-compute';

/** This host's compute Service, created on first start; a restart clears a previous "down" mark. */
export function ensureService(env: ManagerEnv, ctx: RequestContext): Promise<Service> {
  return Service.register(ctx, { host: env.host, binary: COMPUTE_BINARY, topic: COMPUTE_TOPIC });
}

export async function heartbeat(service: Service): Promise<void> {
  await service.report();
}

/** Graceful stop: the service reads as down at once instead of after the heartbeat timeout. */
export async function markServiceDown(service: Service): Promise<void> {
  service.last_seen_up = null;
  await service.save();
}
