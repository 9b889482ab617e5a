// Instances and what hangs off them: metadata, system metadata, info cache, the
// extra JSON (flavor, NUMA), faults and the action log.
import type { Knex } from 'knex';
import { createTable, dropTables, longText, persistent, timestamp, type Migration } from './helpers.js';

const TABLES = ['instance_actions_events', 'instance_actions', 'instance_faults', 'instance_info_caches', 'instance_system_metadata', 'instance_metadata', 'instance_extra', 'instances'];

export const m001Instances: Migration = {
  name: '001_instances',
  async up(knex: Knex) {
    await createTable(knex, 'instances', (t) => {
      t.increments('id').primary();
      t.string('uuid', 36).notNullable().unique({ indexName: 'instances_uuid_uq' });
      for (const c of ['user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'hostname', 'key_name']) t.string(c, 255);
      longText(t, 'key_data');
      t.integer('launch_index');
      t.integer('power_state');
      t.string('vm_state', 255);
      t.string('task_state', 255);
      for (const c of ['memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'instance_type_id', 'progress']) t.integer(c);
      t.string('ephemeral_key_uuid', 36);
      t.string('host', 255);
      t.string('node', 255);
      longText(t, 'user_data');
      t.string('reservation_id', 255);
      timestamp(t, 'scheduled_at');
      timestamp(t, 'launched_at');
      timestamp(t, 'terminated_at');
      for (const c of ['availability_zone', 'display_name']) t.string(c, 255);
      t.text('display_description');
      t.text('launched_on');
      t.boolean('locked').notNullable().defaultTo(false);
      t.string('locked_by', 16);
      for (const c of ['os_type', 'architecture', 'vm_mode', 'root_device_name', 'default_ephemeral_device', 'default_swap_device', 'config_drive', 'cell_name']) t.string(c, 255);
      t.string('access_ip_v4', 39);
      t.string('access_ip_v6', 39);
      for (const c of ['auto_disk_config', 'shutdown_terminate', 'disable_terminate', 'cleaned']) t.boolean(c).notNullable().defaultTo(false);
      persistent(t);
      t.index(['host', 'deleted'], 'instances_host_deleted_idx');
      t.index(['host', 'node', 'deleted'], 'instances_host_node_deleted_idx');
      t.index(['project_id', 'deleted'], 'instances_project_id_deleted_idx');
      t.index(['deleted', 'created_at'], 'instances_deleted_created_at_idx');
      t.index(['task_state', 'updated_at'], 'instances_task_state_updated_at_idx');
      t.index(['reservation_id'], 'instances_reservation_id_idx');
      t.index(['terminated_at', 'launched_at'], 'instances_terminated_at_launched_at_idx');
    });
    await createTable(knex, 'instance_extra', (t) => {
      t.increments('id').primary();
      t.string('instance_uuid', 36).notNullable().unique({ indexName: 'instance_extra_instance_uuid_uq' });
      longText(t, 'flavor');
      longText(t, 'numa_topology');
      persistent(t);
    });
    for (const table of ['instance_metadata', 'instance_system_metadata']) {
      await createTable(knex, table, (t) => {
        t.increments('id').primary();
        t.string('instance_uuid', 36).notNullable();
        t.string('key', 255).notNullable();
        t.text('value');
        persistent(t);
        // One live value per key; also the lookup index by instance.
        t.unique(['instance_uuid', 'key', 'deleted'], { indexName: `${table}_uuid_key_deleted_uq` });
      });
    }
    await createTable(knex, 'instance_info_caches', (t) => {
      t.increments('id').primary();
      t.string('instance_uuid', 36).notNullable().unique({ indexName: 'instance_info_caches_instance_uuid_uq' });
      longText(t, 'network_info');
      persistent(t);
    });
    await createTable(knex, 'instance_faults', (t) => {
      t.increments('id').primary();
      t.string('instance_uuid', 36).notNullable();
      t.integer('code').notNullable();
      t.string('message', 255);
      longText(t, 'details');
      t.string('host', 255);
      persistent(t);
      t.index(['instance_uuid', 'deleted', 'created_at'], 'instance_faults_uuid_deleted_created_idx');
    });
    await createTable(knex, 'instance_actions', (t) => {
      t.increments('id').primary();
      t.string('action', 255);
      t.string('instance_uuid', 36);
      t.string('request_id', 255);
      t.string('user_id', 255);
      t.string('project_id', 255);
      timestamp(t, 'start_time');
      timestamp(t, 'finish_time');
      t.string('message', 255);
      persistent(t);
      t.index(['instance_uuid', 'request_id'], 'instance_actions_uuid_request_id_idx');
      t.index(['request_id'], 'instance_actions_request_id_idx');
    });
    await createTable(knex, 'instance_actions_events', (t) => {
      t.increments('id').primary();
      t.string('event', 255);
      t.integer('action_id').notNullable();
      timestamp(t, 'start_time');
      timestamp(t, 'finish_time');
      t.string('result', 255);
      longText(t, 'traceback');
      t.string('host', 255);
      persistent(t);
      t.index(['action_id', 'event'], 'instance_actions_events_action_id_event_idx');
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, TABLES);
  },
};
