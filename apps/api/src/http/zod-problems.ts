// zod issues as the one InvalidInput a client gets: the first problem, with the field's
// dotted path (`server.networks[0].uuid`) and what was wrong with it in plain words.
import type { z } from 'zod';
import { InvalidInput } from '../errors.js';

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out = typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p);
  return out || '(body)';
}

function problemOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_type':
      return issue.message.replace(/^Invalid input: /, '');
    default:
      return issue.message;
  }
}

/**
 * For a union (`networks`: a list or `auto`/`none`), the branch that got furthest into the
 * value says best what is wrong: its deepest issue, with the full path.
 */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  let best: z.core.$ZodIssue | null = null;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const candidate = deepest({ ...sub, path: [...issue.path, ...sub.path] } as z.core.$ZodIssue);
      if (!best || candidate.path.length > best.path.length) best = candidate;
    }
  }
  return best && best.path.length > issue.path.length ? best : issue;
}

/** The InvalidInput for a failed parse; `where` prefixes the path (`query`, a body's root key). */
export function invalidInput(error: z.ZodError, where = ''): InvalidInput {
  const issue = deepest(error.issues[0]!);
  return new InvalidInput({ field: pathOf(where, issue.path), problem: problemOf(issue) });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, where);
  return result.data;
}
