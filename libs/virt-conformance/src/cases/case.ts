import type { DriverMethodName } from '@novakit/virt-driver';
import { expect } from 'vitest';
import type { CaseEnv } from '../harness.js';

/** One conformance case: the contract methods it asserts on, and the scenario. */
export interface ConformanceCase {
  readonly title: string;
  readonly covers: readonly DriverMethodName[];
  /** Runs only when the driver's expectations exercise live migration. */
  readonly liveMigration?: boolean;
  readonly run: (env: CaseEnv) => Promise<void>;
}

/** Rejects with the typed error named `name` (by name, so copies of a lib still match). */
export async function expectError(promise: Promise<unknown>, name: string, what?: string): Promise<void> {
  await expect(promise, what).rejects.toMatchObject({ name });
}

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
