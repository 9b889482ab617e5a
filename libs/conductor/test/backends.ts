// Suites that run on every database backend of the run (see testBackends): a backend whose
// server does not answer is skipped with a printed reason, or failed under NOVAKIT_REQUIRE_SERVICES=1.
import type { Dialect } from '@novakit/db';
import { servicesRequired, testBackends } from '@novakit/db/testing';
import { describe, it } from 'vitest';

const BACKENDS = await testBackends();

export function describeBackends(title: string, body: (dialect: Dialect) => void): void {
  for (const { dialect, unavailable: reason } of BACKENDS) {
    const name = `${title} [${dialect}]`;
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
