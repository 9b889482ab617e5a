// Shapes shared by several resources: links, ids, timestamps, paging.
import { z } from 'zod';

export const LinkSchema = z.object({ rel: z.string(), href: z.string() });
export const LinksSchema = z.array(LinkSchema);

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const uuid = () => z.string().regex(UUID_RE, 'a UUID');

/** Nova's timestamp form in responses: ISO 8601 UTC without fractions (`2014-10-16T12:00:00Z`). */
export const TimestampSchema = z.string();
export const nullableTimestamp = () => TimestampSchema.nullable();

/** Query integers arrive as text. */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const queryBool = () =>
  z
    .enum(['true', 'false', 'True', 'False', '1', '0', 'yes', 'no'])
    .transform((v) => ['true', 'True', '1', 'yes'].includes(v));

export const SortDirSchema = z.enum(['asc', 'desc']);

/** Path parameters: any text; a malformed id is simply not found (as in Nova). */
export const IdParams = <K extends string>(key: K) => z.strictObject({ [key]: z.string().min(1).max(255) } as Record<K, z.ZodString>);
export const ServerParams = z.strictObject({ server_id: z.string().min(1).max(255) });

/** Routes whose success answer has no body (202, 204). */
export const NOTHING = null;
