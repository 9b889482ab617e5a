/**
 * Test doubles for the QEMU building blocks: a fake QMP server ("fake the library, not the
 * driver") and fakes of the host tools, for unit tests that need no qemu binary; and the real
 * QemuDriver wired to them (`createFakeQemuDriver`).
 *
 * @example
 * const server = await FakeQmpServer.listen('/tmp/x/qmp.sock');
 * server.injectFault('query-status', { kind: 'die' });
 */
export { FakeQmpServer, type FakeQmpFault, type FakeQmpServerOptions, type ReceivedCommand } from './testing/fake-qmp-server.js';
export { FakeVm, FakeQmpError, type FakeVmOptions } from './testing/fake-vm.js';
export { FakeQemu } from './testing/fake-qemu.js';
export { FakeImageTool } from './testing/fake-images.js';
export { createFakeHost, type FakeHostHandle } from './testing/fake-host.js';
export { createFakeQemuDriver, type FakeQemuDriverHandle } from './testing/fake-driver.js';
