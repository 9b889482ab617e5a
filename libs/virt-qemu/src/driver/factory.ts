import type { ComputeDriverFactory } from '@novakit/virt-driver';
import { qemuOptionsFromConfig } from './options.js';
import { QemuDriver } from './qemu-driver.js';

/** The `qemu` entry of the driver loader's factories (`loadComputeDriver('qemu', …)`). */
export const createQemuDriver: ComputeDriverFactory = ({ host, virtapi, config }) => new QemuDriver({ host, virtapi, ...qemuOptionsFromConfig(config) });
