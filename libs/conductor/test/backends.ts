// Suites that run on every database backend: SQLite always, PostgreSQL and MariaDB when their
// servers answer (skipped with a printed reason, failed under NOVAKIT_REQUIRE_SERVICES=1).
// NOVAKIT_DB_BACKENDS=sqlite,postgres narrows the run.
import type { Dialect } from '@novakit/db';
import { probeServer, servicesRequired } from '@novakit/db/testing';
import { describe, it } from 'vitest';

const ALL: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'];
const selected = (process.env.NOVAKIT_DB_BACKENDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const BACKENDS = ALL.filter((d) => selected.length === 0 || selected.includes(d));
const unavailable: Record<Dialect, string | null> = {
  sqlite: null,
  postgres: BACKENDS.includes('postgres') ? await probeServer('postgres') : 'not selected',
  mysql: BACKENDS.includes('mysql') ? await probeServer('mysql') : 'not selected',
};

export function describeBackends(title: string, body: (dialect: Dialect) => void): void {
  for (const dialect of BACKENDS) {
    const name = `${title} [${dialect}]`;
    const reason = unavailable[dialect];
    if (!reason) describe(name, () => body(dialect));
    else if (servicesRequired()) {
      describe(name, () =>
        it(`needs ${dialect}`, () => {
          throw new Error(`${reason} (NOVAKIT_REQUIRE_SERVICES=1)`);
        }),
      );
    } else {
      console.log(`[conductor] skipping "${name}": ${reason}`);
      describe.skip(name, () => it('skipped', () => {}));
    }
  }
}
