// Block device mappings and the volumes of the file-backed volume stand-in the API runs.
import type { Knex } from 'knex';
import { createTable, dropTables, longText, persistent, timestamp, type Migration } from './helpers.js';

export const m002BlockDevices: Migration = {
  name: '002_block_devices',
  async up(knex: Knex) {
    await createTable(knex, 'block_device_mapping', (t) => {
      t.increments('id').primary();
      t.string('instance_uuid', 36).notNullable();
      for (const c of ['source_type', 'destination_type', 'guest_format', 'device_type', 'disk_bus', 'device_name']) t.string(c, 255);
      t.boolean('delete_on_termination').notNullable().defaultTo(false);
      t.string('snapshot_id', 36);
      t.string('volume_id', 36);
      t.integer('volume_size');
      t.string('image_id', 36);
      t.boolean('no_device').notNullable().defaultTo(false);
      longText(t, 'connection_info');
      t.integer('boot_index');
      persistent(t);
      t.index(['instance_uuid', 'deleted'], 'bdm_instance_uuid_deleted_idx');
      t.index(['instance_uuid', 'device_name'], 'bdm_instance_uuid_device_name_idx');
      t.index(['volume_id'], 'bdm_volume_id_idx');
      t.index(['snapshot_id'], 'bdm_snapshot_id_idx');
    });
    // Volumes keep their uuid as primary key (as Cinder does), so `deleted` is a 0/1 flag.
    await createTable(knex, 'volumes', (t) => {
      t.string('id', 36).primary();
      t.integer('size_gb').notNullable();
      t.text('path');
      t.string('status', 32).notNullable();
      t.string('attach_status', 32).notNullable().defaultTo('detached');
      t.string('instance_uuid', 36);
      t.string('attached_host', 255);
      t.string('mountpoint', 255);
      timestamp(t, 'attach_time');
      t.string('project_id', 255);
      t.string('user_id', 255);
      t.string('display_name', 255);
      t.text('display_description');
      t.text('connection_info');
      persistent(t);
      t.index(['project_id', 'deleted'], 'volumes_project_id_deleted_idx');
      t.index(['instance_uuid'], 'volumes_instance_uuid_idx');
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, ['volumes', 'block_device_mapping']);
  },
};
