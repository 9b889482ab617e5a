import { describe, expect, it } from 'vitest';
import { uuidHex } from './ids.js';

describe('uuidHex', () => {
  it('gives distinct uuid4 hex strings', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => uuidHex()));
    expect(ids.size).toBe(5000);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
  });
});
