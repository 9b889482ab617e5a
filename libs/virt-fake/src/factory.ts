import type { ComputeDriverFactory, VirtAPI } from '@novakit/virt-driver';
import { FakeDriverConfigInvalid } from './errors.js';
import { FakeDriver } from './fake-driver.js';
import { FakeHypervisorNetwork } from './network.js';
import { FAKE_HOST_SIZES, type FakeDriverOptions, type FakeHostSize } from './options.js';

type ConfigOptions = Omit<FakeDriverOptions, 'host' | 'virtapi'>;

function positiveInt(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new FakeDriverConfigInvalid({ key, reason: 'a positive integer is required' });
  return value;
}

function text(key: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new FakeDriverConfigInvalid({ key, reason: 'a non-empty string is required' });
  return value;
}

/**
 * The `fake` section of a compute's configuration: `size` (a preset name), `vcpus`,
 * `memory_mb`, `disk_gb` (override the preset), `storage`, `host_ip`, `nodename`, and
 * `network` (a FakeHypervisorNetwork, when wired in code). Unknown keys are refused.
 */
export function fakeOptionsFromConfig(config: Readonly<Record<string, unknown>>): ConfigOptions {
  let preset: FakeHostSize = FAKE_HOST_SIZES.unlimited;
  const sized: { -readonly [K in keyof FakeHostSize]?: number } = {};
  const out: { -readonly [K in keyof ConfigOptions]: ConfigOptions[K] } = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    switch (key) {
      case 'size':
        if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(FAKE_HOST_SIZES, value)) {
          throw new FakeDriverConfigInvalid({ key, reason: `one of ${Object.keys(FAKE_HOST_SIZES).join(', ')}` });
        }
        preset = FAKE_HOST_SIZES[value as keyof typeof FAKE_HOST_SIZES];
        break;
      case 'vcpus':
        sized.vcpus = positiveInt(key, value);
        break;
      case 'memory_mb':
        sized.memoryMb = positiveInt(key, value);
        break;
      case 'disk_gb':
        sized.diskGb = positiveInt(key, value);
        break;
      case 'storage':
        out.storage = text(key, value);
        break;
      case 'host_ip':
        out.hostIp = text(key, value);
        break;
      case 'nodename':
        out.nodename = text(key, value);
        break;
      case 'network':
        if (!(value instanceof FakeHypervisorNetwork)) throw new FakeDriverConfigInvalid({ key, reason: 'a FakeHypervisorNetwork is required' });
        out.network = value;
        break;
      default:
        throw new FakeDriverConfigInvalid({ key, reason: 'unknown key' });
    }
  }
  return { ...out, size: { ...preset, ...sized } };
}

/** The `fake` entry of the driver loader's factories (`loadComputeDriver('fake', …)`). */
export const createFakeDriver: ComputeDriverFactory = ({ host, virtapi, config }) => new FakeDriver({ host, virtapi, ...fakeOptionsFromConfig(config) });

export interface FakeHostsOptions extends Omit<FakeDriverOptions, 'host' | 'virtapi' | 'network'> {
  readonly count: number;
  readonly virtapi: VirtAPI;
  /** Default: a new network of their own, so hosts of one scale run see only each other. */
  readonly network?: FakeHypervisorNetwork;
  /** Host names are `<prefix><index>`, index zero-padded to the width of `count`. Default `fake-host-`. */
  readonly prefix?: string;
}

/** Many fake hosts in one process (scale tests): one small driver and machine per host, no timers. */
export function createFakeHosts(options: FakeHostsOptions): FakeDriver[] {
  const { count, prefix = 'fake-host-', network = new FakeHypervisorNetwork(), ...rest } = options;
  const width = String(Math.max(0, count - 1)).length;
  return Array.from({ length: count }, (_, i) => new FakeDriver({ ...rest, network, host: `${prefix}${String(i).padStart(width, '0')}` }));
}
