import path from 'node:path';
import ts from 'typescript';
import { InstanceTypes, type InstanceSlot } from './instance-types.js';
import type { ContractCell, Evidence, Problem, SourceLocation } from './model.js';
import { Locator, resolveAlias, skipOuterExpressions } from './ts-util.js';
import { exportTarget, toPosix, type Workspace, type WorkspacePackage } from './workspace.js';

export const VIRT_DRIVER_PACKAGE = '@novakit/virt-driver';
export const OBJECTS_PACKAGE = '@novakit/objects';
export const CONTRACT_PATH = 'src/compute-driver.ts';
export const WORK_ITEMS_PATH = 'src/work-items.ts';
export const DRIVER_INTERFACE = 'ComputeDriver';
export const DRIVER_BASE = 'ComputeDriverBase';
export const LEGACY_TYPE = 'LegacyInstanceDict';
export const INSTANCE_TYPE = 'Instance';

export interface WorkItem {
  name: string;
  method: string;
  node: ts.Node;
}

/** One work item's method on the contract. */
export interface ContractMethod {
  item: WorkItem;
  /** Declarations on `ComputeDriver` (overloads included). */
  interfaceDecls: ts.Node[];
  /** Declarations on `ComputeDriverBase` itself. */
  baseDecls: ts.Node[];
  /** Instance slots of the interface signature, used to check manager arguments. */
  slots: InstanceSlot[];
  cell: ContractCell;
}

export interface Contract {
  virtDriver: WorkspacePackage;
  contractFile: string;
  workItemsFile: string;
  driverInterface: ts.InterfaceDeclaration;
  driverBase: ts.ClassDeclaration | undefined;
  types: InstanceTypes;
  methods: ContractMethod[];
}

export function findPackage(ws: Workspace, name: string, fallbackDir: string): WorkspacePackage | undefined {
  return ws.packages.find((p) => p.name === name) ?? ws.packages.find((p) => p.relDir === fallbackDir);
}

export function packageSources(ws: Workspace, pkg: WorkspacePackage): ts.SourceFile[] {
  const dir = `${toPosix(pkg.dir)}/`;
  return ws.sourceFiles.filter((sf) => sf.fileName.startsWith(dir));
}

/** A named export of a package's entry point, or a top-level declaration of that name in the package. */
function findExport(ws: Workspace, pkg: WorkspacePackage, name: string, problems: Problem[]): ts.Symbol | undefined {
  const checker = ws.program.getTypeChecker();
  const entry = exportTarget(pkg, '.');
  const entryFile = entry === undefined ? undefined : ws.program.getSourceFile(toPosix(entry));
  const moduleSymbol = entryFile === undefined ? undefined : checker.getSymbolAtLocation(entryFile);
  if (moduleSymbol !== undefined) {
    const exported = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (exported !== undefined) return resolveAlias(checker, exported);
  }
  for (const sf of packageSources(ws, pkg)) {
    for (const stmt of sf.statements) {
      if (
        (ts.isTypeAliasDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isClassDeclaration(stmt)) &&
        stmt.name?.text === name
      ) {
        problems.push({ severity: 'warning', code: 'not-exported', message: `${name} is declared in ${pkg.relDir} but not exported by ${pkg.name}` });
        return checker.getSymbolAtLocation(stmt.name);
      }
    }
  }
  return undefined;
}

function stringProperty(checker: ts.TypeChecker, type: ts.Type, key: string, at: ts.Node): string | undefined {
  const prop = checker.getPropertyOfType(type, key);
  if (prop === undefined) return undefined;
  const t = checker.getTypeOfSymbolAtLocation(prop, at);
  return t.isStringLiteral() ? t.value : undefined;
}

