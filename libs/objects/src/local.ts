// How a remotable method's local body reaches the database: through the DB API on the
// request context, with libs/db's errors turned into this lib's classes of the same name.
import type { ObjectContext } from '@novakit/versioned-objects';
import { dbContextOf } from './context.js';
import type { ObjectsDbApi, ObjectsDbContext } from './db-api.js';
import { DBNotAllowed, translateDbError } from './errors.js';

export interface LocalDb {
  readonly db: ObjectsDbApi;
  /** The query scope of the request (read_deleted). */
  readonly dctx: ObjectsDbContext;
}

const translating = new WeakMap<ObjectsDbApi, ObjectsDbApi>();

/** Every method of `db`, rethrowing database errors as domain errors. */
function translated(db: ObjectsDbApi): ObjectsDbApi {
  let out = translating.get(db);
  if (!out) {
    out = new Proxy(db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          try {
            return await value.apply(target, args);
          } catch (e) {
            throw translateDbError(e);
          }
        };
      },
    });
    translating.set(db, out);
  }
  return out;
}

/** The DB API of a context that runs `method` locally; DBNotAllowed when it has none. */
export function localDb(ctx: ObjectContext | null | undefined, method: string): LocalDb {
  const db = (ctx as { db?: ObjectsDbApi } | null | undefined)?.db;
  if (!ctx || !db) throw new DBNotAllowed({ method });
  return { db: translated(db), dctx: dbContextOf(ctx) };
}
