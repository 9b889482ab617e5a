import { afterEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/scan.js';
import { at, cell, copyFixture, edit, own, removeCopy, writeFile } from './helpers.js';

describe('shapes of a legacy use', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('census: function-typed properties, implementing classes, element access, .call and destructuring', () => {
    root = copyFixture('no-contract');
    writeFile(
      root,
      'libs/conductor-api/src/index.ts',
      `export interface ConductorApi {
  /** @legacy */
  instanceUpdate(uuid: string, updates: Record<string, unknown>): Promise<void>;
  /** @legacy */
  readonly serviceGet: (host: string) => Promise<unknown>;
}

export class ConductorClient implements ConductorApi {
  async instanceUpdate(_uuid: string, _updates: Record<string, unknown>): Promise<void> {}
  readonly serviceGet = async (_host: string): Promise<unknown> => null;
}
`,
    );
    writeFile(
      root,
      'apps/compute-manager/src/index.ts',
      `import { ConductorClient, type ConductorApi } from '@novakit/conductor-api';

export async function markDeleting(conductor: ConductorApi, uuid: string): Promise<void> {
  await conductor.serviceGet('host-1');
  const client = new ConductorClient();
  await client.instanceUpdate(uuid, {});
  await client.serviceGet('host-2');
  await client['instanceUpdate'](uuid, {});
  await client.instanceUpdate.call(client, uuid, {});
  const { instanceUpdate: update } = client;
  await update.call(client, uuid, {});
}
`,
    );
    const methods = scanRepository({ root }).legacyMethods;
    expect(methods.map((m) => [m.name, m.callers.map((c) => `${c.line}:${c.kind}`)])).toEqual([
      ['ConductorApi.instanceUpdate', ['6:call', '8:call', '9:reference', '10:reference']],
      ['ConductorApi.serviceGet', ['4:call', '7:call']],
    ]);
  });

  it('driver reachability: into another class of the lib, through a getter, to a legacy method taken out by destructuring', () => {
    root = copyFixture('basic');
    edit(root, 'libs/virt-toy/src/base-toy-driver.ts', (t) =>
      t
        .replace("import { ComputeDriverBase, type InstanceInfo } from '@novakit/virt-driver';", "import { ComputeDriverBase, type InstanceInfo } from '@novakit/virt-driver';\nimport { Recorder } from './recorder.js';")
        .replace('instance.host = null;', 'instance.host = null;\n    await new Recorder(this.virtApi).record(instance.uuid);'),
    );
    writeFile(
      root,
      'libs/virt-toy/src/recorder.ts',
      `import type { VirtApi } from '@novakit/virt-driver';

export class Recorder {
  constructor(private readonly virtApi: VirtApi) {}

  private get writer(): VirtApi['instanceUpdate'] {
    const { instanceUpdate } = this.virtApi;
    return instanceUpdate;
  }

  async record(uuid: string): Promise<void> {
    await this.writer.call(this.virtApi, uuid, {});
  }
}
`,
    );
    const c = cell(scanRepository({ root }), 'destroy', 'virt-toy');
    expect(c.verdict).toBe('legacy');
    expect(own(c).map((e) => [e.kind, at(e), e.chain!.map((s) => s.name).join(' → ')])).toEqual([
      ['legacy-reference', 'libs/virt-toy/src/recorder.ts:7', 'BaseToyDriver.destroy → Recorder.record → Recorder.writer'],
    ]);
  });
});

describe('contract slots', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('a legacy parameter of a callback in the contract keeps the item legacy', () => {
    root = copyFixture('basic');
    edit(root, 'libs/virt-driver/src/compute-driver.ts', (t) =>
      t.replace(
        'detachVolume(args: { instance: Instance; mountpoint: string }): Promise<void>;',
        'detachVolume(args: { instance: Instance; mountpoint: string; onDetached?: (ctx: string, dict: LegacyInstanceDict) => void }): Promise<void>;',
      ),
    );
    const report = scanRepository({ root });
    const contract = report.workItems.find((w) => w.name === 'detach_volume')!.contract;
    expect(contract.verdict).toBe('legacy');
    expect(contract.evidence.map((e) => [e.kind, at(e), e.message])).toEqual([
      ['contract-param', 'libs/virt-driver/src/compute-driver.ts:16', 'ComputeDriver.detachVolume: the `dict` parameter of callback `args.onDetached` is LegacyInstanceDict'],
    ]);
    // The manager passes no callback: its arguments are not blamed for the driver's side.
    expect(own(cell(report, 'detach_volume', 'compute-manager')).map((e) => e.kind)).toEqual(['legacy-call']);
  });
});
