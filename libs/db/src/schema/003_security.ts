// Security groups, their rules and instance membership, and provider firewall rules.
import type { Knex } from 'knex';
import { createTable, dropTables, persistent, type Migration } from './helpers.js';

export const m003Security: Migration = {
  name: '003_security',
  async up(knex: Knex) {
    await createTable(knex, 'security_groups', (t) => {
      t.increments('id').primary();
      t.string('name', 255);
      t.string('description', 255);
      t.string('user_id', 255);
      t.string('project_id', 255);
      persistent(t);
      t.unique(['project_id', 'name', 'deleted'], { indexName: 'security_groups_project_name_deleted_uq' });
    });
    await createTable(knex, 'security_group_instance_association', (t) => {
      t.increments('id').primary();
      t.integer('security_group_id').notNullable();
      t.string('instance_uuid', 36).notNullable();
      persistent(t);
      t.index(['instance_uuid', 'deleted'], 'sgia_instance_uuid_deleted_idx');
      t.index(['security_group_id', 'deleted'], 'sgia_security_group_id_deleted_idx');
    });
    await createTable(knex, 'security_group_rules', (t) => {
      t.increments('id').primary();
      t.integer('parent_group_id').notNullable();
      t.string('protocol', 255);
      t.integer('from_port');
      t.integer('to_port');
      t.string('cidr', 43);
      t.integer('group_id');
      persistent(t);
      t.index(['parent_group_id', 'deleted'], 'sgr_parent_group_id_deleted_idx');
      t.index(['group_id'], 'sgr_group_id_idx');
    });
    await createTable(knex, 'provider_fw_rules', (t) => {
      t.increments('id').primary();
      t.string('protocol', 5);
      t.integer('from_port');
      t.integer('to_port');
      t.string('cidr', 43);
      persistent(t);
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, ['provider_fw_rules', 'security_group_rules', 'security_group_instance_association', 'security_groups']);
  },
};
