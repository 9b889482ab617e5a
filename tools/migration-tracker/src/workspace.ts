import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Problem } from './model.js';

export interface PackageManifest {
  name?: string;
  exports?: unknown;
  main?: string;
  types?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** npm name (`@novakit/virt-fake`), or the folder when package.json has none. */
  name: string;
  /** Absolute folder. */
  dir: string;
  /** Folder relative to the root (`libs/virt-fake`). */
  relDir: string;
  group: 'libs' | 'apps' | 'tools';
  /** Last path segment (`virt-fake`). */
  folder: string;
  manifest: PackageManifest;
}

export interface Workspace {
  root: string;
  packages: WorkspacePackage[];
  program: ts.Program;
  /** Program source files that belong to the workspace packages (no lib or node_modules files). */
  sourceFiles: ts.SourceFile[];
  problems: Problem[];
}

const GROUPS = ['libs', 'apps', 'tools'] as const;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.nx', '__tests__', 'fixtures']);
const SELF_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Lists `libs/*`, `apps/*` and `tools/*` folders that hold a package.json. */
export function listPackages(root: string): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const group of GROUPS) {
    const groupDir = path.join(root, group);
    if (!fs.existsSync(groupDir)) continue;
    for (const entry of fs.readdirSync(groupDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(groupDir, entry.name);
      const manifestPath = path.join(dir, 'package.json');
      if (!fs.existsSync(manifestPath)) continue;
      let manifest: PackageManifest;
      try {
        manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as PackageManifest;
      } catch {
        manifest = {};
      }
      packages.push({
        name: manifest.name ?? entry.name,
        dir,
        relDir: `${group}/${entry.name}`,
        group,
        folder: entry.name,
        manifest,
      });
    }
  }
  return packages;
}

export function dependsOn(pkg: WorkspacePackage, name: string): boolean {
  const m = pkg.manifest;
  return [m.dependencies, m.devDependencies, m.peerDependencies].some((deps) => deps !== undefined && name in deps);
}

function isSourceFile(name: string): boolean {
  if (!/\.(c|m)?ts$/.test(name) || name.endsWith('.d.ts')) return false;
  return !/\.(test|spec)\.(c|m)?ts$/.test(name);
}

/** Production sources of a package: `src/**` minus tests. */
export function listSources(pkg: WorkspacePackage): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (isSourceFile(entry.name)) {
        out.push(path.join(dir, entry.name));
      }
    }
  };
  walk(path.join(pkg.dir, 'src'));
  return out.sort();
}

/** Reads `tsconfig.base.json` and forces what a read-only scan needs. */
export function compilerOptionsFor(root: string, problems: Problem[]): ts.CompilerOptions {
  const configPath = path.join(root, 'tsconfig.base.json');
  let options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
  };
  if (fs.existsSync(configPath)) {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error) {
      problems.push({ severity: 'warning', code: 'tsconfig', message: `cannot read tsconfig.base.json: ${flatten(read.error)}` });
    } else {
      const parsed = ts.parseJsonConfigFileContent({ ...read.config, files: [], include: [] }, ts.sys, root, undefined, configPath);
      options = parsed.options;
    }
  } else {
    problems.push({ severity: 'warning', code: 'tsconfig', message: 'no tsconfig.base.json at the root: using NodeNext defaults' });
  }
  const conditions = new Set(options.customConditions ?? []);
  conditions.add('development');
  return {
    ...options,
    customConditions: [...conditions],
    noEmit: true,
    skipLibCheck: true,
    incremental: false,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    tsBuildInfoFile: undefined,
  };
}

