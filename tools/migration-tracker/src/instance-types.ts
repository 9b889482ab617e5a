import ts from 'typescript';
import { resolveAlias } from './ts-util.js';

/** What a value's type says about the instance it carries. */
export type InstanceKind = 'legacy' | 'object' | 'any' | 'other';

/** Where a signature carries the instance: a positional parameter, or a property of one. */
export interface InstanceSlot {
  index: number;
  /** Name of the parameter (for messages). */
  parameter: string;
  /** Set when the instance is a property of an options-object parameter. */
  property?: string;
  /** Set when the instance is a parameter of a callback (`postMethod(ctx, instance, …)`). */
  callbackParameter?: string;
  kind: 'legacy' | 'object';
  /** The parameter or property declaration (for evidence). */
  node: ts.Node;
  /** The parameter itself. */
  parameterNode: ts.ParameterDeclaration;
}

/**
 * Tells `LegacyInstanceDict` (the branded dict of `@novakit/virt-driver`) from the `Instance`
 * object type of `@novakit/objects`, by symbol identity first and assignability second (so
 * `Readonly<…>`, subtypes and aliases of either are recognised too).
 */
export class InstanceTypes {
  private readonly legacyType: ts.Type | undefined;
  private readonly instanceType: ts.Type | undefined;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly legacySymbol: ts.Symbol | undefined,
    private readonly instanceSymbol: ts.Symbol | undefined,
  ) {
    this.legacyType = legacySymbol === undefined ? undefined : checker.getDeclaredTypeOfSymbol(legacySymbol);
    this.instanceType = instanceSymbol === undefined ? undefined : checker.getDeclaredTypeOfSymbol(instanceSymbol);
  }

  get canTellObjects(): boolean {
    return this.instanceType !== undefined;
  }

  private named(type: ts.Type, symbol: ts.Symbol | undefined): boolean {
    return symbol !== undefined && (resolveAlias(this.checker, type.aliasSymbol) === symbol || resolveAlias(this.checker, type.getSymbol()) === symbol);
  }

  private readonly requiredMemo = new Map<ts.Type, ts.__String[]>();

  /** Names of the required properties of `target`: a type lacking one cannot be assignable. */
  private required(target: ts.Type): ts.__String[] {
    let names = this.requiredMemo.get(target);
    if (names === undefined) {
      names = this.checker
        .getPropertiesOfType(target)
        .filter((p) => !(p.flags & ts.SymbolFlags.Optional))
        .map((p) => p.escapedName);
      this.requiredMemo.set(target, names);
    }
    return names;
  }

  private assignable(type: ts.Type, declared: ts.Type | undefined): boolean {
    if (declared === undefined || type.flags & (ts.TypeFlags.Never | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
    // Cheap necessary condition first: full assignability against a large object type is the
    // most expensive query of a scan.
    if (!(type.flags & ts.TypeFlags.Object) && !(type.flags & ts.TypeFlags.Intersection)) return false;
    const present = new Set(this.checker.getPropertiesOfType(type).map((p) => p.escapedName));
    for (const name of this.required(declared)) if (!present.has(name)) return false;
    return this.checker.isTypeAssignableTo(type, declared);
  }

  classify(typeArg: ts.Type, depth = 0): InstanceKind {
    let type = typeArg;
    if (type.flags & ts.TypeFlags.Any) return 'any';
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      if (constraint === undefined || constraint === type) return 'other';
      type = constraint;
    }
    type = this.checker.getNonNullableType(type);
    if (type.isUnion()) {
      const kinds = type.types.map((t) => this.classify(t, depth));
      if (kinds.includes('legacy')) return 'legacy';
      if (kinds.includes('any')) return 'any';
      return kinds.includes('object') ? 'object' : 'other';
    }
    if (this.named(type, this.legacySymbol)) return 'legacy';
    if (this.named(type, this.instanceSymbol)) return 'object';
    // Instance has required members (save(), …) a dict lacks, so test it first: a weakly
    // branded dict type could otherwise accept an Instance.
    if (this.assignable(type, this.instanceType)) return 'object';
    if (this.assignable(type, this.legacyType)) return 'legacy';
    if (depth === 0 && this.checker.isArrayType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      if (element !== undefined) return this.classify(element, depth + 1);
    }
    return 'other';
  }

  /**
   * The instance slots of a function-like declaration: each parameter whose type is the legacy
   * dict or the object, or, for an options-object parameter, each such property of it.
   */
  slots(decl: ts.SignatureDeclaration): InstanceSlot[] {
    const out: InstanceSlot[] = [];
    const inProgram = (node: ts.Node | undefined, fallback: ts.Node): ts.Node =>
      node !== undefined && !node.getSourceFile().isDeclarationFile ? node : fallback;
    /** Legacy parameters of a function type: a callback the driver calls with a dict. */
    const callbackSlots = (type: ts.Type, base: Omit<InstanceSlot, 'kind' | 'node' | 'callbackParameter'>): void => {
      for (const sig of this.checker.getNonNullableType(type).getCallSignatures()) {
        for (const p of sig.getParameters()) {
          const pDecl = p.valueDeclaration ?? p.declarations?.[0];
          if (this.classify(this.checker.getTypeOfSymbolAtLocation(p, pDecl ?? decl)) === 'legacy') {
            out.push({ ...base, callbackParameter: p.name, kind: 'legacy', node: inProgram(pDecl, base.parameterNode) });
          }
        }
      }
    };
    decl.parameters.forEach((param, index) => {
      if (param.dotDotDotToken !== undefined) return;
      const parameter = ts.isIdentifier(param.name) ? param.name.text : `#${index}`;
      const type = this.checker.getTypeAtLocation(param);
      const kind = this.classify(type);
      if (kind === 'legacy' || kind === 'object') {
        out.push({ index, parameter, kind, node: param, parameterNode: param });
        return;
      }
      if (kind === 'any') return;
      const plain = this.checker.getNonNullableType(type);
      if (plain.getCallSignatures().length > 0) {
        callbackSlots(plain, { index, parameter, parameterNode: param });
        return;
      }
      if (!(plain.flags & ts.TypeFlags.Object) || this.checker.isArrayType(plain)) return;
      for (const prop of this.checker.getPropertiesOfType(plain)) {
        const propType = this.checker.getTypeOfSymbolAtLocation(prop, param);
        const propKind = this.classify(propType);
        const propDecl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (propKind === 'legacy' || propKind === 'object') {
          out.push({ index, parameter, property: prop.name, kind: propKind, node: inProgram(propDecl, param), parameterNode: param });
        } else if (propKind === 'other') {
          callbackSlots(propType, { index, parameter, property: prop.name, parameterNode: param });
        }
      }
    });
    return out;
  }
}
