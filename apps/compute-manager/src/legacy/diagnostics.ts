// Release 1 call of the get_diagnostics work item: the driver gets a LegacyInstanceDict.
import type { Instance, RequestContext } from '@novakit/objects';
import { legacyInstanceDict } from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';

/** Work item get_diagnostics. */
export async function driverDiagnostics(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<Record<string, number | string>> {
  return env.driver.getDiagnostics(ctx, legacyInstanceDict(instance));
}
