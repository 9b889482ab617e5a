// The driver factories this service links, by the names the configuration uses.
import type { ComputeDriverFactory } from '@novakit/virt-driver';
import { createFakeDriver } from '@novakit/virt-fake';
import { createQemuDriver } from '@novakit/virt-qemu';

export function defaultDriverFactories(): Record<string, ComputeDriverFactory> {
  return { fake: createFakeDriver, qemu: createQemuDriver };
}
