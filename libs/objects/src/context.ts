// The request context of novakit (Nova's nova.context.RequestContext): who asks, under
// which request id, and how their objects reach the database. On a compute the context
// carries an indirection API (remotable methods run on the conductor); on the conductor it
// carries the DB API (they run here). Contexts are immutable: helpers return new ones.
import { randomUUID } from 'node:crypto';
import type { ContextCodec, IndirectionApi, ObjectContext } from '@novakit/versioned-objects';
import type { ObjectsDbApi, ObjectsDbContext } from './db-api.js';

/** Which rows queries see: live ones (`no`), all (`yes`), or only soft-deleted ones. */
export type ReadDeleted = 'no' | 'yes' | 'only';
const READ_DELETED: readonly ReadDeleted[] = ['no', 'yes', 'only'];

export interface RequestContext extends ObjectContext {
  /** `req-<uuid4>`, generated when the caller has none; logged and recorded in instance actions. */
  readonly request_id: string;
  readonly user_id: string | null;
  readonly project_id: string | null;
  readonly roles: readonly string[];
  readonly is_admin: boolean;
  readonly read_deleted: ReadDeleted;
  /** When the request started (Nova records it as an action's start time). */
  readonly timestamp: Date;
  /** Context keys from a peer that novakit does not interpret, kept so relaying loses nothing. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Set on computes: remotable methods go to the conductor. Never serialized. */
  readonly indirection?: IndirectionApi | undefined;
  /** Set on the conductor: remotable methods run here against this database. Never serialized. */
  readonly db?: ObjectsDbApi | undefined;
}

export interface RequestContextInit {
  request_id?: string | null;
  user_id?: string | null;
  project_id?: string | null;
  roles?: readonly string[];
  is_admin?: boolean;
  read_deleted?: ReadDeleted;
  timestamp?: Date;
  extra?: Readonly<Record<string, unknown>>;
  indirection?: IndirectionApi;
  db?: ObjectsDbApi;
}

/** oslo.context's form of request ids. */
export function generateRequestId(): string {
  return `req-${randomUUID()}`;
}

function create(init: RequestContextInit = {}): RequestContext {
  const ctx: RequestContext = {
    request_id: init.request_id || generateRequestId(),
    user_id: init.user_id ?? null,
    project_id: init.project_id ?? null,
    roles: Object.freeze([...(init.roles ?? [])]),
    is_admin: init.is_admin ?? false,
    read_deleted: init.read_deleted ?? 'no',
    timestamp: init.timestamp ?? new Date(),
    extra: Object.freeze({ ...(init.extra ?? {}) }),
    ...(init.indirection ? { indirection: init.indirection } : {}),
    ...(init.db ? { db: init.db } : {}),
  };
  return Object.freeze(ctx);
}

/** A copy with some fields replaced; `undefined` for indirection/db removes them. */
function derive(ctx: RequestContext, changes: Partial<RequestContextInit>): RequestContext {
  const next: RequestContextInit = { ...ctx, ...changes };
  if ('indirection' in changes && changes.indirection === undefined) delete next.indirection;
  if ('db' in changes && changes.db === undefined) delete next.db;
  return create(next);
}

/**
 * Constructors and helpers for RequestContext (a value with the same name as the type):
 * `RequestContext.create({ user_id, project_id })`, `RequestContext.admin({ db })`.
 */
