import { PowerState, type Instance } from '@novakit/objects';
import { instanceFacts as baseFacts, instanceField, type BlockDeviceInfo, type ConnectionInfo, type InstanceFacts as BaseFacts, type LegacyInstanceDict, type NetworkInfo } from '@novakit/virt-driver';

/** What the fake needs of an instance, read alike from an Instance object or a legacy dict. */
export interface InstanceFacts extends BaseFacts {
  readonly rootDeviceName: string | null;
  readonly configDrive: boolean;
}

export function instanceFacts(instance: Instance | LegacyInstanceDict): InstanceFacts {
  return {
    ...baseFacts(instance),
    rootDeviceName: (instanceField(instance, 'root_device_name') as string | null) ?? null,
    configDrive: !!instanceField(instance, 'config_drive'),
  };
}

export interface FakeNic {
  readonly id: string;
  readonly mac: string | null;
  readonly devname: string;
}

export interface FakeDisk {
  readonly kind: 'root' | 'ephemeral' | 'swap';
  readonly sizeMb: number;
}

/** One guest on a fake hypervisor: Nova fake's FakeInstance plus its `_mounts` entry. */
export interface FakeGuest {
  readonly facts: InstanceFacts;
  power: PowerState;
  readonly rootDevice: string;
  /** Local disks by device (root, ephemerals, swap). */
  readonly disks: Map<string, FakeDisk>;
  /** Attached volumes by mountpoint. */
  readonly mounts: Map<string, ConnectionInfo>;
  readonly nics: readonly FakeNic[];
  /** GB this guest holds in its host's storage pool (0 for a volume-backed guest without ephemerals). */
  readonly localGb: number;
  readonly injectedFiles: Map<string, string>;
  readonly injectedNetworkInfo: NetworkInfo[];
  networkResets: number;
  adminPassword: string | null;
  cpuTimeNs: number;
  startedAt: Date | null;
  readonly console: string[];
}

export function nicsOf(networkInfo: NetworkInfo): FakeNic[] {
  return networkInfo.map((vif, i) => ({ id: vif.id ?? `vif-${i}`, mac: vif.address, devname: vif.devname ?? `tap${i}` }));
}

export function isVolumeBacked(bdi: BlockDeviceInfo): boolean {
  return bdi.volumes.some((v) => v.bootIndex === 0);
}

export function newGuest(facts: InstanceFacts, args: { rootDevice: string; blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; power: PowerState }): FakeGuest {
  const bdi = args.blockDeviceInfo;
  const disks = new Map<string, FakeDisk>();
  if (!isVolumeBacked(bdi)) disks.set(args.rootDevice, { kind: 'root', sizeMb: facts.rootGb * 1024 });
  for (const e of bdi.ephemerals) disks.set(e.deviceName, { kind: 'ephemeral', sizeMb: e.sizeGb * 1024 });
  if (bdi.swap) disks.set(bdi.swap.deviceName, { kind: 'swap', sizeMb: bdi.swap.swapSizeMb });
  return {
    facts,
    power: args.power,
    rootDevice: args.rootDevice,
    disks,
    mounts: new Map(bdi.volumes.map((v) => [v.mountDevice, v.connectionInfo])),
    nics: nicsOf(args.networkInfo),
    localGb: (isVolumeBacked(bdi) ? 0 : facts.rootGb) + facts.ephemeralGb,
    injectedFiles: new Map(),
    injectedNetworkInfo: [],
    networkResets: 0,
    adminPassword: null,
    cpuTimeNs: 0,
    startedAt: null,
    console: [],
  };
}

const CONSOLE_LINES = 200;

export function consoleLog(guest: FakeGuest, line: string): void {
  guest.console.push(line);
  if (guest.console.length > CONSOLE_LINES) guest.console.splice(0, guest.console.length - CONSOLE_LINES);
}

/** Every device name the guest uses: root, local disks, volumes. */
export function devicesInUse(guest: FakeGuest): Set<string> {
  return new Set([guest.rootDevice, ...guest.disks.keys(), ...guest.mounts.keys()]);
}
