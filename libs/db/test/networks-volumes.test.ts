import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { FixedIpAlreadyInUse, FixedIpNotFoundForAddress, FixedIpNotFoundForInstance, NetworkNotFound, NoMoreFixedIps, UnexpectedVolumeStatusError, VolumeNotFound } from '../src/index.js';
import { describeBackends, rejection, uniq } from './support/backends.js';

describeBackends('networks, fixed IPs and volumes', ({ db }) => {
  const api = () => db().api;

  it('allocates fixed IPs without ever giving one address twice', async () => {
    const net = await api().network_create({}, { label: uniq('net'), cidr: '10.1.0.0/29', bridge: 'br100', mtu: 1500 });
    expect(net.enable_dhcp).toBe(true);
    const prefix = `10.${Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 200)}`;
    await api().fixed_ip_bulk_create({}, [1, 2, 3].map((i) => ({ address: `${prefix}.${i}`, network_id: net.id, reserved: i === 1 })));
    const uuids = [randomUUID(), randomUUID(), randomUUID()];
    const results = await Promise.allSettled(uuids.map((u) => api().fixed_ip_associate_pool({}, net.id, u, 'h1')));
    const got = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.address] : []));
    expect(got.sort()).toEqual([`${prefix}.2`, `${prefix}.3`]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)[0]).toBeInstanceOf(NoMoreFixedIps);
    const owner = results.findIndex((r) => r.status === 'fulfilled');
    const ips = await api().fixed_ip_get_by_instance({}, uuids[owner], { columnsToJoin: ['network'] });
    expect(ips[0].network?.id).toBe(net.id);
    expect(await rejection(api().fixed_ip_associate({}, ips[0].address, randomUUID()))).toBeInstanceOf(FixedIpAlreadyInUse);
    await api().fixed_ip_disassociate({}, ips[0].address);
    const again = await api().fixed_ip_associate({}, ips[0].address, uuids[0]);
    expect(again.instance_uuid).toBe(uuids[0]);
    expect((await api().fixed_ip_update({}, again.address, { leased: true })).leased).toBe(true);
    expect(await rejection(api().fixed_ip_get_by_instance({}, randomUUID()))).toBeInstanceOf(FixedIpNotFoundForInstance);
    expect(await rejection(api().fixed_ip_get_by_address({}, '192.0.2.77'))).toBeInstanceOf(FixedIpNotFoundForAddress);
    expect(await rejection(api().network_get({}, 999999))).toBeInstanceOf(NetworkNotFound);
    const vif = await api().virtual_interface_create({}, { address: `fa:16:3e:${prefix.split('.').slice(1).map((x) => Number(x).toString(16).padStart(2, '0')).join(':')}:01`, network_id: net.id, instance_uuid: uuids[0], uuid: randomUUID() });
    expect((await api().virtual_interface_get_by_instance({}, uuids[0])).map((v) => v.id)).toEqual([vif.id]);
    await api().virtual_interface_delete_by_instance({}, uuids[0]);
    expect(await api().virtual_interface_get_by_instance({}, uuids[0])).toEqual([]);
  });

  it('guards volume status changes in one statement', async () => {
    const project = uniq('p');
    const vol = await api().volume_create({}, { size_gb: 1, path: '/var/lib/novakit/volumes/x.img', project_id: project });
    expect(vol.status).toBe('creating');
    expect(vol.attach_status).toBe('detached');
    await api().volume_update({}, vol.id, { status: 'available' }, { expectedStatus: 'creating' });
    const attempts = await Promise.allSettled([0, 1, 2].map((i) => api().volume_update({}, vol.id, { status: 'attaching', instance_uuid: `i-${i}` }, { expectedStatus: 'available' })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const lost = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(UnexpectedVolumeStatusError);
    expect(lost.reason.kwargs).toEqual({ volume_id: vol.id, expected: ['available'], actual: 'attaching' });
    const attached = await api().volume_update({}, vol.id, { status: 'in-use', attach_status: 'attached', attach_time: new Date(), mountpoint: '/dev/vdb' }, { expectedStatus: ['attaching'] });
    expect(attached.attach_time).toBeInstanceOf(Date);
    expect((await api().volume_get_all({}, { project_id: project, status: 'in-use' })).length).toBe(1);
    expect(await rejection(api().volume_destroy({}, vol.id, { expectedStatus: 'available' }))).toBeInstanceOf(UnexpectedVolumeStatusError);
    await api().volume_update({}, vol.id, { status: 'available', attach_status: 'detached', instance_uuid: null }, { expectedStatus: 'in-use' });
    await api().volume_destroy({}, vol.id, { expectedStatus: 'available' });
    expect(await rejection(api().volume_get({}, vol.id))).toBeInstanceOf(VolumeNotFound);
    expect((await api().volume_get({ readDeleted: 'only' }, vol.id)).deleted).toBe(true);
  });
});
