// Services (heartbeat, service version for RPC 'auto' caps), compute nodes, migrations.
import type { Knex } from 'knex';
import { createTable, dropTables, longText, persistent, timestamp, type Migration } from './helpers.js';

export const m005Compute: Migration = {
  name: '005_compute',
  async up(knex: Knex) {
    await createTable(knex, 'services', (t) => {
      t.increments('id').primary();
      t.string('host', 255).notNullable();
      t.string('binary', 255).notNullable();
      t.string('topic', 255);
      t.integer('report_count').notNullable().defaultTo(0);
      t.boolean('disabled').notNullable().defaultTo(false);
      t.string('disabled_reason', 255);
      // The RPC/object service version the running code reports; caps use the minimum.
      t.integer('version').notNullable().defaultTo(0);
      timestamp(t, 'last_seen_up');
      t.boolean('forced_down').notNullable().defaultTo(false);
      persistent(t);
      t.unique(['host', 'topic', 'deleted'], { indexName: 'services_host_topic_deleted_uq' });
      t.unique(['host', 'binary', 'deleted'], { indexName: 'services_host_binary_deleted_uq' });
      t.index(['binary', 'deleted'], 'services_binary_deleted_idx');
      t.index(['topic', 'deleted'], 'services_topic_deleted_idx');
    });
    await createTable(knex, 'compute_nodes', (t) => {
      t.increments('id').primary();
      t.integer('service_id');
      t.string('host', 255);
      t.string('hypervisor_hostname', 255);
      for (const c of ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used']) t.integer(c).notNullable().defaultTo(0);
      t.string('hypervisor_type', 255);
      t.integer('hypervisor_version').notNullable().defaultTo(0);
      for (const c of ['free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least']) t.integer(c);
      longText(t, 'cpu_info');
      t.string('host_ip', 39);
      longText(t, 'supported_instances');
      longText(t, 'metrics');
      longText(t, 'numa_topology');
      longText(t, 'pci_stats');
      longText(t, 'stats');
      persistent(t);
      t.unique(['host', 'hypervisor_hostname', 'deleted'], { indexName: 'compute_nodes_host_hypervisor_hostname_deleted_uq' });
      t.index(['service_id'], 'compute_nodes_service_id_idx');
    });
    await createTable(knex, 'migrations', (t) => {
      t.increments('id').primary();
      for (const c of ['source_compute', 'dest_compute', 'dest_host', 'source_node', 'dest_node', 'status']) t.string(c, 255);
      t.string('instance_uuid', 36);
      t.integer('old_instance_type_id');
      t.integer('new_instance_type_id');
      persistent(t);
      t.index(['instance_uuid', 'status'], 'migrations_instance_uuid_status_idx');
      t.index(['source_compute', 'source_node', 'deleted', 'status'], 'migrations_by_source_idx');
      t.index(['dest_compute', 'dest_node', 'deleted', 'status'], 'migrations_by_dest_idx');
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, ['migrations', 'compute_nodes', 'services']);
  },
};
