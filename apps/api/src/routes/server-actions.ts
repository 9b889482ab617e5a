// POST /v2.1/servers/{id}/action (one action key per body, each with its own schema) and
// GET /v2.1/servers/{id}/diagnostics.
import { z } from 'zod';
import { changeSecurityGroup, consoleOutput, diagnostics, liveMigrate, reboot, taskAction, type TaskActionName } from '../compute/actions.js';
import { InvalidInput } from '../errors.js';
import { requireAdmin, type Identity } from '../http/auth.js';
import { route, type AnyRoute } from '../http/route.js';
import { parseOrThrow } from '../http/zod-problems.js';
import { ServerParams } from '../schemas/common.js';
import { ACTION_BODY_SCHEMAS, ConsoleOutputSchema, DiagnosticsSchema, type ServerActionName } from '../schemas/servers.js';
import type { RouteDeps } from './services-bag.js';

/** The action body: a JSON object with exactly one key, the action's name. */
const ActionEnvelopeSchema = z.record(z.string(), z.unknown()).refine((b) => Object.keys(b).length === 1, 'exactly one action per request');

const ADMIN_ACTIONS: ReadonlySet<string> = new Set(['os-migrateLive']);

function actionOf(body: Record<string, unknown>, identity: Identity): { name: ServerActionName; args: unknown } {
  const [name] = Object.keys(body) as [string];
  if (!Object.prototype.hasOwnProperty.call(ACTION_BODY_SCHEMAS, name)) {
    throw new InvalidInput({ field: name, problem: `unknown action; one of ${Object.keys(ACTION_BODY_SCHEMAS).join(', ')}` });
  }
  if (ADMIN_ACTIONS.has(name)) requireAdmin(identity, `os_compute_api:${name}`);
  return { name: name as ServerActionName, args: parseOrThrow(ACTION_BODY_SCHEMAS[name as ServerActionName], body[name], name) };
}

export function serverActionRoutes({ backend }: RouteDeps): AnyRoute[] {
  return [
    route({
      method: 'POST',
      url: '/v2.1/servers/:server_id/action',
      action: 'compute:server_action',
      params: ServerParams,
      body: ActionEnvelopeSchema,
      status: 202,
      statusOf: (result) => (result === undefined ? 202 : 200),
      response: ConsoleOutputSchema.optional(),
      handler: async ({ ctx, params, body, identity }) => {
        const { name, args } = actionOf(body, identity);
        const id = params.server_id;
        switch (name) {
          case 'os-getConsoleOutput':
            return { output: await consoleOutput(backend, ctx, id, (args as { length?: number | null }).length) };
          case 'reboot':
            await reboot(backend, ctx, id, (args as { type: 'SOFT' | 'HARD' }).type);
            return undefined;
          case 'os-migrateLive':
            await liveMigrate(backend, ctx, id, args as never);
            return undefined;
          case 'addSecurityGroup':
          case 'removeSecurityGroup':
            await changeSecurityGroup(backend, ctx, id, (args as { name: string }).name, name === 'addSecurityGroup');
            return undefined;
          default:
            await taskAction(backend, ctx, id, name as TaskActionName);
            return undefined;
        }
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id/diagnostics',
      action: 'os_compute_api:os-server-diagnostics',
      admin: true,
      params: ServerParams,
      status: 200,
      response: DiagnosticsSchema,
      handler: async ({ ctx, params }) => diagnostics(backend, ctx, params.server_id),
    }),
  ];
}
