// Runs one suite on every backend: SQLite always, PostgreSQL and MariaDB when their
// servers answer (skipped with a printed reason, or failing under
// NOVAKIT_REQUIRE_SERVICES=1). NOVAKIT_DB_BACKENDS=sqlite,postgres narrows the run.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Dialect } from '../../src/index.js';
import { createTestDatabase, servicesRequired, testBackends, type TestDatabase } from '../../src/testing.js';

const BACKENDS = await testBackends();

/** A settable clock the suite's database stamps rows with (real time until set). */
export class TestClock {
  private fixed: Date | null = null;
  readonly now = (): Date => this.fixed ?? new Date();
  set(d: Date | null): void {
    this.fixed = d;
  }
  advance(seconds: number): void {
    this.fixed = new Date(this.now().getTime() + seconds * 1000);
  }
}

export interface BackendContext {
  readonly dialect: Dialect;
  /** The suite's private database (valid inside tests and hooks). */
  db(): TestDatabase;
  readonly clock: TestClock;
}

export interface DescribeOptions {
  /** Use a temp file for SQLite instead of :memory: (e.g. to open it from another process). */
  sqliteFile?: boolean;
  backends?: readonly Dialect[];
}

/** `describe` once per backend with a private migrated database for the block. */
export function describeBackends(title: string, body: (b: BackendContext) => void, opts: DescribeOptions = {}): void {
  for (const { dialect, unavailable: reason } of BACKENDS) {
    if (opts.backends && !opts.backends.includes(dialect)) continue;
    const name = `${title} [${dialect}]`;
    if (reason) {
      if (servicesRequired()) {
        describe(name, () => it(`needs ${dialect}`, () => {
          throw new Error(`${reason} (NOVAKIT_REQUIRE_SERVICES=1)`);
        }));
      } else {
        console.log(`skipping "${name}": ${reason}`);
        describe.skip(name, () => it('skipped', () => {}));
      }
      continue;
    }
    describe(name, () => {
      const clock = new TestClock();
      let t: TestDatabase | undefined;
      beforeAll(async () => {
        t = await createTestDatabase(dialect, { memory: !opts.sqliteFile, clock: clock.now });
      }, 60_000);
      afterAll(async () => {
        await t?.drop();
      }, 60_000);
      body({
        dialect,
        clock,
        db: () => {
          if (!t) throw new Error('test database not created yet');
          return t;
        },
      });
    });
  }
}

/** A short unique name, so tests sharing one database never see each other's rows. */
export const uniq = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Awaits a promise expected to reject and returns the error. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
