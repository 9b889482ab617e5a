// What the API runs on: the conductor client (the objects' indirection API, and compute_task)
// and the compute RPC client. Every request context carries the conductor client, so every
// remotable object method the API calls runs on a conductor; the API never opens the database.
import type { ComputeRpcClient } from '@novakit/compute-api';
import type { ConductorClient } from '@novakit/conductor-api';
import { RequestContext } from '@novakit/objects';
import type { Identity } from './http/auth.js';

export interface ApiBackend {
  readonly conductor: ConductorClient;
  readonly compute: ComputeRpcClient;
}

/** The request's context: its id (shared with logs and the response header), who asks, and the way to the conductor. */
export function requestContext(backend: ApiBackend, requestId: string, who: Identity): RequestContext {
  return RequestContext.create({
    request_id: requestId,
    user_id: who.user_id,
    project_id: who.project_id,
    roles: who.roles,
    is_admin: who.is_admin,
    indirection: backend.conductor,
  });
}
