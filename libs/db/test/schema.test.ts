import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertSchemaCurrent, DBSchemaOutdated, migrateTo, openDbApi, SCHEMA_VERSION, schemaStatus } from '../src/index.js';
import { runCli } from '../src/cli.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';
import { describeBackends } from './support/backends.js';

/** The tables each schema version adds (what a downgrade to the previous version drops). */
const TABLES_BY_VERSION: Record<number, string[]> = {
  1: ['instances', 'instance_extra', 'instance_metadata', 'instance_system_metadata', 'instance_info_caches', 'instance_faults', 'instance_actions', 'instance_actions_events'],
  2: ['block_device_mapping', 'volumes'],
  3: ['security_groups', 'security_group_instance_association', 'security_group_rules', 'provider_fw_rules'],
  4: ['flavors', 'flavor_extra_specs', 'flavor_projects'],
  5: ['services', 'compute_nodes', 'migrations'],
  6: ['key_pairs', 'networks', 'virtual_interfaces', 'fixed_ips', 'agent_builds'],
};

describeBackends('schema migrations', ({ dialect }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false }); // a file for SQLite: the CLI opens it too
  }, 60_000);
  afterAll(async () => t?.drop(), 60_000);

  const present = async () => {
    const out: string[] = [];
    for (const names of Object.values(TABLES_BY_VERSION)) for (const n of names) if (await t.database.knex.schema.hasTable(n)) out.push(n);
    return out.sort();
  };
  const expected = (version: number) => Object.entries(TABLES_BY_VERSION).filter(([v]) => Number(v) <= version).flatMap(([, n]) => n).sort();

  it('walks every version up and down and back up', async () => {
    expect(SCHEMA_VERSION).toBe(6);
    expect((await schemaStatus(t.database)).current).toBe(0);
    for (let v = 1; v <= SCHEMA_VERSION; v++) {
      expect(await migrateTo(t.database, v)).toHaveLength(1);
      expect(await present()).toEqual(expected(v));
      expect((await schemaStatus(t.database)).current).toBe(v);
    }
    for (let v = SCHEMA_VERSION - 1; v >= 0; v--) {
      await migrateTo(t.database, v);
      expect(await present()).toEqual(expected(v));
    }
    expect(await migrateTo(t.database, SCHEMA_VERSION)).toHaveLength(SCHEMA_VERSION);
    expect(await present()).toEqual(expected(SCHEMA_VERSION));
    expect(await migrateTo(t.database)).toEqual([]);
  }, 120_000);

  it('services refuse an older schema and say what to run', async () => {
    await migrateTo(t.database, 4);
    const err = await assertSchemaCurrent(t.database).catch((e) => e);
    expect(err).toBeInstanceOf(DBSchemaOutdated);
    expect(err.kwargs).toMatchObject({ current: 4, target: SCHEMA_VERSION });
    expect(err.message).toMatch(/novakit-db migrate --url/);
    expect(err.message).toMatch(/nx run db:migrate/);
    await expect(openDbApi(t.url)).rejects.toBeInstanceOf(DBSchemaOutdated);
    const api = await openDbApi(t.url, { schema: 'migrate' });
    await api.close();
    expect((await assertSchemaCurrent(t.database)).current).toBe(SCHEMA_VERSION);
  }, 120_000);

  it('the novakit-db command reports, migrates and downgrades', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {} };
    expect(await runCli(['downgrade', '--url', t.url, '--to', '2', '--json'], io)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ from: SCHEMA_VERSION, current: 2, target: SCHEMA_VERSION, ran: ['006_misc', '005_compute', '004_flavors', '003_security'] });
    expect(await runCli(['status', `--url=${t.url}`], io)).toBe(0);
    expect(out.join('\n')).toMatch(/current 2, this code needs 6/);
    expect(await runCli(['migrate', '--url', t.url, '--to', '1'], io)).toBe(1);
    expect(err.pop()).toMatch(/use downgrade/);
    expect(await runCli(['migrate', '--url', t.url], io)).toBe(0);
    expect((await schemaStatus(t.database)).current).toBe(SCHEMA_VERSION);
    expect(await runCli(['migrate'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/NOVAKIT_DB_URL/);
  }, 120_000);
});
