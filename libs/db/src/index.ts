// Database schema, migrations and the DB API (SQLite, PostgreSQL, MariaDB) behind knex.
export {};
