import { randomUUID } from 'node:crypto';

/**
 * The default request context. It travels as oslo's `_context_<key>` entries; free keys
 * (for instance oslo.context's `user_identity` from a Python peer) ride along unchanged.
 */
export interface RequestContext {
  request_id: string;
  user_id: string | null;
  project_id: string | null;
  roles: string[];
  is_admin: boolean;
  [key: string]: unknown;
}

/** `req-<uuid4>`, the form oslo.context and Nova use. */
export function generateRequestId(): string {
  return `req-${randomUUID()}`;
}

export function createRequestContext(init: Partial<RequestContext> = {}): RequestContext {
  return {
    ...init,
    request_id: init.request_id || generateRequestId(),
    user_id: init.user_id ?? null,
    project_id: init.project_id ?? null,
    roles: init.roles ?? [],
    is_admin: init.is_admin ?? false,
  };
}

// oslo.context's to_dict() calls the user `user` and also writes the project as
// `project`; Nova adds `tenant`. They are read as aliases and written back as `user` and
// `project` so a Python `RequestContext.from_dict` finds them.
const ALIASES = new Set(['user', 'project', 'tenant']);

export function requestContextToDict(ctx: RequestContext): Record<string, unknown> {
  const d: Record<string, unknown> = {
    request_id: ctx.request_id || generateRequestId(),
    user_id: ctx.user_id ?? null,
    project_id: ctx.project_id ?? null,
    roles: ctx.roles ?? [],
    is_admin: ctx.is_admin ?? false,
    user: ctx.user_id ?? null,
    project: ctx.project_id ?? null,
  };
  for (const key of Object.keys(ctx)) if (!Object.hasOwn(d, key) && key !== 'tenant' && key !== '__proto__') d[key] = ctx[key];
  return d;
}

export function requestContextFromDict(d: Record<string, unknown>): RequestContext {
  const ctx: RequestContext = {
    request_id: stringOr(d.request_id, null) ?? generateRequestId(),
    user_id: stringOr(d.user_id, null) ?? stringOr(d.user, null),
    project_id: stringOr(d.project_id, null) ?? stringOr(d.project, null) ?? stringOr(d.tenant, null),
    roles: Array.isArray(d.roles) ? d.roles.filter((r): r is string => typeof r === 'string') : [],
    is_admin: d.is_admin === true,
  };
  for (const key of Object.keys(d)) if (!Object.hasOwn(ctx, key) && !ALIASES.has(key) && key !== '__proto__') ctx[key] = d[key];
  return ctx;
}

function stringOr<T>(v: unknown, fallback: T): string | T {
  return typeof v === 'string' && v !== '' ? v : fallback;
}
