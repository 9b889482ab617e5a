import path from 'node:path';
import ts from 'typescript';
import type { SourceLocation } from './model.js';
import { toPosix } from './workspace.js';

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression;

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/** A function value bound to a name: `const f = () => …`, `f = () => …` in a class, `{ f: () => … }`. */
function isNamedFunctionValue(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  const parent = node.parent;
  return (
    (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    parent.initializer === node
  );
}

/**
 * The function a node belongs to, skipping anonymous callbacks: for a call inside
 * `this.lock(id, async () => { … })` it is the method around the lock, not the arrow.
 * Undefined at module level.
 */
export function enclosingNamedFunction(node: ts.Node): FunctionNode | undefined {
  for (let p: ts.Node | undefined = node.parent; p !== undefined; p = p.parent) {
    if (!isFunctionNode(p)) continue;
    if ((!ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) || isNamedFunctionValue(p)) return p;
  }
  return undefined;
}

/** The top-level statement containing `node` (the root for module-level code). */
export function topLevelStatement(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent !== undefined && !ts.isSourceFile(n.parent)) n = n.parent;
  return n;
}

export function nameText(name: ts.Node | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  return undefined;
}

/** The declared name of a declaration node (`instanceUpdate`), if it has a simple one. */
export function declarationName(decl: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(decl)) return 'constructor';
  const name = (decl as { name?: ts.Node }).name;
  return nameText(name);
}

function containerLabel(container: ts.Node): string {
  if ((ts.isClassLike(container) || ts.isInterfaceDeclaration(container)) && container.name !== undefined) {
    return container.name.text;
  }
  if (ts.isTypeLiteralNode(container) && ts.isTypeAliasDeclaration(container.parent)) return container.parent.name.text;
  if (ts.isClassExpression(container) || ts.isObjectLiteralExpression(container) || ts.isTypeLiteralNode(container)) {
    const holder = container.parent;
    if ((ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder) || ts.isPropertyAssignment(holder)) && nameText(holder.name)) {
      return nameText(holder.name)!;
    }
    return ts.isObjectLiteralExpression(container) ? '<object>' : '<anonymous>';
  }
  return '<anonymous>';
}

/** `Container.member` for members, the bare name for functions and variables. */
export function qualifiedName(decl: ts.Node): string {
  let target = decl;
  if ((ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) && isNamedFunctionValue(decl)) target = decl.parent;
  const name = declarationName(target) ?? '<anonymous>';
  const parent = target.parent;
  if (
    parent !== undefined &&
    (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent) || ts.isTypeLiteralNode(parent) || ts.isObjectLiteralExpression(parent))
  ) {
    return `${containerLabel(parent)}.${name}`;
  }
  return name;
}

/** Display name of the function (or module-level statement) containing `node`. */
export function enclosingFunctionName(node: ts.Node): string {
  const fn = enclosingNamedFunction(node);
  return fn === undefined ? '<module>' : qualifiedName(fn);
}

export class Locator {
  constructor(readonly root: string) {}

  rel(fileName: string): string {
    return toPosix(path.relative(this.root, fileName));
  }

  loc(node: ts.Node): SourceLocation {
    const sf = node.getSourceFile();
    const pos = ts.isSourceFile(node) ? 0 : node.getStart(sf);
    return { file: this.rel(sf.fileName), line: sf.getLineAndCharacterOfPosition(pos).line + 1 };
  }

  /** Location of a declaration's name when it has one (the line people look for). */
  declLoc(node: ts.Node): SourceLocation {
    const name = (node as { name?: ts.Node }).name;
    return this.loc(name ?? node);
  }

  format(l: SourceLocation): string {
    return `${l.file}:${l.line}`;
  }
}

export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) {
    try {
      return checker.getAliasedSymbol(symbol);
    } catch {
      return symbol;
    }
  }
  return symbol;
}

/** The property a `{ name }` / `{ name: local }` destructuring takes out of its source. */
export function destructuredProperty(checker: ts.TypeChecker, element: ts.BindingElement): ts.Symbol | undefined {
  if (element.dotDotDotToken !== undefined || !ts.isObjectBindingPattern(element.parent)) return undefined;
  const key = nameText(element.propertyName ?? element.name);
  if (key === undefined) return undefined;
  const source = checker.getTypeAtLocation(element.parent);
  return checker.getPropertyOfType(source, key);
}

/** The symbol an expression refers to (property accesses by their member, imports resolved). */
export function referencedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  if (ts.isBindingElement(node)) return destructuredProperty(checker, node);
  let target: ts.Node = node;
  if (ts.isPropertyAccessExpression(node)) target = node.name;
  else if (ts.isElementAccessExpression(node)) target = node.argumentExpression;
  else if (ts.isShorthandPropertyAssignment(node)) return resolveAlias(checker, checker.getShorthandAssignmentValueSymbol(node));
  return resolveAlias(checker, checker.getSymbolAtLocation(target));
}

/** True for an identifier that names a declaration (not a use). */
export function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  if (parent === undefined) return false;
  if (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return true;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return true;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return true;
  return parent.name === node;
}

/** Member name used at a call/reference site (`x.foo`, `x['foo']`, `foo`), for cheap pre-filtering. */
export function usedName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
  if (ts.isIdentifier(node)) return node.text;
  return undefined;
}

/** Strips parentheses, `!`, `as`, `satisfies` and type assertions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let n = node;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) {
      n = n.expression;
    } else {
      return n;
    }
  }
}
