// The standalone conductor's port to the computes: a compute RPC client whose `auto` cap is
// read from the live nova-compute Service rows.
import { randomUUID } from 'node:crypto';
import { ComputeTooOld, computeRpcVersionForService } from '@novakit/compute-api';
import { createTestDatabase, type TestDatabase } from '@novakit/db/testing';
import { RequestContext, Service } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeRpcPort, conductorComputeClient } from '../src/index.js';

let tdb: TestDatabase;
let transport: Transport;

beforeEach(async () => {
  tdb = await createTestDatabase('sqlite');
  transport = await createTransport(`memory://compute-rpc-${randomUUID()}`, { logger: pino({ level: 'silent' }) });
});
afterEach(async () => {
  await transport.close();
  await tdb.drop();
});

describe('the conductor’s compute RPC client', () => {
  it('caps at the RPC version of the oldest live compute, learned from the Service rows', async () => {
    const ctx = RequestContext.admin({ db: tdb.api });
    for (const [host, version] of [['c1', 1], ['c2', 7]] as const) {
      const svc = new Service({ host, binary: 'nova-compute', topic: 'compute', report_count: 0, disabled: false, version }, ctx);
      await svc.create();
      await svc.heartbeat(1);
    }
    const client = conductorComputeClient(transport, tdb.api);
    // Service version 1 speaks compute RPC 1.0; an uncapped client would answer undefined.
    expect(await client.versionCap()).toBe(computeRpcVersionForService(1));
    expect(await client.versionCap()).toBe('1.0');
    expect(await client.canSend('liveMigration')).toBe(true);
    expect(await conductorComputeClient(transport, tdb.api, 'release-1').versionCap()).toBe('1.0');
    expect(await conductorComputeClient(transport, tdb.api, '0.1').versionCap()).toBe('0.1');
  });

  it('a pinned cap below a method refuses before sending; the port maps the conductor’s calls', async () => {
    const client = conductorComputeClient(transport, tdb.api, '0.1');
    const port = computeRpcPort(client);
    const ctx = RequestContext.admin({ db: tdb.api });
    await expect(
      port.check_can_live_migrate_source(ctx, 'c1', { instance: { host: 'c1' } as never, dest_check_data: {} }),
    ).rejects.toBeInstanceOf(ComputeTooOld);
  });
});
