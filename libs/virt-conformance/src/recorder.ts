import { WORK_ITEMS, type DriverCapabilities, type DriverMethodName, type WorkItemName } from '@novakit/virt-driver';
import { CONTRACT_METHODS } from './methods.js';

/** How one call ended: returned, threw NotSupportedError, or threw anything else. */
export type CallOutcome = 'ok' | 'not-supported' | 'error';
export type CaseStatus = 'passed' | 'failed' | 'skipped';
export type CoverageStatus = 'exercised' | 'not supported' | 'failed' | 'not exercised';

export interface CaseResult {
  readonly title: string;
  readonly covers: readonly DriverMethodName[];
  readonly status: CaseStatus;
  /** The failure message or the reason for skipping. */
  readonly reason?: string;
  readonly calls: Readonly<Partial<Record<DriverMethodName, readonly CallOutcome[]>>>;
}

export interface Coverage {
  readonly status: CoverageStatus;
  /** Cases that assert on the method. */
  readonly cases: readonly string[];
  readonly notes: readonly string[];
}

export interface ConformanceReport {
  readonly driver: string;
  readonly generatedAt: string;
  readonly capabilities: DriverCapabilities | null;
  readonly methods: Readonly<Record<DriverMethodName, Coverage>>;
  readonly workItems: Readonly<Record<WorkItemName, Coverage & { readonly method: DriverMethodName }>>;
  readonly cases: readonly CaseResult[];
  readonly summary: {
    readonly methods: Readonly<Record<CoverageStatus, number>>;
    readonly workItems: Readonly<Record<CoverageStatus, number>>;
    readonly cases: Readonly<Record<CaseStatus, number>>;
  };
}

const RANK: Readonly<Record<CoverageStatus, number>> = { failed: 3, exercised: 2, 'not supported': 1, 'not exercised': 0 };

/**
 * A method's status from the cases that cover it: failed if any such case failed; exercised if
 * a passing case called it (returning or raising the error the case asserted); not supported
 * if its only calls threw NotSupportedError; otherwise not exercised.
 */
export function coverageOf(method: DriverMethodName, cases: readonly CaseResult[]): Coverage {
  let status: CoverageStatus = 'not exercised';
  const titles: string[] = [];
  const notes: string[] = [];
  for (const c of cases) {
    if (!c.covers.includes(method)) continue;
    titles.push(c.title);
    const outcomes = c.calls[method] ?? [];
    let here: CoverageStatus;
    if (c.status === 'failed') {
      here = 'failed';
      notes.push(`${c.title}: ${c.reason ?? 'failed'}`);
    } else if (c.status === 'skipped') {
      here = 'not exercised';
      notes.push(`${c.title}: skipped (${c.reason ?? 'no reason'})`);
    } else if (outcomes.some((o) => o !== 'not-supported')) here = 'exercised';
    else if (outcomes.length > 0) here = 'not supported';
    else {
      here = 'not exercised';
      notes.push(`${c.title}: not called`);
    }
    if (RANK[here] > RANK[status]) status = here;
  }
  return { status, cases: titles, notes };
}

function count<S extends string>(statuses: readonly S[], keys: readonly S[]): Record<S, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<S, number>;
  for (const s of statuses) out[s]++;
  return out;
}

export function buildReport(driver: string, capabilities: DriverCapabilities | null, cases: readonly CaseResult[], now = new Date()): ConformanceReport {
  const methods = Object.fromEntries(CONTRACT_METHODS.map((m) => [m, coverageOf(m, cases)])) as Record<DriverMethodName, Coverage>;
  const workItems = Object.fromEntries(WORK_ITEMS.map((w) => [w.name, { method: w.method, ...methods[w.method] }])) as ConformanceReport['workItems'];
  const coverageKeys = Object.keys(RANK) as CoverageStatus[];
  return {
    driver,
    generatedAt: now.toISOString(),
    capabilities,
    methods,
    workItems,
    cases,
    summary: {
      methods: count(Object.values(methods).map((c) => c.status), coverageKeys),
      workItems: count(Object.values(workItems).map((c) => c.status), coverageKeys),
      cases: count(cases.map((c) => c.status), ['passed', 'failed', 'skipped'] as CaseStatus[]),
    },
  };
}

/** Collects what each case called while it ran. */
export class CoverageRecorder {
  readonly cases: CaseResult[] = [];
  capabilities: DriverCapabilities | null = null;

  begin(title: string, covers: readonly DriverMethodName[]): CaseRecording {
    return new CaseRecording(title, covers, (result) => this.cases.push(result));
  }
}

export class CaseRecording {
  private readonly calls: Partial<Record<DriverMethodName, CallOutcome[]>> = {};
  private readonly extra = new Set<DriverMethodName>();
  active = true;

  constructor(
    readonly title: string,
    private readonly covers: readonly DriverMethodName[],
    private readonly done: (result: CaseResult) => void,
  ) {}

  record(method: DriverMethodName, outcome: CallOutcome): void {
    if (this.active) (this.calls[method] ??= []).push(outcome);
  }

  /** Methods a case learns it covers only at run time (those of the driver's missing capabilities). */
  cover(methods: readonly DriverMethodName[]): void {
    for (const m of methods) this.extra.add(m);
  }

  finish(status: CaseStatus, reason?: string): void {
    this.active = false;
    const covers = [...new Set([...this.covers, ...this.extra])];
    this.done({ title: this.title, covers, status, ...(reason !== undefined ? { reason } : {}), calls: this.calls });
  }
}
