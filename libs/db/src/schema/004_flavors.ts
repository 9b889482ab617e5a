// Flavors, their extra specs and their project access list.
import type { Knex } from 'knex';
import { createTable, dropTables, persistent, type Migration } from './helpers.js';

export const m004Flavors: Migration = {
  name: '004_flavors',
  async up(knex: Knex) {
    await createTable(knex, 'flavors', (t) => {
      t.increments('id').primary();
      t.string('name', 255).notNullable();
      t.string('flavorid', 255).notNullable();
      for (const c of ['memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb']) t.integer(c).notNullable();
      t.integer('swap').notNullable().defaultTo(0);
      t.double('rxtx_factor').defaultTo(1);
      t.integer('vcpu_weight');
      t.boolean('disabled').notNullable().defaultTo(false);
      t.boolean('is_public').notNullable().defaultTo(true);
      persistent(t);
      t.unique(['name', 'deleted'], { indexName: 'flavors_name_deleted_uq' });
      t.unique(['flavorid', 'deleted'], { indexName: 'flavors_flavorid_deleted_uq' });
    });
    await createTable(knex, 'flavor_extra_specs', (t) => {
      t.increments('id').primary();
      t.integer('flavor_id').notNullable();
      t.string('key', 255).notNullable();
      t.string('value', 255);
      persistent(t);
      t.unique(['flavor_id', 'key', 'deleted'], { indexName: 'flavor_extra_specs_flavor_key_deleted_uq' });
    });
    await createTable(knex, 'flavor_projects', (t) => {
      t.increments('id').primary();
      t.integer('flavor_id').notNullable();
      t.string('project_id', 255).notNullable();
      persistent(t);
      t.unique(['flavor_id', 'project_id', 'deleted'], { indexName: 'flavor_projects_flavor_project_deleted_uq' });
    });
  },
  async down(knex: Knex) {
    await dropTables(knex, ['flavor_projects', 'flavor_extra_specs', 'flavors']);
  },
};
