// GET /v2.1/servers/{id}/migrations (admin, Nova 2.23): the server's live migrations still in
// progress, with the phase the source compute records (queued, preparing, running). The
// source compute records the transfer as the server's `progress` (percent, on the server
// view); it does not record byte counts, so those fields are null.
import { MigrationList } from '@novakit/objects';
import { findServer } from '../compute/lookup.js';
import { route, type AnyRoute } from '../http/route.js';
import { ServerParams } from '../schemas/common.js';
import { ServerMigrationListSchema } from '../schemas/migrations.js';
import { isoTime } from '../views/format.js';

const IN_PROGRESS = ['queued', 'accepted', 'preparing', 'running', 'post-migrating'];

export function migrationRoutes(): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id/migrations',
      action: 'os_compute_api:servers:migrations:index',
      admin: true,
      params: ServerParams,
      status: 200,
      response: ServerMigrationListSchema,
      handler: async ({ ctx, params }) => {
        const server = await findServer(ctx, params.server_id, []);
        const list = await MigrationList.getByFilters(ctx, { instance_uuid: server.uuid, status: IN_PROGRESS });
        return {
          migrations: list.map((m) => ({
            id: m.id,
            server_uuid: m.instance_uuid,
            source_compute: m.source_compute,
            source_node: m.source_node,
            dest_compute: m.dest_compute,
            dest_node: m.dest_node,
            dest_host: m.dest_host,
            status: m.status,
            created_at: isoTime(m.created_at),
            updated_at: isoTime(m.updated_at),
            memory_total_bytes: null,
            memory_processed_bytes: null,
            memory_remaining_bytes: null,
            disk_total_bytes: null,
            disk_processed_bytes: null,
            disk_remaining_bytes: null,
          })),
        };
      },
    }),
  ];
}