/** `WORK_ITEMS` read through the checker: an `as const` array of `{ name, method }`. */
function readWorkItems(ws: Workspace, file: ts.SourceFile, problems: Problem[]): WorkItem[] | undefined {
  const checker = ws.program.getTypeChecker();
  let decl: ts.VariableDeclaration | undefined;
  for (const stmt of file.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === 'WORK_ITEMS') decl = d;
  }
  if (decl === undefined) return undefined;
  const items: WorkItem[] = [];
  const init = decl.initializer === undefined ? undefined : skipOuterExpressions(decl.initializer);
  if (init !== undefined && ts.isArrayLiteralExpression(init) && !init.elements.some(ts.isSpreadElement)) {
    for (const el of init.elements) {
      const t = checker.getTypeAtLocation(el);
      const name = stringProperty(checker, t, 'name', el);
      const method = stringProperty(checker, t, 'method', el);
      if (name === undefined || method === undefined) {
        problems.push({ severity: 'error', code: 'work-item-unreadable', message: `WORK_ITEMS entry at ${toPosix(path.relative(ws.root, file.fileName))}:${file.getLineAndCharacterOfPosition(el.getStart()).line + 1} has no literal name/method` });
        continue;
      }
      items.push({ name, method, node: el });
    }
    return items;
  }
  const type = checker.getTypeAtLocation(decl.name);
  if (!checker.isTupleType(type)) {
    problems.push({ severity: 'error', code: 'work-item-unreadable', message: 'WORK_ITEMS is not a literal array or an `as const` tuple' });
    return [];
  }
  for (const t of checker.getTypeArguments(type as ts.TypeReference)) {
    const name = stringProperty(checker, t, 'name', decl);
    const method = stringProperty(checker, t, 'method', decl);
    if (name !== undefined && method !== undefined) items.push({ name, method, node: decl });
  }
  return items;
}

function signatureOf(decl: ts.Node): ts.SignatureDeclaration | undefined {
  if (ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl)) return decl;
  if ((ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type !== undefined && ts.isFunctionTypeNode(decl.type)) return decl.type;
  if (ts.isPropertyDeclaration(decl) && decl.initializer !== undefined && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) {
    return decl.initializer;
  }
  return undefined;
}

export function slotsOf(types: InstanceTypes, decls: readonly ts.Node[]): InstanceSlot[] {
  return decls.flatMap((d) => {
    const sig = signatureOf(d);
    return sig === undefined ? [] : types.slots(sig);
  });
}

export function slotLabel(slot: InstanceSlot): string {
  const holder = slot.property === undefined ? slot.parameter : `${slot.parameter}.${slot.property}`;
  return slot.callbackParameter === undefined ? `\`${holder}\`` : `the \`${slot.callbackParameter}\` parameter of callback \`${holder}\``;
}

