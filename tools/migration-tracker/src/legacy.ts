import ts from 'typescript';
import { declarationName, referencedSymbol } from './ts-util.js';

export const LEGACY_TAG = 'legacy';

/**
 * The node that carries the JSDoc of a declaration: a function type or a function value
 * is documented on the property or variable that holds it.
 */
export function docCarrier(decl: ts.Node): ts.Node {
  let n = decl;
  if (ts.isFunctionTypeNode(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
    let p = n.parent;
    while (p !== undefined && (ts.isParenthesizedTypeNode(p) || ts.isUnionTypeNode(p) || ts.isIntersectionTypeNode(p) || ts.isParenthesizedExpression(p))) {
      p = p.parent;
    }
    if (
      p !== undefined &&
      (ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isTypeAliasDeclaration(p))
    ) {
      n = p;
    }
  }
  return n;
}

const VALUE_HOLDER = ts.SymbolFlags.Variable | ts.SymbolFlags.Property;
const CALLABLE_DECLARATION = ts.SymbolFlags.Function | ts.SymbolFlags.Method | ts.SymbolFlags.Class | ts.SymbolFlags.Accessor;

export function hasLegacyTag(decl: ts.Node): boolean {
  return ts.getJSDocTags(decl).some((tag) => tag.tagName.text === LEGACY_TAG);
}

function isStatic(decl: ts.Node): boolean {
  return ts.canHaveModifiers(decl) && (ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

/**
 * Declaration relationships through the type checker: which interface/base-class members a
 * member implements or overrides, and which `@legacy` declarations a use resolves to.
 */
export class DeclarationGraph {
  private readonly overriddenMemo = new Map<ts.Node, readonly ts.Node[]>();
  private readonly rootsMemo = new Map<ts.Node, readonly ts.Node[]>();

  constructor(readonly checker: ts.TypeChecker) {}

  /**
   * Members that `decl` overrides or implements, transitively: a class method implementing an
   * interface method, overriding a base-class method, or an interface member redeclaring one of
   * an extended interface.
   */
  overridden(decl: ts.Node): readonly ts.Node[] {
    const memo = this.overriddenMemo.get(decl);
    if (memo !== undefined) return memo;
    this.overriddenMemo.set(decl, []);
    const container = decl.parent;
    const name = declarationName(decl);
    const out = new Set<ts.Node>();
    if (
      name !== undefined &&
      name !== 'constructor' &&
      !isStatic(decl) &&
      container !== undefined &&
      (ts.isClassLike(container) || ts.isInterfaceDeclaration(container))
    ) {
      for (const clause of container.heritageClauses ?? []) {
        for (const typeNode of clause.types) {
          const baseType = this.checker.getTypeAtLocation(typeNode);
          const prop = this.checker.getPropertyOfType(baseType, name);
          for (const base of prop?.declarations ?? []) {
            if (base === decl || out.has(base)) continue;
            out.add(base);
            for (const further of this.overridden(base)) out.add(further);
          }
        }
      }
    }
    const result = [...out];
    this.overriddenMemo.set(decl, result);
    return result;
  }

  /** The `@legacy` declarations that `decl` is, or implements/overrides. */
  legacyRoots(declArg: ts.Node): readonly ts.Node[] {
    const decl = docCarrier(declArg);
    const memo = this.rootsMemo.get(decl);
    if (memo !== undefined) return memo;
    const roots = new Set<ts.Node>();
    if (hasLegacyTag(decl)) roots.add(decl);
    for (const base of this.overridden(decl)) {
      const carrier = docCarrier(base);
      if (hasLegacyTag(carrier)) roots.add(carrier);
    }
    const result = [...roots];
    this.rootsMemo.set(decl, result);
    return result;
  }

  /**
   * Declarations a use refers to: the symbol's declarations (aliases followed) and, for a
   * call, the declaration of the signature the checker picked.
   */
  targets(node: ts.Node, call?: ts.CallExpression | ts.NewExpression): ts.Node[] {
    const out = new Set<ts.Node>();
    const symbol = referencedSymbol(this.checker, node);
    for (const d of symbol?.declarations ?? []) out.add(d);
    // The signature only adds something when the callee is a value holding a function (a
    // variable, parameter or property typed by a method's type); resolving it checks every
    // argument, which is the expensive part of a scan, so methods and functions skip it.
    const needsSignature = symbol === undefined || (symbol.flags & VALUE_HOLDER && !(symbol.flags & CALLABLE_DECLARATION));
    if (call !== undefined && needsSignature) {
      const decl = this.checker.getResolvedSignature(call)?.declaration;
      if (decl !== undefined && !ts.isJSDocSignature(decl)) out.add(docCarrier(decl));
    }
    return [...out];
  }

  legacyRootsOf(decls: readonly ts.Node[]): ts.Node[] {
    const roots = new Set<ts.Node>();
    for (const d of decls) for (const r of this.legacyRoots(d)) roots.add(r);
    return [...roots];
  }
}
