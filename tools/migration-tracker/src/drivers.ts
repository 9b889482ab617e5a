import ts from 'typescript';
import { DRIVER_BASE, LEGACY_TYPE, VIRT_DRIVER_PACKAGE, packageSources, slotLabel, slotsOf, type Contract, type ContractMethod } from './contract.js';
import { sortEvidence, useEvidence } from './evidence.js';
import type { DeclarationGraph } from './legacy.js';
import type { Component, DriverCell, DriverImplementation, Evidence, Problem, SkippedPackage } from './model.js';
import { Reachability, inScope, type Body, type Scope } from './reach.js';
import { Locator, isFunctionNode, qualifiedName, resolveAlias } from './ts-util.js';
import { dependsOn, toPosix, type Workspace, type WorkspacePackage } from './workspace.js';

export interface DriverLib {
  pkg: WorkspacePackage;
  component: Component;
  classes: ts.ClassDeclaration[];
  scope: Scope;
  reach: Reachability;
}

/**
 * Every lib under `libs/` that depends on `@novakit/virt-driver` and declares a class extending
 * `ComputeDriverBase`, directly or through another class of its own. A lib declaring such a
 * class without the dependency is reported as a warning (it would otherwise go unnoticed).
 */
export function findDrivers(
  ws: Workspace,
  contract: Contract,
  graph: DeclarationGraph,
  locator: Locator,
  problems: Problem[],
): { drivers: DriverLib[]; skipped: SkippedPackage[] } {
  const checker = ws.program.getTypeChecker();
  const drivers: DriverLib[] = [];
  const skipped: SkippedPackage[] = [];
  const base = contract.driverBase;
  for (const pkg of ws.packages) {
    if (pkg.group !== 'libs' || pkg === contract.virtDriver) continue;
    const declared = dependsOn(pkg, VIRT_DRIVER_PACKAGE);
    const files = packageSources(ws, pkg);
    const scope: Scope = { dir: toPosix(pkg.dir), files };
    const memo = new Map<ts.ClassDeclaration, boolean>();
    const isDriverClass = (cls: ts.ClassDeclaration): boolean => {
      const known = memo.get(cls);
      if (known !== undefined) return known;
      memo.set(cls, false);
      let result = false;
      const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (ext !== undefined && base !== undefined) {
        const symbol = resolveAlias(checker, checker.getSymbolAtLocation(ext.expression));
        for (const d of symbol?.declarations ?? []) {
          if (d === base) result = true;
          else if (ts.isClassDeclaration(d) && inScope(scope, d) && isDriverClass(d)) result = true;
        }
      }
      memo.set(cls, result);
      return result;
    };
    const classes: ts.ClassDeclaration[] = [];
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        if (ts.isClassDeclaration(node) && node.name !== undefined && isDriverClass(node)) classes.push(node);
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    if (!declared) {
      if (classes.length > 0) {
        problems.push({
          severity: 'warning',
          code: 'undeclared-driver',
          message: `${pkg.relDir} declares ${classes.map((c) => c.name!.text).join(', ')} extending ${DRIVER_BASE} but its package.json does not depend on ${VIRT_DRIVER_PACKAGE}: not tracked`,
        });
      }
      continue;
    }
    if (classes.length === 0) {
      skipped.push({ path: pkg.relDir, reason: `depends on ${VIRT_DRIVER_PACKAGE} but declares no class extending ${DRIVER_BASE}` });
      continue;
    }
    drivers.push({
      pkg,
      classes,
      scope,
      reach: new Reachability(graph, scope),
      component: {
        name: pkg.folder,
        kind: 'driver',
        path: pkg.relDir,
        classes: classes.map((c) => ({ name: c.name!.text, ...locator.declLoc(c) })),
      },
    });
  }
  return { drivers, skipped };
}

function bodyOf(decl: ts.Node): Body | undefined {
  if (isFunctionNode(decl)) return decl.body === undefined ? undefined : decl;
  if (ts.isPropertyDeclaration(decl) && decl.initializer !== undefined && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) {
    return decl.initializer;
  }
  return undefined;
}

/**
 * One driver's verdict for one work item: legacy when the contract is, when an implementation
 * declares a legacy parameter, or when an implementation reaches a `@legacy` use inside the lib.
 */
export function driverCell(ws: Workspace, contract: Contract, driver: DriverLib, method: ContractMethod, locator: Locator): DriverCell {
  const checker = ws.program.getTypeChecker();
  const evidence: Evidence[] = [...method.cell.evidence];
  const implementations = new Map<ts.Node, DriverImplementation>();
  const inheritsDefault: string[] = [];
  for (const cls of driver.classes) {
    const type = checker.getTypeAtLocation(cls.name!);
    const prop = checker.getPropertyOfType(type, method.item.method);
    const own = (prop?.declarations ?? []).filter((d) => inScope(driver.scope, d));
    if (own.length === 0) {
      inheritsDefault.push(cls.name!.text);
      continue;
    }
    for (const decl of own) {
      if (implementations.has(decl)) continue;
      implementations.set(decl, { name: qualifiedName(decl), driverClass: cls.name!.text, ...locator.declLoc(decl) });
      for (const slot of slotsOf(contract.types, [decl])) {
        if (slot.kind === 'legacy') {
          evidence.push({ kind: 'implementation-param', ...locator.loc(slot.parameterNode), message: `${qualifiedName(decl)}: ${slotLabel(slot)} is ${LEGACY_TYPE}` });
        }
      }
      const body = bodyOf(decl);
      if (body !== undefined) for (const use of driver.reach.reach(body)) evidence.push(useEvidence(locator, use));
    }
  }
  const sorted = sortEvidence(evidence);
  return {
    verdict: sorted.length === 0 ? 'converted' : 'legacy',
    evidence: sorted,
    implementations: [...implementations.values()],
    inheritsDefault,
  };
}
