import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStandalone, ConfigError, loadConfig, redactedConfig } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'conductor-config-'));
function file(content: unknown): string {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const minimal = { database: { url: 'sqlite:///var/lib/nova.db' }, transport: { url: 'amqp://guest:secret@mq:5672/' } };

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).kwargs.problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from a minimal file', () => {
    const c = loadConfig({ file: file(minimal) });
    expect(c).toMatchObject({ topic: 'conductor', workers: 1, report_interval_s: 10, shutdown_grace_s: 30, max_concurrency: 64, log: { level: 'info' } });
    expect(c.scheduler).toEqual({ ram_allocation_ratio: 1.5, disk_allocation_ratio: 1, cpu_allocation_ratio: 16, service_down_time_s: 60, max_migration_attempts: 3 });
    expect(c.host.length).toBeGreaterThan(0);
  });

  it('environment overrides the file, flags override the environment', () => {
    const c = loadConfig({
      file: file({ ...minimal, workers: 2, scheduler: { ram_allocation_ratio: 1.0 } }),
      env: { NOVAKIT_DB_URL: 'postgres://nova@db/nova', NOVAKIT_CONDUCTOR__WORKERS: '3', NOVAKIT_CONDUCTOR__SCHEDULER__RAM_ALLOCATION_RATIO: '2.5', NOVAKIT_LOG_LEVEL: 'debug', UNRELATED: 'x' },
      flags: { workers: '4', host: '0042' },
    });
    expect(c.database.url).toBe('postgres://nova@db/nova');
    expect(c.workers).toBe(4);
    expect(c.host).toBe('0042');
    expect(c.scheduler.ram_allocation_ratio).toBe(2.5);
    expect(c.log.level).toBe('debug');
  });

  it('types a value from the environment as the same value from a flag: text where the key takes text', () => {
    const env = loadConfig({ file: file(minimal), env: { NOVAKIT_CONDUCTOR__HOST: '0042', NOVAKIT_CONDUCTOR__TOPIC: '123', NOVAKIT_CONDUCTOR__TRANSPORT__EXCHANGE: 'true', NOVAKIT_CONDUCTOR__MAX_CONCURRENCY: '8' } });
    const flags = loadConfig({ file: file(minimal), flags: { host: '0042', topic: '123', 'transport.exchange': 'true', max_concurrency: '8' } });
    for (const c of [env, flags]) {
      expect(c).toMatchObject({ host: '0042', topic: '123', transport: { exchange: 'true' }, max_concurrency: 8 });
    }
    expect(problems(() => loadConfig({ file: file(minimal), env: { NOVAKIT_CONDUCTOR__LOG__LEVEL: '1' } }))).toEqual([
      expect.stringMatching(/^log\.level: .* \(environment variable NOVAKIT_CONDUCTOR__LOG__LEVEL\)$/),
    ]);
  });

  it('names an unknown key and where it came from', () => {
    expect(problems(() => loadConfig({ file: file({ ...minimal, wokers: 2, scheduler: { ram_ratio: 2 } }) })).sort()).toEqual([
      expect.stringMatching(/^scheduler\.ram_ratio: unknown key \(in .*\.json\)$/),
      expect.stringMatching(/^wokers: unknown key \(in .*\.json\)$/),
    ]);
    expect(problems(() => loadConfig({ file: file(minimal), env: { NOVAKIT_CONDUCTOR__TRANSPORT__EXCHANGEZ: 'nova' } }))).toEqual([
      'transport.exchangez: unknown key (environment variable NOVAKIT_CONDUCTOR__TRANSPORT__EXCHANGEZ)',
    ]);
  });

  it('names a bad value, its key and its source; reports every problem at once', () => {
    const found = problems(() =>
      loadConfig({ file: file({ ...minimal, workers: 0, log: { level: 'loud' } }), env: { NOVAKIT_CONDUCTOR__SCHEDULER__CPU_ALLOCATION_RATIO: 'lots' }, flags: { workers: 'many' } }),
    );
    expect(found).toHaveLength(3);
    expect(found).toContainEqual(expect.stringMatching(/^workers: .*expected number, received string \(flag --workers\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^log\.level: .*"fatal"\|"error".* \(in .*\.json\)$/));
    expect(found).toContainEqual(expect.stringMatching(/^scheduler\.cpu_allocation_ratio: .* \(environment variable NOVAKIT_CONDUCTOR__SCHEDULER__CPU_ALLOCATION_RATIO\)$/));
  });

  it('requires the database and transport URLs', () => {
    expect(problems(() => loadConfig({}))).toEqual([
      'database: Invalid input: expected object, received undefined (no value given)',
      'transport: Invalid input: expected object, received undefined (no value given)',
    ]);
  });

  it('says what is wrong with an unreadable or non-JSON file', () => {
    expect(problems(() => loadConfig({ file: join(dir, 'missing.json') }))[0]).toMatch(/^cannot read .*missing\.json: ENOENT/);
    expect(problems(() => loadConfig({ file: file('{ workers: 2 }') }))[0]).toMatch(/is not valid JSON/);
    expect(problems(() => loadConfig({ file: file('[1]') }))[0]).toMatch(/must hold a JSON object/);
  });

  it('the standalone service refuses the in-process transport; logs mask credentials', () => {
    const inProcess = loadConfig({ file: file({ ...minimal, transport: { url: 'memory://bus' } }) });
    expect(() => checkStandalone(inProcess)).toThrow(/transport\.url: memory:\/\/bus is not an AMQP URL; the standalone conductor needs amqp:\/\//);
    const c = loadConfig({ file: file({ ...minimal, database: { url: 'postgres://nova:pw@db/nova' } }) });
    expect(() => checkStandalone(c)).not.toThrow();
    expect(redactedConfig(c).transport.url).toBe('amqp://guest:***@mq:5672/');
    expect(redactedConfig(c).database.url).toBe('postgres://nova:***@db/nova');
  });
});
