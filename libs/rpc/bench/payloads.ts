import { readFileSync } from 'node:fs';
import { createRequestContext, type RequestContext } from '../src/index.js';

/**
 * The Instance payload: the anchor's instance.json wrapped as a nova_object primitive, so
 * the bytes on the wire match what msg_bench.py sends (the rpc lib moves primitives; the
 * object layer that builds them is not part of this benchmark).
 */
export function instancePrimitive(): { 'nova_object.data': Record<string, unknown> } & Record<string, unknown> {
  const data = JSON.parse(readFileSync(new URL('../test/fixtures/instance.json', import.meta.url), 'utf8'));
  return { 'nova_object.name': 'Instance', 'nova_object.namespace': 'nova', 'nova_object.version': '1.3', 'nova_object.data': data };
}

/** A context with the 17 keys of oslo.context's to_dict(), as in msg_bench.py. */
export function benchContext(): RequestContext {
  return createRequestContext({
    user_id: '3a1f0c2e9b8d4e7f8a6b5c4d3e2f1a0b',
    project_id: '0f6c5b4a3e2d41c09b8a7f6e5d4c3b2a',
    roles: ['member', 'reader'],
    system_scope: null, domain: null, user_domain: null, project_domain: null, read_only: false,
    show_deleted: false, auth_token: null, global_request_id: null, resource_uuid: null,
    user_identity: '3a1f0c2e9b8d4e7f8a6b5c4d3e2f1a0b 0f6c5b4a3e2d41c09b8a7f6e5d4c3b2a - - -', is_admin_project: true,
  });
}
