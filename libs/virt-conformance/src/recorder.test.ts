import { describe, expect, it } from 'vitest';
import { buildReport, coverageOf, CoverageRecorder, type CaseResult } from './recorder.js';

const result = (over: Partial<CaseResult>): CaseResult => ({ title: 't', covers: ['getInfo'], status: 'passed', calls: {}, ...over });

describe('coverage of a method', () => {
  it('is exercised when a passing case called it, whatever the call returned', () => {
    expect(coverageOf('getInfo', [result({ calls: { getInfo: ['error'] } })]).status).toBe('exercised');
    expect(coverageOf('getInfo', [result({ calls: { getInfo: ['ok'] } })]).status).toBe('exercised');
  });

  it('is not supported when its only calls threw NotSupportedError', () => {
    expect(coverageOf('getInfo', [result({ calls: { getInfo: ['not-supported', 'not-supported'] } })]).status).toBe('not supported');
  });

  it('is not exercised when covering cases never called it or were skipped, with the reason noted', () => {
    const c = coverageOf('getInfo', [result({ title: 'a' }), result({ title: 'b', status: 'skipped', reason: 'no migration' })]);
    expect(c.status).toBe('not exercised');
    expect(c.notes).toEqual(['a: not called', 'b: skipped (no migration)']);
  });

  it('is failed when any covering case failed, even if another exercised it', () => {
    const c = coverageOf('getInfo', [result({ title: 'a', calls: { getInfo: ['ok'] } }), result({ title: 'b', status: 'failed', reason: 'boom' })]);
    expect(c).toEqual({ status: 'failed', cases: ['a', 'b'], notes: ['b: boom'] });
  });

  it('ignores calls made by cases that do not cover the method', () => {
    expect(coverageOf('spawn', [result({ calls: { spawn: ['ok'] } })]).status).toBe('not exercised');
  });
});

describe('the report', () => {
  it('has every contract method and work item, with totals', () => {
    const recorder = new CoverageRecorder();
    const r = recorder.begin('spawns', ['spawn', 'getInfo']);
    r.record('spawn', 'ok');
    r.record('getInfo', 'ok');
    r.finish('passed');
    const report = buildReport('x', null, recorder.cases, new Date(0));
    expect(report.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(report.methods.spawn.status).toBe('exercised');
    expect(report.workItems.get_info).toMatchObject({ method: 'getInfo', status: 'exercised' });
    expect(report.workItems.destroy.status).toBe('not exercised');
    expect(report.summary.workItems.exercised).toBe(1);
    expect(report.summary.workItems['not exercised']).toBe(24);
    expect(report.summary.cases).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });

  it('stops recording once a case finished, and adds methods covered at run time', () => {
    const recorder = new CoverageRecorder();
    const r = recorder.begin('late', []);
    r.cover(['pause']);
    r.record('pause', 'not-supported');
    r.finish('passed');
    r.record('pause', 'ok');
    expect(recorder.cases[0]).toMatchObject({ covers: ['pause'], calls: { pause: ['not-supported'] } });
  });
});