function flatten(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

/** The file a workspace package exports for `subpath`, preferring the `development` condition. */
export function exportTarget(pkg: WorkspacePackage, subpath: string): string | undefined {
  const pick = (entry: unknown): string | undefined => {
    if (typeof entry === 'string') return entry;
    if (entry === null || typeof entry !== 'object') return undefined;
    const conditions = entry as Record<string, unknown>;
    for (const key of ['development', 'types', 'import', 'default']) {
      const target = pick(conditions[key]);
      if (target !== undefined) return target;
    }
    return undefined;
  };
  const exportsField = pkg.manifest.exports;
  let target: string | undefined;
  if (exportsField !== undefined) {
    const isMap = typeof exportsField === 'object' && exportsField !== null && Object.keys(exportsField).some((k) => k.startsWith('.'));
    target = isMap ? pick((exportsField as Record<string, unknown>)[subpath]) : subpath === '.' ? pick(exportsField) : undefined;
  } else if (subpath === '.') {
    target = pkg.manifest.types ?? pkg.manifest.main ?? './src/index.ts';
  } else {
    target = `${subpath}.ts`;
  }
  if (target === undefined) return undefined;
  const abs = path.resolve(pkg.dir, target);
  for (const candidate of [abs, abs.replace(/\.(c|m)?js$/, '.$1ts'), abs.replace(/\.d\.ts$/, '.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function splitSpecifier(spec: string): { pkgName: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { pkgName: parts.slice(0, n).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/**
 * Builds one program over every workspace package's sources. Imports of workspace packages
 * resolve to their `development` export inside the scanned root (before node_modules), so a
 * scan of a fixture never leaks into the enclosing repo and a missing workspace symlink does
 * not silently turn a lib into `any`.
 */
export function loadWorkspace(rootArg: string): Workspace {
  const root = fs.realpathSync(rootArg);
  const problems: Problem[] = [];
  const options = compilerOptionsFor(root, problems);
  const packages = listPackages(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const rootNames = packages.filter((p) => path.resolve(p.dir) !== SELF_DIR).flatMap(listSources);

  const host = ts.createCompilerHost(options, true);
  // JSDoc (the @legacy tags) matters in workspace sources only; skipping it in lib and
  // node_modules declaration files saves a good part of the parse time.
  const getSourceFile = host.getSourceFile.bind(host);
  const workspacePrefix = `${toPosix(root)}/`;
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const ownCode = fileName.startsWith(workspacePrefix) && !fileName.includes('/node_modules/') && !fileName.endsWith('.d.ts');
    const opts: ts.CreateSourceFileOptions =
      typeof languageVersionOrOptions === 'object' ? { ...languageVersionOrOptions } : { languageVersion: languageVersionOrOptions };
    opts.jsDocParsingMode = ownCode ? ts.JSDocParsingMode.ParseAll : ts.JSDocParsingMode.ParseNone;
    return getSourceFile(fileName, opts, onError, shouldCreate);
  };
  const cache = ts.createModuleResolutionCache(root, (s) => s, options);
  const unresolved = new Set<string>();
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((literal) => {
      const spec = literal.text;
      const { pkgName, subpath } = splitSpecifier(spec);
      const pkg = spec.startsWith('.') ? undefined : byName.get(pkgName);
      if (pkg !== undefined) {
        const target = exportTarget(pkg, subpath);
        if (target !== undefined) {
          return { resolvedModule: { resolvedFileName: target, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
        }
      }
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
      const result = ts.resolveModuleName(spec, containingFile, opts, host, cache, redirected, mode);
      if (result.resolvedModule === undefined && (spec.startsWith('.') || pkg !== undefined) && containingFile.startsWith(root)) {
        unresolved.add(`${toPosix(path.relative(root, containingFile))}: ${spec}`);
      }
      return result;
    });

  const program = ts.createProgram({ rootNames, options, host });
  const sourceFiles = program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && sf.fileName.startsWith(`${toPosix(root)}/`) && !sf.fileName.includes('/node_modules/'));
  for (const u of [...unresolved].sort()) {
    problems.push({ severity: 'warning', code: 'unresolved-import', message: `unresolved import ${u} (its uses are invisible to the tracker)` });
  }
  return { root, packages, program, sourceFiles, problems };
}
