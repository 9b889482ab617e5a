// The legacy raw methods (CONDUCTOR_API 1.0), served straight from libs/db: each maps to the
// DB API function of the same name, with Nova's conductor rules (the instance_update
// whitelist, expected_task_state inside `updates`) and rows returned as plain dicts.
import {
  InstanceUpdateKeyNotAllowed,
  LEGACY_METHOD_ARGS,
  type LegacyMethodArgs,
  type LegacySecurityGroup,
} from '@novakit/conductor-api';
import { DEFAULT_INSTANCE_JOINS, INSTANCE_UPDATE_ALLOWED_KEYS, type DbApi, type DbContext, type ExpectedState, type InstanceJoin } from '@novakit/db';
import type { RequestContext } from '@novakit/objects';
import { InvalidArguments, withArgs, type EndpointMethod } from '@novakit/rpc';
import { legacyInstance, toLegacy } from './legacy-dicts.js';

type Args<M extends keyof LegacyMethodArgs> = LegacyMethodArgs[M];
type Values = Record<string, never>;

const dbContext = (ctx: RequestContext): DbContext => ({ readDeleted: ctx.read_deleted });

/** Nova's conductor whitelist, checked before the row is touched. */
function checkUpdateKeys(uuid: string, updates: Record<string, unknown>): void {
  for (const key of Object.keys(updates)) {
    if (!INSTANCE_UPDATE_ALLOWED_KEYS.includes(key)) throw new InstanceUpdateKeyNotAllowed({ key, instance_uuid: uuid });
  }
}

function securityGroup(row: Record<string, unknown>): LegacySecurityGroup {
  return toLegacy<LegacySecurityGroup>({ ...row, name: row.name ?? '' });
}

export function legacyMethods(db: DbApi): Record<keyof LegacyMethodArgs, EndpointMethod<RequestContext>> {
  const m = <M extends keyof LegacyMethodArgs>(name: M, run: (ctx: RequestContext, a: Args<M>, d: DbContext) => Promise<unknown>) =>
    withArgs(LEGACY_METHOD_ARGS[name], (ctx: RequestContext, a) => run(ctx, a as Args<M>, dbContext(ctx)));
  const joins = (names?: readonly string[]) => ({ columnsToJoin: (names ?? DEFAULT_INSTANCE_JOINS) as readonly InstanceJoin[] });

  return {
    instance_get_by_uuid: m('instance_get_by_uuid', async (_c, a, d) => legacyInstance(await db.instance_get_by_uuid(d, a.instance_uuid, joins(a.columns_to_join)))),
    instance_get_all_by_host: m('instance_get_all_by_host', async (_c, a, d) => {
      const rows = a.node ? await db.instance_get_all_by_host_and_node(d, a.host, a.node, joins()) : await db.instance_get_all_by_host(d, a.host, joins());
      return rows.map(legacyInstance);
    }),
    instance_update: m('instance_update', async (_c, a, d) => legacyInstance(await db.instance_update(d, a.instance_uuid, a.updates))),
    instance_update_and_get_original: m('instance_update_and_get_original', async (_c, a, d) => {
      checkUpdateKeys(a.instance_uuid, a.updates);
      const { expected_task_state, ...values } = a.updates;
      const opts = { ...joins(), ...('expected_task_state' in a.updates ? { expectedTaskState: expected_task_state as ExpectedState } : {}) };
      const [before, after] = await db.instance_update_and_get_original(d, a.instance_uuid, values as Values, opts);
      return [legacyInstance(before), legacyInstance(after)];
    }),
    block_device_mapping_get_all_by_instance: m('block_device_mapping_get_all_by_instance', async (_c, a, d) =>
      toLegacy(await db.block_device_mapping_get_all_by_instance(d, a.instance_uuid)),
    ),
    block_device_mapping_update_or_create: m('block_device_mapping_update_or_create', async (_c, a, d) => {
      if (a.create === true) return toLegacy(await db.block_device_mapping_create(d, a.values as Values));
      if (a.create === false) {
        const { id, ...values } = a.values;
        if (typeof id !== 'number') throw new InvalidArguments({ method: 'block_device_mapping_update_or_create', issues: 'values.id must be a number when create is false' });
        return toLegacy(await db.block_device_mapping_update(d, id, values as Values));
      }
      return toLegacy(await db.block_device_mapping_update_or_create(d, a.values as Values));
    }),
    security_group_get_by_instance: m('security_group_get_by_instance', async (_c, a, d) =>
      (await db.security_group_get_by_instance(d, a.instance_uuid)).map((r) => securityGroup(r as unknown as Record<string, unknown>)),
    ),
    security_group_rule_get_by_security_group: m('security_group_rule_get_by_security_group', async (_c, a, d) =>
      toLegacy(await db.security_group_rule_get_by_security_group(d, a.security_group_id)),
    ),
    provider_fw_rule_get_all: m('provider_fw_rule_get_all', async (_c, _a, d) => toLegacy(await db.provider_fw_rule_get_all(d))),
    instance_fault_create: m('instance_fault_create', async (_c, a, d) => toLegacy(await db.instance_fault_create(d, a.values as never))),
    action_event_start: m('action_event_start', async (_c, a, d) => toLegacy(await db.action_event_start(d, a.values))),
    action_event_finish: m('action_event_finish', async (_c, a, d) => toLegacy(await db.action_event_finish(d, a.values))),
    agent_build_get_by_triple: m('agent_build_get_by_triple', async (_c, a, d) =>
      toLegacy(await db.agent_build_get_by_triple(d, a.hypervisor, a.os, a.architecture)),
    ),
    service_get_by_compute_host: m('service_get_by_compute_host', async (_c, a, d) => toLegacy(await db.service_get_by_compute_host(d, a.host))),
    service_update: m('service_update', async (_c, a, d) => toLegacy(await db.service_update(d, a.service_id, a.values as Values))),
    compute_node_create: m('compute_node_create', async (_c, a, d) => toLegacy(await db.compute_node_create(d, a.values as Values))),
    compute_node_update: m('compute_node_update', async (_c, a, d) => toLegacy(await db.compute_node_update(d, a.node_id, a.values as Values))),
    compute_node_delete: m('compute_node_delete', async (_c, a, d) => {
      await db.compute_node_delete(d, a.node_id);
      return null;
    }),
    migration_get_in_progress_by_host_and_node: m('migration_get_in_progress_by_host_and_node', async (_c, a, d) =>
      toLegacy(await db.migration_get_in_progress_by_host_and_node(d, a.host, a.node)),
    ),
  };
}
