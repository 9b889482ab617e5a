import ts from 'typescript';
import { docCarrier, hasLegacyTag, type DeclarationGraph } from './legacy.js';
import type { LegacyCaller, LegacyMethod } from './model.js';
import { Locator, declarationName, enclosingFunctionName, isDeclarationName, nameText, qualifiedName, usedName } from './ts-util.js';
import { toPosix, type Workspace } from './workspace.js';

function isTaggable(node: ts.Node): boolean {
  return (
    ts.isMethodSignature(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isGetAccessorDeclaration(node)
  );
}

/**
 * Every declaration tagged `@legacy` in the workspace, with each call or value use of it
 * (directly, or through an implementation/override of it) anywhere in the workspace sources.
 */
export function legacyCensus(ws: Workspace, graph: DeclarationGraph, locator: Locator): LegacyMethod[] {
  const packageOf = (fileName: string): string => {
    const pkg = ws.packages.find((p) => fileName.startsWith(`${toPosix(p.dir)}/`));
    return pkg?.relDir ?? locator.rel(fileName);
  };
  const declared = new Map<ts.Node, LegacyMethod>();
  const names = new Set<string>();
  for (const sf of ws.sourceFiles) {
    const visit = (node: ts.Node): void => {
      if (isTaggable(node) && hasLegacyTag(node)) {
        const name = declarationName(node);
        if (name !== undefined) {
          names.add(name);
          declared.set(docCarrier(node), { name: qualifiedName(node), package: packageOf(sf.fileName), ...locator.declLoc(node), callers: [] });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  if (declared.size === 0) return [];

  const seen = new Set<string>();
  const record = (node: ts.Node, call: ts.CallExpression | ts.NewExpression | undefined): void => {
    const roots = graph.legacyRootsOf(graph.targets(node, call));
    const site = call ?? node;
    for (const root of roots) {
      const entry = declared.get(root);
      if (entry === undefined) continue;
      const caller: LegacyCaller = {
        ...locator.loc(site),
        function: enclosingFunctionName(site),
        package: packageOf(site.getSourceFile().fileName),
        kind: call === undefined ? 'reference' : 'call',
      };
      const key = `${entry.file}:${entry.line}|${caller.file}:${caller.line}:${site.getStart()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entry.callers.push(caller);
    }
  };

  for (const sf of ws.sourceFiles) {
    // Local names under which a legacy function is imported (`import { x as y }`).
    const local = new Set(names);
    for (const stmt of sf.statements) {
      const bindings = ts.isImportDeclaration(stmt) ? stmt.importClause?.namedBindings : undefined;
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (names.has((el.propertyName ?? el.name).text)) local.add(el.name.text);
      }
    }
    const callees = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const name = usedName(node.expression);
        callees.add(node.expression);
        if (name !== undefined && local.has(name)) record(node.expression, node);
      } else if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && !callees.has(node)) {
        const name = usedName(node);
        if (name !== undefined && local.has(name)) record(node, undefined);
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const key = nameText(node.propertyName ?? node.name);
        if (key !== undefined && names.has(key)) record(node, undefined);
      } else if (ts.isIdentifier(node) && !callees.has(node) && local.has(node.text) && !isDeclarationName(node)) {
        const parent = node.parent;
        if (!(ts.isPropertyAccessExpression(parent) && parent.name === node)) record(node, undefined);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  return [...declared.values()]
    .map((m) => ({ ...m, callers: m.callers.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line) }))
    .sort((a, b) => a.package.localeCompare(b.package) || a.name.localeCompare(b.name));
}
