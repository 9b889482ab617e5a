// os-migrateLive with block_migration auto against a scripted conductor: each refusal is sent
// through the wire encoding and rebuilt by the conductor client's allow-list, as the API gets
// it from a conductor of this release or of release 1. The server itself is read locally.
import { conductorErrorRegistry, MigrationPreCheckError, type LiveMigrateRequest } from '@novakit/conductor-api';
import { openDbApi, type DbApi } from '@novakit/db';
import { Instance, PowerState, RequestContext } from '@novakit/objects';
import { decodeFailure, encodeFailure } from '@novakit/rpc';
import { BlockMigrationDisabled } from '@novakit/virt-driver';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../src/backend.js';
import { liveMigrate } from '../src/compute/actions.js';

/** The error the API's conductor client raises for `err` thrown on the conductor. */
const overTheWire = (err: Error): Error => conductorErrorRegistry().rebuild(decodeFailure(encodeFailure(err)));

class ScriptedConductor {
  readonly asked: boolean[] = [];
  constructor(private readonly refusals: Error[]) {}
  backend(): ApiBackend {
    const live_migrate_instance = async (_ctx: RequestContext, req: LiveMigrateRequest): Promise<string> => {
      this.asked.push(req.block_migration);
      const refusal = this.refusals.shift();
      if (refusal) throw overTheWire(refusal);
      return 'compute-2';
    };
    return { conductor: { computeTask: { live_migrate_instance } }, compute: {} } as unknown as ApiBackend;
  }
}

describe('os-migrateLive block_migration auto', () => {
  let db: DbApi;
  let ctx: RequestContext;
  beforeAll(async () => {
    db = await openDbApi('sqlite::memory:', { schema: 'migrate' });
    ctx = RequestContext.create({ user_id: 'alice', project_id: 'proj-a', roles: ['admin'], is_admin: true, db });
  });
  afterAll(async () => db?.close());

  async function server(): Promise<string> {
    const inst = new Instance(
      { uuid: randomUUID(), project_id: 'proj-a', user_id: 'alice', host: 'compute-1', node: 'compute-1', vm_state: 'active', task_state: null, power_state: PowerState.RUNNING, memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0 } as never,
      RequestContext.admin({ db }),
    );
    await inst.create();
    return inst.uuid;
  }
  const migrate = async (conductor: ScriptedConductor, host: string | null, block: boolean | 'auto' = 'auto') =>
    liveMigrate(conductor.backend(), ctx, await server(), { host, block_migration: block, disk_over_commit: false });

  it('asks again without block migration when the refusal is typed, whatever its message says', async () => {
    // Scheduled host: the conductor's MigrationPreCheckError names the cause; the message is reworded.
    const shared = new ScriptedConductor([new MigrationPreCheckError({ reason: 'le stockage des instances est partagé', cause: 'InvalidSharedStorage' })]);
    expect(await migrate(shared, null)).toBe('compute-2');
    expect(shared.asked).toEqual([true, false]);
    // Requested host: the driver's own error, which the conductor client knows only by name.
    const disabled = new ScriptedConductor([new BlockMigrationDisabled({ host: 'compute-1' }, 'kopieren der Platten ist abgeschaltet')]);
    expect(await migrate(disabled, 'compute-2')).toBe('compute-2');
    expect(disabled.asked).toEqual([true, false]);
  });

  it('decides by the cause when there is one; only a release-1 conductor’s refusal without it is read as text', async () => {
    const other = new MigrationPreCheckError({ reason: 'block migration is disabled for instances with ephemeral or swap disks', cause: 'MigrationPreCheckError' });
    const notRetried = new ScriptedConductor([other]);
    await expect(migrate(notRetried, null)).rejects.toMatchObject({ name: 'MigrationPreCheckError', kwargs: { cause: 'MigrationPreCheckError' }, message: other.message });
    expect(notRetried.asked).toEqual([true]);

    const release1 = new ScriptedConductor([
      new MigrationPreCheckError({ reason: 'no destination passed the checks in 3 attempts for instance x; last: InvalidSharedStorage: /var/lib/nova is not on shared storage: shared' }),
    ]);
    expect(await migrate(release1, null)).toBe('compute-2');
    expect(release1.asked).toEqual([true, false]);

    // An explicit block migration is never changed.
    const explicit = new ScriptedConductor([new MigrationPreCheckError({ reason: 'shared', cause: 'InvalidSharedStorage' })]);
    await expect(migrate(explicit, null, true)).rejects.toBeInstanceOf(MigrationPreCheckError);
    expect(explicit.asked).toEqual([true]);
  });
});
