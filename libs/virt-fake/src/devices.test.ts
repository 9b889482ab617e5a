import { describe, expect, it } from 'vitest';
import { prefixOf, rootDeviceFor, takeNextDevice } from './devices.js';

describe('device names', () => {
  it('follow the bus of the image or the root BDM', () => {
    expect(rootDeviceFor({ id: null, properties: {} }, null)).toBe('/dev/vda');
    expect(rootDeviceFor({ id: null, properties: { hw_disk_bus: 'scsi' } }, null)).toBe('/dev/sda');
    expect(rootDeviceFor({ id: null, properties: { hw_disk_bus: 'ide' } }, null)).toBe('/dev/hda');
    expect(prefixOf('/dev/xvdb')).toBe('/dev/xvd');
  });

  it('take the next free name, past z into two letters', () => {
    const used = new Set(['/dev/vda', '/dev/vdc']);
    expect(takeNextDevice('/dev/vd', used)).toBe('/dev/vdb');
    expect(takeNextDevice('/dev/vd', used)).toBe('/dev/vdd');
    for (let i = 0; i < 22; i++) takeNextDevice('/dev/vd', used);
    expect(takeNextDevice('/dev/vd', used)).toBe('/dev/vdaa');
    expect(takeNextDevice('/dev/vd', used)).toBe('/dev/vdab');
  });
});
