// The tour on real QEMU guests (64 MB, no image): `novakit up --driver qemu --hosts 2` in this
// process, a server on compute-1, a file volume hot-plugged, a live migration (block copy
// between the two hosts' instance directories) followed by the progress bar, then the server
// deleted so no guest outlives the test. Skips without QEMU unless NOVAKIT_REQUIRE_SERVICES=1.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upInProcess, type InProcessNode } from './harness.js';

const probe = spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
const hasQemu = probe.status === 0;
const required = process.env.NOVAKIT_REQUIRE_SERVICES === '1';
if (!hasQemu && !required) console.log(`skipping the QEMU tour: qemu-system-x86_64 is not usable (${probe.error?.message ?? probe.stderr})`);

describe.skipIf(!hasQemu && !required)('novakit up --driver qemu: the tour on QEMU guests', () => {
  let n: InProcessNode;
  beforeAll(async () => {
    if (!hasQemu) throw new Error('NOVAKIT_REQUIRE_SERVICES=1 but qemu-system-x86_64 is not usable');
    n = await upInProcess(2, 'qemu');
  });
  afterAll(async () => {
    if (!n) return;
    // Guests are detached QEMU processes: delete every server so none outlives the node.
    const list = await n.run('--json', 'server', 'list');
    for (const s of (list.json ?? []) as { id: string }[]) await n.run('server', 'delete', s.id, '--wait', '--timeout', '120');
    await n.stop();
  });

  it('boots, attaches a volume, live-migrates with a progress bar, and deletes', async () => {
    const created = await n.run('--json', 'server', 'create', 'qemu-demo', '--flavor', 'm1.nano', '--host', 'compute-1', '--wait', '--timeout', '120');
    expect(created.code, created.err).toBe(0);
    expect(created.json).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:power_state': 1, 'OS-EXT-SRV-ATTR:host': 'compute-1' });
    expect((await n.run('volume', 'create', 'qemu-data', '--size', '1')).code).toBe(0);
    const attached = await n.run('server', 'volume', 'attach', 'qemu-demo', 'qemu-data');
    expect(attached.out).toMatch(/as \/dev\/sd[b-z]\n$/);
    const migrated = await n.run('server', 'migrate', 'qemu-demo', '--live', '--timeout', '300');
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.err).toMatch(/migrating qemu-demo \[/);
    expect(migrated.err).toContain('migrated qemu-demo from compute-1 to compute-2');
    const shown = (await n.run('--json', 'server', 'show', 'qemu-demo')).json;
    expect(shown).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-2', 'os-extended-volumes:volumes_attached': [{ id: expect.any(String) }] });
    expect((await n.run('server', 'delete', 'qemu-demo', '--wait', '--timeout', '120')).code).toBe(0);
    expect((await n.run('volume', 'delete', 'qemu-data')).code).toBe(0);
  });
});
