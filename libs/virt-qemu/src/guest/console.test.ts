import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConsoleTail } from './console.js';

const dir = mkdtempSync(join(tmpdir(), 'vq-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readConsoleTail', () => {
  it('returns the whole log when small, the last bytes when large, empty when missing', async () => {
    const path = join(dir, 'console.log');
    writeFileSync(path, 'SeaBIOS\nNo bootable device.\n');
    expect(await readConsoleTail(path)).toBe('SeaBIOS\nNo bootable device.\n');
    writeFileSync(path, `${'x'.repeat(5000)}END`);
    expect(await readConsoleTail(path, 10)).toBe('xxxxxxxEND');
    expect(await readConsoleTail(join(dir, 'none.log'))).toBe('');
  });
});
