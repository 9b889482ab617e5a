import { randomFillSync } from 'node:crypto';

// Ids are drawn from a pooled random buffer: two per call, and randomUUID() plus
// stripping its dashes costs several times more.
const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

/** uuid4 as 32 hex digits, the form oslo uses for `_msg_id`, `_unique_id` and queue names. */
export function uuidHex(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = pool.subarray(offset, (offset += 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString('hex');
}
