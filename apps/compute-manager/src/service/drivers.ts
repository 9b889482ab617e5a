// The driver factories this service links: the fake always; QEMU when its lib exports a
// driver factory (`createQemuDriver`), which it does once its driver class lands.
import type { ComputeDriverFactory } from '@novakit/virt-driver';
import { createFakeDriver } from '@novakit/virt-fake';
import * as qemu from '@novakit/virt-qemu';

export function defaultDriverFactories(): Record<string, ComputeDriverFactory> {
  const factories: Record<string, ComputeDriverFactory> = { fake: createFakeDriver };
  const createQemuDriver = (qemu as Record<string, unknown>).createQemuDriver;
  if (typeof createQemuDriver === 'function') factories.qemu = createQemuDriver as ComputeDriverFactory;
  return factories;
}
