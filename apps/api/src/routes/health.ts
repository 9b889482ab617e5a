// GET /healthz: answers as soon as the API listens (no token, no backend call), so supervisors
// and the newcomer test can tell "up" from "starting" cheaply.
import { z } from 'zod';
import { route, type AnyRoute } from '../http/route.js';

export const HealthSchema = z.object({ status: z.literal('ok'), api: z.literal('v2.1') });

export function healthRoutes(): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/healthz',
      action: 'healthz',
      public: true,
      status: 200,
      response: HealthSchema,
      handler: async () => ({ status: 'ok' as const, api: 'v2.1' as const }),
    }),
  ];
}
