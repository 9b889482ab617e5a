// /v2.1/servers/{id}/os-instance-actions: the server's actions, and one action with its events.
import { InstanceAction, InstanceActionEventList, InstanceActionList, InstanceActionNotFound, RequestContext } from '@novakit/objects';
import { findServer } from '../compute/lookup.js';
import { route, type AnyRoute } from '../http/route.js';
import { ServerParams } from '../schemas/common.js';
import { InstanceActionListSchema, InstanceActionParams, InstanceActionShowSchema } from '../schemas/instance-actions.js';
import { isoTime } from '../views/format.js';

function actionView(a: InstanceAction) {
  return {
    action: a.action,
    instance_uuid: a.instance_uuid,
    message: a.message,
    project_id: a.project_id,
    request_id: a.request_id,
    start_time: isoTime(a.start_time),
    user_id: a.user_id,
  };
}

/** Actions stay readable after the server is deleted (Nova reads them with read_deleted yes). */
const serverOf = (ctx: RequestContext, id: string) => findServer(RequestContext.withReadDeleted(ctx, 'yes'), id, []);

export function instanceActionRoutes(): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id/os-instance-actions',
      action: 'os_compute_api:os-instance-actions',
      params: ServerParams,
      status: 200,
      response: InstanceActionListSchema,
      handler: async ({ ctx, params }) => {
        const server = await serverOf(ctx, params.server_id);
        return { instanceActions: (await InstanceActionList.getByInstanceUuid(ctx, server.uuid)).map(actionView) };
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id/os-instance-actions/:request_id',
      action: 'os_compute_api:os-instance-actions',
      params: InstanceActionParams,
      status: 200,
      response: InstanceActionShowSchema,
      handler: async ({ ctx, params }) => {
        const server = await serverOf(ctx, params.server_id);
        const action = await InstanceAction.getByRequestId(ctx, server.uuid, params.request_id);
        if (!action) throw new InstanceActionNotFound({ request_id: params.request_id, instance_uuid: server.uuid });
        const events = await InstanceActionEventList.getByAction(ctx, action.id);
        return {
          instanceAction: {
            ...actionView(action),
            events: events.map((e) => ({
              event: e.event,
              start_time: isoTime(e.start_time),
              finish_time: isoTime(e.finish_time),
              result: e.result,
              host: e.host,
              ...(ctx.is_admin ? { traceback: e.traceback } : {}),
            })),
          },
        };
      },
    }),
  ];
}
