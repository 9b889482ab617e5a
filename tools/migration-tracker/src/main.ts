import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MANAGER_DEPTH } from './manager.js';
import { renderJson, renderMarkdown, renderText } from './report.js';
import { hasErrors, scanRepository } from './scan.js';
import { STATUS_FILE, checkStatus, formatCheck, readStatus, serializeStatus, statusFromReport } from './status.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export const USAGE = `Usage: npm run migration-status [-- options]

Per work item, whether the compute manager and every driver lib are converted from
LegacyInstanceDict to Instance objects, with the evidence, and the remaining callers
of every @legacy method.

  (no option)          print the matrix, the evidence and the legacy-method census
  --json               print the report as one JSON object
  --markdown [file]    print the report as Markdown, or write it to file
  --check              compare with ${STATUS_FILE}; exit 1 on a regression
                       (converted → legacy), a stale file or a missing contract
  --write              regenerate ${STATUS_FILE}
  --root <dir>         repository to scan (default: the one holding this tool)
  --status <file>      status file (default: <root>/${STATUS_FILE})
  --manager-depth <n>  how many calls away from a driver call the manager check
                       follows the app's own functions (default ${DEFAULT_MANAGER_DEPTH})
  --help               this text
`;

interface Args {
  mode: 'text' | 'json' | 'markdown' | 'check' | 'write' | 'help';
  markdownFile?: string;
  root: string;
  status?: string;
  managerDepth: number;
}

const DEFAULT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { mode: 'text', root: DEFAULT_ROOT, managerDepth: DEFAULT_MANAGER_DEPTH };
  const modes = new Set<Args['mode']>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return undefined;
      i++;
      return v;
    };
    switch (a) {
      case '--json':
      case '--check':
      case '--write':
      case '--help':
        modes.add(a.slice(2) as Args['mode']);
        break;
      case '-h':
        modes.add('help');
        break;
      case '--markdown':
        modes.add('markdown');
        args.markdownFile = value();
        break;
      case '--root': {
        const v = value();
        if (v === undefined) return '--root needs a directory';
        args.root = path.resolve(v);
        break;
      }
      case '--status': {
        const v = value();
        if (v === undefined) return '--status needs a file';
        args.status = path.resolve(v);
        break;
      }
      case '--manager-depth': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0) return '--manager-depth needs a non-negative integer';
        args.managerDepth = v;
        break;
      }
      default:
        return `unknown option ${a}`;
    }
  }
  if (modes.size > 1) return `choose one of ${[...modes].map((m) => `--${m}`).join(', ')}`;
  args.mode = [...modes][0] ?? 'text';
  return args;
}

/** The CLI, callable from tests. Returns the exit code. */
export function run(argv: readonly string[], io: Io = processIo): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`migration-status: ${args}\n\n${USAGE}`);
    return 2;
  }
  if (args.mode === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (!fs.existsSync(args.root)) {
    io.stderr(`migration-status: no such directory ${args.root}\n`);
    return 2;
  }
  const report = scanRepository({ root: args.root, managerDepth: args.managerDepth });
  const statusPath = args.status ?? path.join(report.root, STATUS_FILE);
  const shownStatus = path.relative(report.root, statusPath).split(path.sep).join('/');
  switch (args.mode) {
    case 'json':
      io.stdout(renderJson(report));
      return 0;
    case 'markdown': {
      const md = renderMarkdown(report);
      if (args.markdownFile === undefined) {
        io.stdout(md);
      } else {
        fs.writeFileSync(args.markdownFile, md);
        io.stdout(`migration-status: wrote ${args.markdownFile}\n`);
      }
      return 0;
    }
    case 'write': {
      if (hasErrors(report)) {
        io.stderr(renderText(report));
        io.stderr(`migration-status: not writing ${shownStatus}: the status cannot be computed (errors above)\n`);
        return 1;
      }
      fs.mkdirSync(path.dirname(statusPath), { recursive: true });
      fs.writeFileSync(statusPath, serializeStatus(statusFromReport(report)));
      const summary = report.totals.map((t) => `${t.component} ${t.converted}/${t.total}`).join(', ');
      io.stdout(`migration-status: wrote ${shownStatus} (${summary})\n`);
      return 0;
    }
    case 'check': {
      const read = readStatus(statusPath);
      const result = checkStatus(report, read.status, read.error === undefined ? undefined : `${read.error.replace(statusPath, shownStatus)}`);
      (result.ok ? io.stdout : io.stderr)(formatCheck(result, shownStatus));
      return result.ok ? 0 : 1;
    }
    default:
      io.stdout(renderText(report));
      return 0;
  }
}
