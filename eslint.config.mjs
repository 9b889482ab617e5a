// Module boundaries of ARCHITECTURE.md, enforced on every project by `npm test`.
// Production code gets the strict graph; tests may wire the whole stack together.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const DB_DRIVERS = ['knex', 'better-sqlite3', 'pg', 'mysql2'];
const AMQP = ['amqplib'];
const notDb = { bannedExternalImports: [...DB_DRIVERS] };
const notAmqp = [...AMQP];

const productionConstraints = [
  { sourceTag: 'type:framework', onlyDependOnLibsWithTags: [], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:transport', onlyDependOnLibsWithTags: [], bannedExternalImports: [...DB_DRIVERS] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:framework'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: [], bannedExternalImports: [...notAmqp] },
  // The compute RPC carries driver data (diagnostics, migrate data) and driver errors cross it by name.
  { sourceTag: 'type:rpc-api', onlyDependOnLibsWithTags: ['type:framework', 'type:transport', 'type:domain', 'type:rpc-api', 'type:virt-contract'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:service-lib', onlyDependOnLibsWithTags: ['type:framework', 'type:transport', 'type:domain', 'type:rpc-api', 'type:data-access', 'type:virt-contract'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:virt-contract', onlyDependOnLibsWithTags: ['type:framework', 'type:domain'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:virt-driver', onlyDependOnLibsWithTags: ['type:framework', 'type:domain', 'type:virt-contract'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:framework', 'type:domain', 'type:virt-contract'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  // The compute manager never touches the database: every data access goes through objects and the conductor.
  { sourceTag: 'type:compute-app', onlyDependOnLibsWithTags: ['type:framework', 'type:transport', 'type:domain', 'type:rpc-api', 'type:virt-contract', 'type:virt-driver'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:service-app', onlyDependOnLibsWithTags: ['type:framework', 'type:transport', 'type:domain', 'type:rpc-api', 'type:service-lib', 'type:data-access', 'type:virt-contract'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  // The composition root (`novakit up`) may wire everything but tools.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:framework', 'type:transport', 'type:domain', 'type:rpc-api', 'type:service-lib', 'type:data-access', 'type:virt-contract', 'type:virt-driver', 'type:compute-app', 'type:service-app'], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: [], bannedExternalImports: [...DB_DRIVERS, ...notAmqp] },
];

const allTags = ['type:framework', 'type:transport', 'type:domain', 'type:data-access', 'type:rpc-api', 'type:service-lib', 'type:virt-contract', 'type:virt-driver', 'type:testing', 'type:compute-app', 'type:service-app', 'type:app'];
const testConstraints = productionConstraints.map((c) => ({
  sourceTag: c.sourceTag,
  onlyDependOnLibsWithTags: c.sourceTag === 'type:tool' ? [] : allTags,
}));

const testFiles = ['**/*.test.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/testing/**/*.ts', '**/testing.ts'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/fixtures/**', '**/vitest.config.ts'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false,
        allow: [],
        banTransitiveDependencies: false,
        depConstraints: productionConstraints,
      }],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false,
        allow: [],
        depConstraints: testConstraints,
      }],
    },
  },
];
