// /v2.1/os-services (admin): list with up/down, enable, disable (with a reason).
import { Service, ServiceList, SERVICE_DOWN_SECONDS } from '@novakit/objects';
import { route, type AnyRoute } from '../http/route.js';
import { ServiceDisableReasonBodySchema, ServiceListQuerySchema, ServiceListSchema, ServiceToggleBodySchema, ServiceToggledSchema } from '../schemas/services.js';
import { isoTime } from '../views/format.js';

/** Up when it reported within the down time and nobody forced it down (Nova's servicegroup DB driver). */
export function serviceIsUp(s: Service, now = Date.now()): boolean {
  const seen = s.last_seen_up ?? s.updated_at ?? s.created_at;
  return !s.forced_down && !!seen && now - seen.getTime() <= SERVICE_DOWN_SECONDS * 1000;
}

function serviceView(s: Service) {
  return {
    id: s.id,
    binary: s.binary,
    host: s.host,
    zone: s.binary === 'nova-compute' ? 'nova' : 'internal',
    status: s.disabled ? ('disabled' as const) : ('enabled' as const),
    state: serviceIsUp(s) ? ('up' as const) : ('down' as const),
    updated_at: isoTime(s.last_seen_up ?? s.updated_at),
    disabled_reason: s.disabled_reason,
    forced_down: s.forced_down,
  };
}

export function serviceRoutes(): AnyRoute[] {
  const toggle = (url: string, disabled: boolean, withReason: boolean) =>
    route({
      method: 'PUT',
      url,
      action: 'os_compute_api:os-services',
      admin: true,
      body: withReason ? ServiceDisableReasonBodySchema : ServiceToggleBodySchema,
      status: 200,
      response: ServiceToggledSchema,
      handler: async ({ ctx, body }) => {
        const service = await Service.getByHostAndBinary(ctx, body.host, body.binary);
        service.disabled = disabled;
        service.disabled_reason = disabled ? ((body as { disabled_reason?: string }).disabled_reason ?? null) : null;
        await service.save();
        return {
          service: {
            host: body.host,
            binary: body.binary,
            status: disabled ? ('disabled' as const) : ('enabled' as const),
            ...(withReason ? { disabled_reason: service.disabled_reason ?? '' } : {}),
          },
        };
      },
    });
  return [
    route({
      method: 'GET',
      url: '/v2.1/os-services',
      action: 'os_compute_api:os-services',
      admin: true,
      query: ServiceListQuerySchema,
      status: 200,
      response: ServiceListSchema,
      handler: async ({ ctx, query }) => {
        const all = await ServiceList.getAll(ctx);
        const picked = all.filter((s) => (!query.host || s.host === query.host) && (!query.binary || s.binary === query.binary));
        return { services: picked.map(serviceView) };
      },
    }),
    toggle('/v2.1/os-services/enable', false, false),
    toggle('/v2.1/os-services/disable', true, false),
    toggle('/v2.1/os-services/disable-log-reason', true, true),
  ];
}
