// The request information the DB API needs. Deliberately tiny: the conductor builds it
// from its request context; nothing else in the request context affects a query.

/**
 * - `readDeleted`: which rows queries see. `'no'` (default) hides soft-deleted rows,
 *   `'yes'` shows all, `'only'` shows only deleted ones (Nova's `read_deleted`).
 */
export interface DbContext {
  readonly readDeleted?: 'no' | 'yes' | 'only';
}

/** The default context: live rows only. */
export const ADMIN_CONTEXT: DbContext = Object.freeze({ readDeleted: 'no' });
