// The `conductor` command's failure paths, run in-process: each ends with a clear message on
// stderr and an exit code, before anything is started.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'conductor-cli-'));

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { NOVAKIT_LOG_LEVEL: 'silent', ...env } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('conductor (cli)', () => {
  it('--check-config prints the effective configuration with credentials masked', async () => {
    const r = await run(['--check-config', '--database-url', 'sqlite:///x.db', '--transport-url', 'amqp://u:pw@mq/'], { NOVAKIT_CONDUCTOR__WORKERS: '3' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ workers: 3, transport: { url: 'amqp://u:***@mq/' }, database: { url: 'sqlite:///x.db' } });
    expect(r.err).toMatch(/^warning: workers: 3 processes would share one SQLite file/);
  });

  it('warns about several workers only when they would share a SQLite file', async () => {
    const one = await run(['--check-config', '--database-url', 'sqlite:///x.db', '--transport-url', 'amqp://mq/']);
    const pg = await run(['--check-config', '--workers', '3', '--database-url', 'postgres://nova@db/nova', '--transport-url', 'amqp://mq/']);
    expect([one.code, pg.code]).toEqual([0, 0]);
    expect(one.err + pg.err).toBe('');
  });

  it('a bad configuration exits 2 naming each key and its source', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ database: { url: 'sqlite:///x.db' }, transport: { url: 'amqp://mq/' }, shutdown_grace: 5 }));
    const r = await run(['--config', file, '--workers', 'two']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid conductor configuration:');
    expect(r.err).toContain('shutdown_grace: unknown key (in');
    expect(r.err).toMatch(/workers: .*expected number, received string \(flag --workers\)/);
  });

  it('refuses the in-process transport (exit 2) and an old schema (exit 1), each with a clear message', async () => {
    const memory = await run(['--database-url', 'sqlite::memory:', '--transport-url', 'memory://x']);
    expect(memory.code).toBe(2);
    expect(memory.err).toMatch(/^invalid conductor configuration:\n {2}- transport\.url: memory:\/\/x is not an AMQP URL/);
    const old = await run(['--database-url', `sqlite://${join(dir, 'empty.db')}`, '--transport-url', 'amqp://guest:guest@127.0.0.1:1/']);
    expect(old.code).toBe(1);
    expect(old.err).toMatch(/^conductor: Database schema is at version 0 but this code needs version \d+; run: npx novakit-db migrate --url/);
  });
});
