// Key pairs, nova-network style networks / VIFs / fixed IPs, and guest agent builds.
import type { Knex } from 'knex';
import { createTable, dropTables, longText, persistent, type Migration } from './helpers.js';

export const m006Misc: Migration = {
  name: '006_misc',
  async up(knex: Knex) {
    await createTable(knex, 'key_pairs', (t) => {
      t.increments('id').primary();
      t.string('name', 255).notNullable();
      t.string('user_id', 255).notNullable();
      t.string('fingerprint', 255);
      longText(t, 'public_key');
      persistent(t);
      t.unique(['user_id', 'name', 'deleted'], { indexName: 'key_pairs_user_name_deleted_uq' });
    });
    await createTable(knex, 'networks', (t) => {
      t.increments('id').primary();
      t.string('uuid', 36);
      for (const c of ['label', 'cidr', 'cidr_v6', 'netmask', 'netmask_v6', 'gateway', 'gateway_v6', 'broadcast', 'dns1', 'dns2', 'bridge', 'bridge_interface', 'dhcp_start', 'dhcp_server', 'host', 'project_id']) t.string(c, 255);
      t.integer('vlan');
      t.integer('mtu');
      t.boolean('multi_host').notNullable().defaultTo(false);
      t.boolean('injected').notNullable().defaultTo(false);
      t.boolean('enable_dhcp').notNullable().defaultTo(true);
      t.boolean('share_address').notNullable().defaultTo(false);
      persistent(t);
      t.index(['uuid'], 'networks_uuid_idx');
    });
    await createTable(knex, 'virtual_interfaces', (t) => {
      t.increments('id').primary();
      t.string('address', 255).notNullable();
      t.integer('network_id');
      t.string('instance_uuid', 36);
      t.string('uuid', 36);
      persistent(t);
      t.unique(['address', 'deleted'], { indexName: 'virtual_interfaces_address_deleted_uq' });
      t.index(['instance_uuid'], 'virtual_interfaces_instance_uuid_idx');
    });
    await createTable(knex, 'fixed_ips', (t) => {
      t.increments('id').primary();
      t.string('address', 39).notNullable();
      t.integer('network_id');
      t.integer('virtual_interface_id');
      t.string('instance_uuid', 36);
      t.boolean('allocated').notNullable().defaultTo(false);
      t.boolean('leased').notNullable().defaultTo(false);
      t.boolean('reserved').notNullable().defaultTo(false);
      t.string('host', 255);
      persistent(t);
      t.unique(['address', 'deleted'], { indexName: 'fixed_ips_address_deleted_uq' });
      t.index(['network_id', 'instance_uuid', 'deleted'], 'fixed_ips_network_instance_deleted_idx');
      t.index(['instance_uuid', 'deleted'], 'fixed_ips_instance_uuid_deleted_idx');
      t.index(['host', 'deleted'], 'fixed_ips_host_deleted_idx');
    });
    await createTable(knex, 'agent_builds', (t) => {
      t.increments('id').primary();
      for (const c of ['hypervisor', 'os', 'architecture']) t.string(c, 255).notNullable();
      t.string('version', 255);
      t.string('url', 255);
      t.string('md5hash', 255);
      persistent(t);
      t.unique(['hypervisor', 'os', 'architecture', 'deleted'], { indexName: 'agent_builds_triple_deleted_uq' });
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, ['agent_builds', 'fixed_ips', 'virtual_interfaces', 'networks', 'key_pairs']);
  },
};
