import { randomUUID } from 'node:crypto';
import { open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BlockDeviceMapping, Instance, InstanceInfoCache, SecurityGroup, SecurityGroupList, type NetworkInfo, type RequestContext } from '@novakit/objects';
import { legacyInstanceDict, type BlockDeviceInfo, type ConnectionInfo, type DriverVolume, type ImageMeta, type LegacyInstanceDict } from '@novakit/virt-driver';
import { DEFAULT_SECURITY_GROUP } from './fake-virtapi.js';

/** An instance as the manager would hand it to a driver, in both release-1 shapes. */
export interface TestInstance {
  readonly instance: Instance;
  /** The same instance as the legacy dict the work items take. */
  readonly legacy: LegacyInstanceDict;
  readonly networkInfo: NetworkInfo;
  readonly uuid: string;
  readonly name: string;
}

export interface TestInstanceOptions {
  readonly host?: string;
  readonly memoryMb?: number;
  readonly vcpus?: number;
  readonly rootGb?: number;
  readonly ephemeralGb?: number;
  /** The context the objects carry (their remotable methods use it). */
  readonly ctx?: RequestContext | null;
}

// Ids are unique in the process, so instance names (instance-%08x) never collide between suites.
let nextId = 0x100;

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** One VIF on a private network, with a MAC derived from `id` (fa:16:3e is OpenStack's prefix). */
export function testNetworkInfo(id: number): NetworkInfo {
  const vifId = randomUUID();
  return [
    {
      id: vifId,
      address: `fa:16:3e:${hex2(id >> 16)}:${hex2(id >> 8)}:${hex2(id)}`,
      type: 'bridge',
      devname: `tap${vifId.slice(0, 11)}`,
      active: true,
      network: {
        id: '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
        bridge: 'br100',
        label: 'private',
        subnets: [
          {
            cidr: '10.0.0.0/16',
            gateway: { address: '10.0.0.1', type: 'gateway', version: 4 },
            dns: [{ address: '10.0.0.2', type: 'dns', version: 4 }],
            ips: [{ address: `10.0.${(id >> 8) & 0xff}.${(id & 0xff) || 1}`, type: 'fixed', version: 4, floating_ips: [] }],
            routes: [],
            version: 4,
          },
        ],
      },
    },
  ];
}

/** An Instance with the columns a built instance has, its info cache and the default security group. */
export function createTestInstance(opts: TestInstanceOptions = {}): TestInstance {
  const id = nextId++;
  const uuid = randomUUID();
  const ctx = opts.ctx ?? null;
  const networkInfo = testNetworkInfo(id);
  const host = opts.host ?? 'conformance-host';
  const instance = new Instance(
    {
      id,
      uuid,
      user_id: 'conformance-user',
      project_id: DEFAULT_SECURITY_GROUP.project_id,
      image_ref: '155d900f-4e14-4e4c-a73d-069cbf4541e6',
      hostname: `conformance-${id}`,
      display_name: `conformance ${id}`,
      host,
      node: host,
      launched_on: host,
      availability_zone: 'nova',
      vm_state: 'building',
      task_state: 'spawning',
      power_state: 0,
      memory_mb: opts.memoryMb ?? 64,
      vcpus: opts.vcpus ?? 1,
      root_gb: opts.rootGb ?? 1,
      ephemeral_gb: opts.ephemeralGb ?? 0,
      os_type: 'linux',
      architecture: 'x86_64',
      config_drive: '',
      key_data: null,
      root_device_name: null,
      default_ephemeral_device: null,
      default_swap_device: null,
      created_at: new Date(Date.UTC(2014, 9, 16, 12, 0, 0)),
      metadata: { purpose: 'conformance' },
      system_metadata: { image_disk_format: 'raw', instance_type_name: 'm1.conformance' },
      info_cache: new InstanceInfoCache({ instance_uuid: uuid, network_info: networkInfo }, ctx),
      security_groups: new SecurityGroupList({ objects: [new SecurityGroup({ ...DEFAULT_SECURITY_GROUP, description: 'default', user_id: 'conformance-user' }, ctx)] }, ctx),
    },
    ctx,
  );
  instance.obj_reset_changes(null, true);
  return { instance, legacy: legacyInstanceDict(instance), networkInfo, uuid, name: instance.name };
}

/** A file-backed volume, as the stand-in volume service makes them. */
export interface TestVolume {
  readonly volumeId: string;
  readonly path: string;
  readonly connectionInfo: ConnectionInfo;
}

/** A sparse raw file of `sizeMb` in `dir`, starting with `marker` when given. */
export async function createTestVolume(dir: string, opts: { sizeMb?: number; marker?: string } = {}): Promise<TestVolume> {
  const volumeId = randomUUID();
  const path = join(dir, `volume-${volumeId}.raw`);
  await writeFile(path, opts.marker ?? '');
  await truncate(path, (opts.sizeMb ?? 1) * 1024 * 1024);
  return { volumeId, path, connectionInfo: { driver_volume_type: 'file', data: { path, volume_id: volumeId, format: 'raw' }, serial: volumeId } };
}

/** The first bytes of a volume file (for checking data a driver copied). */
export async function readVolumeHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A blank raw image file, so drivers that boot from a local image have one. */
export async function createTestImage(dir: string, sizeMb = 1): Promise<ImageMeta> {
  const path = join(dir, 'conformance-image.raw');
  await writeFile(path, '');
  await truncate(path, sizeMb * 1024 * 1024);
  return { id: '155d900f-4e14-4e4c-a73d-069cbf4541e6', name: 'conformance-blank', diskFormat: 'raw', containerFormat: 'bare', minDisk: 0, size: sizeMb * 1024 * 1024, properties: {}, localPath: path };
}

export function driverVolume(volume: TestVolume, mountDevice: string): DriverVolume {
  return { connectionInfo: volume.connectionInfo, mountDevice, diskBus: null, deviceType: 'disk', bootIndex: null, deleteOnTermination: false };
}

export function blockDeviceInfo(volumes: readonly DriverVolume[] = []): BlockDeviceInfo {
  return { rootDeviceName: null, swap: null, ephemerals: [], volumes };
}

let nextBdmId = 1;

/** A BDM without device name, of the kind default_device_names_for_instance receives. */
export function testBdm(ctx: RequestContext, instanceUuid: string, kind: 'ephemeral' | 'swap' | 'volume', deviceName: string | null = null): BlockDeviceMapping {
  const bdm = new BlockDeviceMapping(
    {
      id: nextBdmId++,
      instance_uuid: instanceUuid,
      source_type: kind === 'volume' ? 'volume' : 'blank',
      destination_type: kind === 'volume' ? 'volume' : 'local',
      guest_format: kind === 'swap' ? 'swap' : null,
      device_type: 'disk',
      disk_bus: null,
      boot_index: -1,
      device_name: deviceName,
      delete_on_termination: kind !== 'volume',
      volume_id: kind === 'volume' ? randomUUID() : null,
      volume_size: 1,
      snapshot_id: null,
      image_id: null,
      no_device: false,
      connection_info: null,
    },
    ctx,
  );
  bdm.obj_reset_changes();
  return bdm;
}
