import { describe, expect, it } from 'vitest';
import { buildQemuArgv, optValue } from './argv.js';
import { deviceNameForLun, lunForDeviceName, nextFreeDeviceName } from './device-names.js';
import { parseGuestConfig } from './guest-config.js';

const config = parseGuestConfig({
  uuid: '6f1c2f53-4b8a-4c43-9a57-1f5d3b2e8c11',
  name: 'instance-0000002a',
  memoryMb: 64,
  vcpus: 2,
  rootDisk: { path: '/state/6f1c/disk', format: 'qcow2' },
  nics: [{ mac: '52:54:00:aa:bb:01' }, { mac: '52:54:00:aa:bb:02' }],
  volumes: [{ lun: 1, path: '/vols/v,1.raw', format: 'raw', serial: 'vol-1' }],
});
const paths = { qmpSocket: '/state/6f1c/h.qmp', pidFile: '/state/6f1c/h.pid', serialLog: '/state/6f1c/console.log' };

function after(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));
}

describe('buildQemuArgv', () => {
  const argv = buildQemuArgv(config, paths);

  it('sets identity, size and accelerator', () => {
    expect(after(argv, '-uuid')).toEqual([config.uuid]);
    expect(after(argv, '-name')[0]).toMatch(/^guest=instance-0000002a,/);
    expect(after(argv, '-m')).toEqual(['64']);
    expect(after(argv, '-smp')).toEqual(['2']);
    expect(after(argv, '-machine')).toEqual(['q35,accel=tcg']);
    expect(argv).toEqual(expect.arrayContaining(['-nodefaults', '-no-user-config', '-no-shutdown']));
  });

  it('puts QMP, pidfile and serial log at the runtime paths', () => {
    expect(after(argv, '-chardev')).toContain('socket,id=qmp,path=/state/6f1c/h.qmp,server=on,wait=off');
    expect(after(argv, '-pidfile')).toEqual(['/state/6f1c/h.pid']);
    expect(after(argv, '-chardev')).toContain('file,id=charserial0,path=/state/6f1c/console.log,append=on');
  });

  it('hangs root disk and volumes as scsi-hd LUNs on one virtio-scsi controller', () => {
    const devices = after(argv, '-device');
    expect(devices).toContain('virtio-scsi-pci,id=scsi0');
    expect(devices.filter((d) => d.startsWith('scsi-hd'))).toEqual([
      'scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=0,drive=disk0,id=scsi-disk0,bootindex=1',
      'scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=1,drive=disk1,id=scsi-disk1,serial=vol-1',
    ]);
    const nodes = after(argv, '-blockdev').map((j) => JSON.parse(j));
    expect(nodes).toContainEqual({ driver: 'file', filename: '/vols/v,1.raw', 'node-name': 'disk1-file' });
    expect(nodes).toContainEqual({ driver: 'qcow2', file: 'disk0-file', 'node-name': 'disk0' });
  });

  it('gives each NIC user-mode networking and its MAC', () => {
    expect(after(argv, '-netdev')).toEqual(['user,id=net0', 'user,id=net1']);
    expect(after(argv, '-device')).toContain('virtio-net-pci,netdev=net1,mac=52:54:00:aa:bb:02,id=nic1');
  });

  it('waits for migrate-incoming only as a destination', () => {
    expect(argv).not.toContain('-incoming');
    expect(after(buildQemuArgv(config, paths, { incoming: 'defer' }), '-incoming')).toEqual(['defer']);
  });

  it('escapes commas in option values', () => {
    expect(optValue('/a,b')).toBe('/a,,b');
  });
});

describe('parseGuestConfig', () => {
  it('rejects bad input with InvalidGuestConfig', () => {
    expect(() => parseGuestConfig({ ...config, memoryMb: 0 })).toThrow(expect.objectContaining({ name: 'InvalidGuestConfig' }));
    expect(() => parseGuestConfig({ ...config, nics: [{ mac: 'nope' }] })).toThrow(expect.objectContaining({ name: 'InvalidGuestConfig' }));
    const twoOnOne = [config.volumes[0], { ...config.volumes[0], path: '/other' }];
    expect(() => parseGuestConfig({ ...config, volumes: twoOnOne })).toThrow(/two volumes on one LUN/);
  });
});

describe('device names', () => {
  it('maps LUNs to /dev/sdX and back', () => {
    expect(deviceNameForLun(0)).toBe('/dev/sda');
    expect(deviceNameForLun(2)).toBe('/dev/sdc');
    expect(lunForDeviceName('/dev/sdc')).toBe(2);
    expect(lunForDeviceName('sdb')).toBe(1);
    expect(() => lunForDeviceName('/dev/vdb')).toThrow(expect.objectContaining({ name: 'DeviceNameInvalid' }));
  });

  it('picks the first free name after the root disk', () => {
    expect(nextFreeDeviceName([])).toBe('/dev/sdb');
    expect(nextFreeDeviceName(['/dev/sdb', '/dev/sdd'])).toBe('/dev/sdc');
    const all = Array.from({ length: 25 }, (_, i) => deviceNameForLun(i + 1));
    expect(nextFreeDeviceName(all)).toBeUndefined();
  });
});