/** Reads the contract; returns undefined (with error problems) when it cannot be used. */
export function readContract(ws: Workspace, locator: Locator, problems: Problem[]): Contract | undefined {
  const checker = ws.program.getTypeChecker();
  const virtDriver = findPackage(ws, VIRT_DRIVER_PACKAGE, 'libs/virt-driver');
  const contractFile = virtDriver === undefined ? `libs/virt-driver/${CONTRACT_PATH}` : `${virtDriver.relDir}/${CONTRACT_PATH}`;
  const workItemsFile = virtDriver === undefined ? `libs/virt-driver/${WORK_ITEMS_PATH}` : `${virtDriver.relDir}/${WORK_ITEMS_PATH}`;
  if (virtDriver === undefined) {
    problems.push({ severity: 'error', code: 'contract-missing', message: `no ${VIRT_DRIVER_PACKAGE} package (libs/virt-driver): the driver contract is missing` });
    return undefined;
  }
  const contractSf = ws.program.getSourceFile(`${ws.root}/${contractFile}`);
  const itemsSf = ws.program.getSourceFile(`${ws.root}/${workItemsFile}`);
  const driverInterface = contractSf?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === DRIVER_INTERFACE,
  );
  if (driverInterface === undefined) {
    problems.push({
      severity: 'error',
      code: 'contract-missing',
      message:
        contractSf === undefined
          ? `the driver contract is missing: ${contractFile} does not exist`
          : `the driver contract is missing: ${contractFile} declares no \`interface ${DRIVER_INTERFACE}\``,
    });
  }
  const workItems = itemsSf === undefined ? undefined : readWorkItems(ws, itemsSf, problems);
  if (workItems === undefined || workItems.length === 0) {
    problems.push({
      severity: 'error',
      code: 'work-items-missing',
      message:
        itemsSf === undefined
          ? `the work-item table is missing: ${workItemsFile} does not exist`
          : `the work-item table is missing: ${workItemsFile} exports no non-empty \`WORK_ITEMS\``,
    });
  }
  if (driverInterface === undefined || workItems === undefined || workItems.length === 0) return undefined;

  const seen = new Set<string>();
  for (const item of workItems) {
    if (seen.has(item.name)) problems.push({ severity: 'error', code: 'work-item-duplicate', message: `work item ${item.name} is listed twice in ${workItemsFile}` });
    seen.add(item.name);
  }

  const sources = packageSources(ws, virtDriver);
  let driverBase: ts.ClassDeclaration | undefined;
  for (const sf of sources) {
    for (const s of sf.statements) if (ts.isClassDeclaration(s) && s.name?.text === DRIVER_BASE) driverBase = s;
  }
  if (driverBase === undefined) {
    problems.push({ severity: 'error', code: 'driver-base-missing', message: `no \`class ${DRIVER_BASE}\` in ${virtDriver.relDir}: no driver can be found` });
  }

  const legacySymbol = findExport(ws, virtDriver, LEGACY_TYPE, problems);
  if (legacySymbol === undefined) {
    problems.push({ severity: 'error', code: 'legacy-type-missing', message: `${VIRT_DRIVER_PACKAGE} has no \`${LEGACY_TYPE}\`: legacy parameters cannot be recognised` });
  }
  const objects = findPackage(ws, OBJECTS_PACKAGE, 'libs/objects');
  const instanceSymbol = objects === undefined ? undefined : findExport(ws, objects, INSTANCE_TYPE, problems);
  if (instanceSymbol === undefined) {
    problems.push({ severity: 'error', code: 'instance-type-missing', message: `${OBJECTS_PACKAGE} exports no \`${INSTANCE_TYPE}\`: no parameter can count as converted` });
  }
  const types = new InstanceTypes(checker, legacySymbol, instanceSymbol);

  const interfaceType = checker.getTypeAtLocation(driverInterface.name);
  const baseType = driverBase === undefined ? undefined : checker.getTypeAtLocation(driverBase.name!);

  const methods = workItems.map((item): ContractMethod => {
    const interfaceDecls = checker.getPropertyOfType(interfaceType, item.method)?.declarations ?? [];
    const baseDecls =
      baseType === undefined ? [] : (checker.getPropertyOfType(baseType, item.method)?.declarations ?? []).filter((d) => d.parent === driverBase);
    const evidence: Evidence[] = [];
    let declaration: SourceLocation | undefined;
    if (interfaceDecls.length === 0) {
      evidence.push({ kind: 'contract-missing', ...locator.loc(item.node), message: `${DRIVER_INTERFACE} has no method \`${item.method}\`` });
    } else {
      declaration = locator.declLoc(interfaceDecls[0]!);
    }
    const slots = slotsOf(types, interfaceDecls);
    for (const slot of slots) {
      if (slot.kind === 'legacy') {
        evidence.push({ kind: 'contract-param', ...locator.loc(slot.node), message: `${DRIVER_INTERFACE}.${item.method}: ${slotLabel(slot)} is ${LEGACY_TYPE}` });
      }
    }
    for (const slot of slotsOf(types, baseDecls)) {
      if (slot.kind === 'legacy') {
        evidence.push({ kind: 'contract-param', ...locator.loc(slot.node), message: `${DRIVER_BASE}.${item.method}: ${slotLabel(slot)} is ${LEGACY_TYPE}` });
      }
    }
    if (interfaceDecls.length > 0 && slots.length === 0) {
      evidence.push({
        kind: 'contract-missing',
        ...(declaration ?? locator.loc(item.node)),
        message: `${DRIVER_INTERFACE}.${item.method} has no parameter typed ${INSTANCE_TYPE} or ${LEGACY_TYPE}`,
      });
    }
    return { item, interfaceDecls, baseDecls, slots, cell: { verdict: evidence.length === 0 ? 'converted' : 'legacy', evidence, declaration } };
  });

  return { virtDriver, contractFile, workItemsFile, driverInterface, driverBase, types, methods };
}