export const RequestContext = {
  create,
  /** Nova's get_admin_context(): no user or project, admin. */
  admin(init: RequestContextInit = {}): RequestContext {
    return create({ ...init, is_admin: true, roles: init.roles ?? ['admin'] });
  },
  /** The same request with admin rights (Nova's context.elevated()). */
  elevated(ctx: RequestContext, readDeleted?: ReadDeleted): RequestContext {
    const roles = ctx.roles.includes('admin') ? ctx.roles : [...ctx.roles, 'admin'];
    return derive(ctx, { is_admin: true, roles, ...(readDeleted ? { read_deleted: readDeleted } : {}) });
  },
  withReadDeleted(ctx: RequestContext, readDeleted: ReadDeleted): RequestContext {
    return derive(ctx, { read_deleted: readDeleted });
  },
  /** The conductor side: run remotable methods locally against `db`. */
  withDb(ctx: RequestContext, db: ObjectsDbApi): RequestContext {
    return derive(ctx, { db, indirection: undefined });
  },
  /** The compute side: send remotable methods through `indirection`. */
  withIndirection(ctx: RequestContext, indirection: IndirectionApi): RequestContext {
    return derive(ctx, { indirection, db: undefined });
  },
  /** Whether a value is a RequestContext (as opposed to a bare ObjectContext). */
  is(value: unknown): value is RequestContext {
    return typeof value === 'object' && value !== null && typeof (value as RequestContext).request_id === 'string' && 'read_deleted' in value;
  },
};

/** The query scope of a context; a bare ObjectContext sees live rows. */
export function dbContextOf(ctx: ObjectContext): ObjectsDbContext {
  return { readDeleted: RequestContext.is(ctx) ? ctx.read_deleted : 'no' };
}

// Keys this codec writes and reads. oslo.context writes the user and project twice
// (`user`/`user_id`, `project`/`project_id`) and Nova adds `tenant`; all are read as aliases.
const KNOWN = new Set(['request_id', 'user_id', 'user', 'project_id', 'project', 'tenant', 'roles', 'is_admin', 'read_deleted', 'timestamp']);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function parseTimestamp(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  // Nova writes naive UTC ('2014-10-16T12:00:00.000000'); a missing zone means UTC.
  const text = /(Z|[+-]\d\d:?\d\d)$/i.test(v) ? v : `${v}Z`;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export interface ContextAttachments {
  /** Given to every context this codec reads: a conductor's database. */
  readonly db?: ObjectsDbApi;
  /** Given to every context this codec reads: a compute's way to the conductor. */
  readonly indirection?: IndirectionApi;
}

/**
 * The context as oslo's flat dict (it travels as `_context_<key>` RPC entries), and back.
 * The DB handle and the indirection API never travel; the receiving side attaches its own.
 */
export function createRequestContextCodec(attach: ContextAttachments = {}): ContextCodec<RequestContext> {
  return {
    serialize(ctx: RequestContext): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(ctx.extra ?? {})) if (!KNOWN.has(k) && k !== '__proto__') out[k] = v;
      Object.assign(out, {
        request_id: ctx.request_id,
        user_id: ctx.user_id,
        user: ctx.user_id,
        project_id: ctx.project_id,
        project: ctx.project_id,
        roles: [...ctx.roles],
        is_admin: ctx.is_admin,
        read_deleted: ctx.read_deleted,
        timestamp: ctx.timestamp.toISOString(),
      });
      return out;
    },
    deserialize(d: Record<string, unknown>): RequestContext {
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d)) if (!KNOWN.has(k) && k !== '__proto__') extra[k] = v;
      // oslo.context sends show_deleted instead of Nova's read_deleted.
      const readDeleted = READ_DELETED.includes(d.read_deleted as ReadDeleted) ? (d.read_deleted as ReadDeleted) : d.show_deleted === true ? 'yes' : 'no';
      const init: RequestContextInit = {
        request_id: str(d.request_id),
        user_id: str(d.user_id) ?? str(d.user),
        project_id: str(d.project_id) ?? str(d.project) ?? str(d.tenant),
        roles: Array.isArray(d.roles) ? d.roles.filter((r): r is string => typeof r === 'string') : [],
        is_admin: d.is_admin === true,
        read_deleted: readDeleted,
        extra,
      };
      const timestamp = parseTimestamp(d.timestamp);
      if (timestamp) init.timestamp = timestamp;
      if (attach.db) init.db = attach.db;
      if (attach.indirection) init.indirection = attach.indirection;
      return create(init);
    },
  };
}

/** The codec with nothing attached (contexts come out without DB or indirection). */
export const requestContextCodec: ContextCodec<RequestContext> = createRequestContextCodec();
