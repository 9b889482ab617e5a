import ts from 'typescript';
import { DRIVER_INTERFACE, LEGACY_TYPE, findPackage, packageSources, slotLabel, slotsOf, type Contract, type ContractMethod } from './contract.js';
import { sortEvidence, useEvidence } from './evidence.js';
import type { InstanceSlot } from './instance-types.js';
import type { DeclarationGraph } from './legacy.js';
import type { Component, Evidence, ManagerCell, Problem } from './model.js';
import { Reachability, type Body, type ReachedUse, type Scope } from './reach.js';
import { Locator, enclosingFunctionName, enclosingNamedFunction, topLevelStatement, usedName } from './ts-util.js';
import { toPosix, type Workspace } from './workspace.js';

export const MANAGER_PACKAGE = '@novakit/compute-manager';
export const MANAGER_DIR = 'apps/compute-manager';
/** How many calls away from the function containing a driver call the manager check looks. */
export const DEFAULT_MANAGER_DEPTH = 3;

export interface ManagerResult {
  component: Component;
  cells: Map<string, ManagerCell>;
}

interface CallSite {
  call: ts.CallExpression;
  method: ContractMethod;
}

function argumentEvidence(
  checker: ts.TypeChecker,
  contract: Contract,
  site: CallSite,
  slots: readonly InstanceSlot[],
  locator: Locator,
): Evidence[] {
  const out: Evidence[] = [];
  const target = `${DRIVER_INTERFACE}.${site.method.item.method}`;
  const args = site.call.arguments;
  for (const slot of slots) {
    if (slot.callbackParameter !== undefined) continue; // the driver passes that one, not the manager
    const spreadAt = args.findIndex(ts.isSpreadElement);
    if (spreadAt !== -1 && spreadAt <= slot.index) {
      out.push({ kind: 'untyped-argument', ...locator.loc(args[spreadAt]!), message: `spread argument: cannot tell what reaches ${slotLabel(slot)} of ${target}` });
      continue;
    }
    const arg = args[slot.index];
    if (arg === undefined) continue;
    let type = checker.getTypeAtLocation(arg);
    if (slot.property !== undefined) {
      const prop = checker.getPropertyOfType(checker.getNonNullableType(type), slot.property);
      if (prop === undefined) continue;
      type = checker.getTypeOfSymbolAtLocation(prop, arg);
    }
    const kind = contract.types.classify(type);
    if (kind === 'legacy') {
      out.push({ kind: 'legacy-argument', ...locator.loc(arg), message: `passes ${LEGACY_TYPE} as ${slotLabel(slot)} of ${target}` });
    } else if (kind === 'any') {
      out.push({ kind: 'untyped-argument', ...locator.loc(arg), message: `passes \`any\` as ${slotLabel(slot)} of ${target}: cannot prove it is an object` });
    }
  }
  return out;
}

/**
 * The manager's verdict per work item. Call sites are calls whose callee resolves to the work
 * item's method on `ComputeDriver`/`ComputeDriverBase` (or a driver class overriding it). Each
 * must pass a non-legacy instance, and the function containing it, following calls into the
 * app's own functions up to `depth` calls away, must reach no `@legacy` use.
 */
export function managerCells(
  ws: Workspace,
  contract: Contract,
  graph: DeclarationGraph,
  locator: Locator,
  depth: number,
  problems: Problem[],
): ManagerResult {
  const checker = ws.program.getTypeChecker();
  const pkg = findPackage(ws, MANAGER_PACKAGE, MANAGER_DIR);
  const component: Component = { name: pkg?.folder ?? 'compute-manager', kind: 'manager', path: pkg?.relDir ?? MANAGER_DIR, classes: [] };
  if (pkg === undefined) {
    problems.push({ severity: 'error', code: 'manager-missing', message: `no compute manager (${MANAGER_DIR} / ${MANAGER_PACKAGE}): its column is empty` });
  }
  const files = pkg === undefined ? [] : packageSources(ws, pkg);
  const scope: Scope = { dir: pkg === undefined ? `${ws.root}/${MANAGER_DIR}` : toPosix(pkg.dir), files };
  const reach = new Reachability(graph, scope);

  const byName = new Map<string, { method: ContractMethod; members: Set<ts.Node> }[]>();
  for (const m of contract.methods) {
    const list = byName.get(m.item.method) ?? [];
    list.push({ method: m, members: new Set([...m.interfaceDecls, ...m.baseDecls]) });
    byName.set(m.item.method, list);
  }

  const sites = new Map<ContractMethod, CallSite[]>();
  for (const sf of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = usedName(node.expression);
        const candidates = name === undefined ? undefined : byName.get(name);
        if (candidates !== undefined) {
          const decls = graph.targets(node.expression, node);
          for (const { method, members } of candidates) {
            const hit = decls.some((d) => members.has(d) || graph.overridden(d).some((o) => members.has(o)));
            if (hit) sites.set(method, [...(sites.get(method) ?? []), { call: node, method }]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const reached = new Map<Body, ReachedUse[]>();
  const cells = new Map<string, ManagerCell>();
  for (const method of contract.methods) {
    const evidence: Evidence[] = [...method.cell.evidence];
    const callSites = sites.get(method) ?? [];
    const slots = method.slots.length > 0 ? method.slots : slotsOf(contract.types, method.baseDecls);
    for (const site of callSites) {
      evidence.push(...argumentEvidence(checker, contract, site, slots, locator));
      const root: Body = enclosingNamedFunction(site.call) ?? (topLevelStatement(site.call) as ts.Statement);
      let uses = reached.get(root);
      if (uses === undefined) {
        uses = reach.reach(root, depth);
        reached.set(root, uses);
      }
      for (const use of uses) evidence.push(useEvidence(locator, use));
    }
    const sorted = sortEvidence(evidence);
    cells.set(method.item.name, {
      verdict: callSites.length === 0 ? 'no-caller' : sorted.length === 0 ? 'converted' : 'legacy',
      evidence: sorted,
      callSites: callSites.map((s) => ({ ...locator.loc(s.call), function: enclosingFunctionName(s.call) })),
    });
  }
  return { component, cells };
}
