import type ts from 'typescript';
import type { ChainStep, Evidence } from './model.js';
import type { ReachedUse } from './reach.js';
import { Locator, qualifiedName } from './ts-util.js';

export function legacyNames(roots: readonly ts.Node[]): string {
  return roots.map((r) => `@legacy ${qualifiedName(r)}`).join(', ');
}

export function chainSteps(locator: Locator, bodies: readonly ts.Node[]): ChainStep[] {
  return bodies.map((b) => ({ name: qualifiedName(b), ...locator.declLoc(holderOf(b)) }));
}

/** Arrow functions held by a variable or property are located at the holder's name. */
function holderOf(node: ts.Node): ts.Node {
  const parent = node.parent as (ts.Node & { initializer?: ts.Node; name?: ts.Node }) | undefined;
  return parent !== undefined && parent.initializer === node && parent.name !== undefined ? parent : node;
}

export function useEvidence(locator: Locator, use: ReachedUse): Evidence {
  const what = legacyNames(use.roots);
  const chain = chainSteps(locator, use.chain);
  const names = chain.map((s) => s.name);
  // Long chains keep both ends in the message; `chain` has every step.
  const via = (names.length > 6 ? [...names.slice(0, 3), `…${names.length - 5} more…`, ...names.slice(-2)] : names).join(' → ');
  return {
    kind: use.kind === 'call' ? 'legacy-call' : 'legacy-reference',
    ...locator.loc(use.node),
    message: use.kind === 'call' ? `${via} calls ${what}` : `${via} uses ${what} as a value`,
    chain,
  };
}

/** Contract evidence first, then by file and line; exact duplicates dropped. */
export function sortEvidence(evidence: Evidence[]): Evidence[] {
  const rank = (e: Evidence): number => (e.kind === 'contract-param' || e.kind === 'contract-missing' ? 0 : 1);
  const seen = new Set<string>();
  return evidence
    .filter((e) => {
      const key = `${e.kind}|${e.file}|${e.line}|${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => {
      if (rank(a) === 0 && rank(b) === 0) return 0; // the contract's own order: interface, then base
      return rank(a) - rank(b) || a.file.localeCompare(b.file, 'en', { numeric: true }) || a.line - b.line || a.message.localeCompare(b.message);
    });
}
