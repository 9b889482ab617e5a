// /v2.1/os-volumes: the file-backed volume stand-in, in Nova's os-volumes proxy shape.
import { route, type AnyRoute } from '../http/route.js';
import { IdParams, NOTHING } from '../schemas/common.js';
import { VolumeCreateBodySchema, VolumeListSchema, VolumeShowSchema } from '../schemas/volumes.js';
import type { Volume } from '../volumes/service.js';
import type { RouteDeps } from './services-bag.js';

function volumeView(v: Volume) {
  return {
    id: v.id,
    status: v.effective_status,
    size: v.size,
    availabilityZone: 'nova',
    createdAt: v.created_at,
    attachments: v.attachment ? [{ id: v.id, volumeId: v.id, serverId: v.attachment.server_id, device: v.attachment.device }] : [{}],
    displayName: v.display_name,
    displayDescription: v.display_description,
    volumeType: null,
    snapshotId: null,
    metadata: v.metadata,
  };
}

const Params = IdParams('volume_id');

export function volumeRoutes({ volumes }: RouteDeps): AnyRoute[] {
  const list = (url: string) =>
    route({
      method: 'GET',
      url,
      action: 'os_compute_api:os-volumes',
      status: 200,
      response: VolumeListSchema,
      handler: async ({ ctx }) => ({ volumes: (await volumes.list(ctx)).map(volumeView) }),
    });
  return [
    route({
      method: 'POST',
      url: '/v2.1/os-volumes',
      action: 'os_compute_api:os-volumes',
      body: VolumeCreateBodySchema,
      status: 200,
      response: VolumeShowSchema,
      handler: async ({ ctx, body }) => ({ volume: volumeView(await volumes.create(ctx, body.volume)) }),
    }),
    list('/v2.1/os-volumes'),
    list('/v2.1/os-volumes/detail'),
    route({
      method: 'GET',
      url: '/v2.1/os-volumes/:volume_id',
      action: 'os_compute_api:os-volumes',
      params: Params,
      status: 200,
      response: VolumeShowSchema,
      handler: async ({ ctx, params }) => ({ volume: volumeView(await volumes.get(ctx, params.volume_id)) }),
    }),
    route({
      method: 'DELETE',
      url: '/v2.1/os-volumes/:volume_id',
      action: 'os_compute_api:os-volumes',
      params: Params,
      status: 202,
      response: NOTHING,
      handler: async ({ ctx, params }) => volumes.delete(ctx, params.volume_id),
    }),
  ];
}
