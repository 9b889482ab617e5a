import ts from 'typescript';
import type { DeclarationGraph } from './legacy.js';
import { declarationName, isDeclarationName, isFunctionNode, type FunctionNode } from './ts-util.js';

/** A folder whose functions reachability may enter (a driver lib, the manager app). */
export interface Scope {
  /** Absolute folder, forward slashes, no trailing slash. */
  dir: string;
  /** Source files of the scope (for the implementation index). */
  files: readonly ts.SourceFile[];
}

export function inScope(scope: Scope, node: ts.Node): boolean {
  return node.getSourceFile().fileName.startsWith(`${scope.dir}/`);
}

/** A body to analyse: a function, or a module-level statement. */
export type Body = FunctionNode | ts.Statement;

export interface LegacyUse {
  /** The call (or the reference, for a method used as a value). */
  node: ts.Node;
  kind: 'call' | 'reference';
  /** The `@legacy` declarations it resolves to. */
  roots: readonly ts.Node[];
}

interface Facts {
  uses: LegacyUse[];
  edges: { target: Body; site: ts.Node }[];
}

export interface ReachedUse extends LegacyUse {
  /** Bodies from the root to the one containing the use (root first). */
  chain: Body[];
}

type MemberLike = ts.MethodDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration | ts.PropertyDeclaration;

/**
 * Which `@legacy` uses a function reaches through calls (and function references) into
 * functions of the same scope. Everything resolved through the type checker: `this.` methods,
 * helpers in other files, methods of other classes, implementations of interface members
 * declared in or used by the scope, function values held in variables and properties.
 */
export class Reachability {
  private readonly facts = new Map<Body, Facts>();
  private readonly members = new Map<string, MemberLike[]>();

  constructor(
    private readonly graph: DeclarationGraph,
    private readonly scope: Scope,
  ) {
    for (const sf of scope.files) {
      const visit = (node: ts.Node): void => {
        if (ts.isClassLike(node)) {
          for (const m of node.members) {
            const name = declarationName(m);
            if (name === undefined) continue;
            if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m) || ts.isPropertyDeclaration(m)) {
              const list = this.members.get(name) ?? [];
              list.push(m);
              this.members.set(name, list);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }

  private get checker(): ts.TypeChecker {
    return this.graph.checker;
  }

  /** Bodies in scope that a use of `decl` may run. */
  private bodiesOf(decl: ts.Node): Body[] {
    const out: Body[] = [];
    const own = (d: ts.Node): void => {
      if (!inScope(this.scope, d)) return;
      if (isFunctionNode(d) && d.body !== undefined) out.push(d);
      else if (
        (ts.isVariableDeclaration(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d)) &&
        d.initializer !== undefined &&
        (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))
      ) {
        out.push(d.initializer);
      } else if (ts.isClassLike(d)) {
        for (const m of d.members) if (ts.isConstructorDeclaration(m) && m.body !== undefined) out.push(m);
      }
    };
    own(decl);
    // Dynamic dispatch: implementations and overrides of this member inside the scope.
    const name = declarationName(decl);
    const container = decl.parent;
    if (
      name !== undefined &&
      container !== undefined &&
      (ts.isClassLike(container) || ts.isInterfaceDeclaration(container) || ts.isTypeLiteralNode(container))
    ) {
      for (const m of this.members.get(name) ?? []) {
        if (m !== decl && this.graph.overridden(m).includes(decl)) own(m);
      }
    }
    return out;
  }

  private factsOf(body: Body): Facts {
    const memo = this.facts.get(body);
    if (memo !== undefined) return memo;
    const facts: Facts = { uses: [], edges: [] };
    this.facts.set(body, facts);
    const callees = new Set<ts.Node>();
    const seenTargets = new Set<Body>();

    const use = (node: ts.Node, call: ts.CallExpression | ts.NewExpression | undefined): void => {
      const decls = this.graph.targets(node, call);
      if (decls.length === 0) return;
      const roots = this.graph.legacyRootsOf(decls);
      if (roots.length > 0) {
        facts.uses.push({ node: call ?? node, kind: call === undefined ? 'reference' : 'call', roots });
        return;
      }
      for (const d of decls) {
        for (const target of this.bodiesOf(d)) {
          if (target === body || seenTargets.has(target)) continue;
          seenTargets.add(target);
          facts.edges.push({ target, site: call ?? node });
        }
      }
    };

    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        callees.add(node.expression);
        use(node.expression, node);
      } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
        if (!callees.has(node)) use(node, undefined);
        ts.forEachChild(node, (child) => {
          if (ts.isPropertyAccessExpression(node) && child === node.name) return;
          visit(child);
        });
        return;
      } else if (ts.isIdentifier(node)) {
        if (!callees.has(node) && !isDeclarationName(node)) use(node, undefined);
        return;
      } else if (ts.isShorthandPropertyAssignment(node)) {
        use(node, undefined);
        return;
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        use(node, undefined); // `const { instanceUpdate } = virtApi` takes the method out
        if (node.initializer !== undefined) visit(node.initializer);
        if (!ts.isIdentifier(node.name)) visit(node.name);
        return;
      }
      ts.forEachChild(node, visit);
    };

    if (isFunctionNode(body)) {
      for (const p of body.parameters) if (p.initializer !== undefined) visit(p.initializer);
      if (body.body !== undefined) visit(body.body);
    } else {
      visit(body);
    }
    return facts;
  }

  /**
   * Legacy uses reachable from `root`, each with the shortest chain of bodies leading to it.
   * `maxDepth` bounds how many calls away from the root the search goes (0: the root only).
   */
  reach(root: Body, maxDepth = Number.POSITIVE_INFINITY): ReachedUse[] {
    const parent = new Map<Body, Body | undefined>([[root, undefined]]);
    const found = new Map<ts.Node, ReachedUse>();
    let frontier: Body[] = [root];
    for (let depth = 0; frontier.length > 0; depth++) {
      const next: Body[] = [];
      for (const body of frontier) {
        const facts = this.factsOf(body);
        for (const u of facts.uses) {
          if (found.has(u.node)) continue;
          const chain: Body[] = [];
          for (let b: Body | undefined = body; b !== undefined; b = parent.get(b)) chain.unshift(b);
          found.set(u.node, { ...u, chain });
        }
        if (depth >= maxDepth) continue;
        for (const e of facts.edges) {
          if (parent.has(e.target)) continue;
          parent.set(e.target, body);
          next.push(e.target);
        }
      }
      frontier = next;
    }
    return [...found.values()];
  }
}
