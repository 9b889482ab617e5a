// /v2.1/servers/{id}/os-volume_attachments: attach, list, show, detach.
import { attachVolume, detachVolume, listAttachments, showAttachment } from '../compute/volume-attach.js';
import { route, type AnyRoute } from '../http/route.js';
import { NOTHING, ServerParams } from '../schemas/common.js';
import { AttachBodySchema, AttachmentListSchema, AttachmentParams, AttachmentShowSchema } from '../schemas/volumes.js';
import type { RouteDeps } from './services-bag.js';

export function volumeAttachmentRoutes({ backend, volumes }: RouteDeps): AnyRoute[] {
  const base = '/v2.1/servers/:server_id/os-volume_attachments';
  return [
    route({
      method: 'POST',
      url: base,
      action: 'os_compute_api:os-volumes-attachments:create',
      params: ServerParams,
      body: AttachBodySchema,
      status: 200,
      response: AttachmentShowSchema,
      handler: async ({ ctx, params, body }) => ({
        volumeAttachment: await attachVolume(backend, volumes, ctx, params.server_id, body.volumeAttachment.volumeId.toLowerCase(), body.volumeAttachment.device ?? null),
      }),
    }),
    route({
      method: 'GET',
      url: base,
      action: 'os_compute_api:os-volumes-attachments:index',
      params: ServerParams,
      status: 200,
      response: AttachmentListSchema,
      handler: async ({ ctx, params }) => ({ volumeAttachments: await listAttachments(ctx, params.server_id) }),
    }),
    route({
      method: 'GET',
      url: `${base}/:volume_id`,
      action: 'os_compute_api:os-volumes-attachments:show',
      params: AttachmentParams,
      status: 200,
      response: AttachmentShowSchema,
      handler: async ({ ctx, params }) => ({ volumeAttachment: await showAttachment(ctx, params.server_id, params.volume_id) }),
    }),
    route({
      method: 'DELETE',
      url: `${base}/:volume_id`,
      action: 'os_compute_api:os-volumes-attachments:delete',
      params: AttachmentParams,
      status: 202,
      response: NOTHING,
      handler: async ({ ctx, params }) => detachVolume(backend, ctx, params.server_id, params.volume_id),
    }),
  ];
}
