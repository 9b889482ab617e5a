// Every route of the API is called through HTTP by some suite in this folder: the route table
// is compared with the requests the suites make (method and path), so a route added without a
// test fails here.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../src/routes/index.js';
import type { RouteDeps } from '../src/routes/services-bag.js';

async function requestsInSuites(): Promise<{ method: string; path: string }[]> {
  const dir = new URL('./', import.meta.url);
  const out: { method: string; path: string }[] = [];
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.test.ts') || file === 'routes-covered.test.ts') continue;
    const text = await readFile(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/http\(node, '(GET|POST|PUT|DELETE)', [`'"]([^`'"]+)[`'"]/g)) out.push({ method: m[1]!, path: m[2]!.split('?')[0]! });
  }
  return out;
}

function pattern(url: string): RegExp {
  const body = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}$`);
}

describe('route coverage', () => {
  it('every route is requested by a suite', async () => {
    const routes = allRoutes({} as RouteDeps);
    const requests = await requestsInSuites();
    const missing = routes.filter((r) => !requests.some((q) => q.method === r.method && pattern(r.url).test(q.path))).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    expect(routes.length).toBe(38);
  });

  it('every route declares its action, status and response schema', () => {
    for (const r of allRoutes({} as RouteDeps)) {
      expect(r.action, r.url).toBeTruthy();
      expect([200, 202, 204]).toContain(r.status);
      if (r.status === 204) expect(r.response).toBeNull();
    }
  });
});
