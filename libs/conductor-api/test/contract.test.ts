// The contract's promises to the migration: every legacy method is tagged `@legacy` where it
// is declared (the tracker finds callers through the tag), and the compute manager can forward
// every legacy VirtAPI call to a conductor legacy method without converting anything (the
// forwarding below must typecheck).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RequestContext } from '@novakit/objects';
import type { VirtAPI } from '@novakit/virt-driver';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { ConductorLegacyApi } from '../src/index.js';
import { LEGACY_METHOD_ARGS } from '../src/index.js';

type LegacyVirtApi = Omit<VirtAPI, 'waitForInstanceEvent'>;

/** What the compute manager's VirtAPI does in release 1: forward to the conductor. */
function forwardingVirtApi(conductor: ConductorLegacyApi): LegacyVirtApi {
  return {
    instance_update: (ctx: RequestContext, uuid, updates) => conductor.instance_update_and_get_original(ctx, uuid, updates),
    block_device_mapping_get_all_by_instance: (ctx, uuid) => conductor.block_device_mapping_get_all_by_instance(ctx, uuid),
    security_group_get_by_instance: (ctx, uuid) => conductor.security_group_get_by_instance(ctx, uuid),
    security_group_rule_get_by_security_group: (ctx, id) => conductor.security_group_rule_get_by_security_group(ctx, id),
    provider_fw_rule_get_all: (ctx) => conductor.provider_fw_rule_get_all(ctx),
  };
}

function legacyMembers(): { name: string; tags: string[] }[] {
  const path = fileURLToPath(new URL('../src/contract.ts', import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { name: string; tags: string[] }[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'ConductorLegacyApi') return;
    for (const member of node.members) {
      out.push({ name: member.name!.getText(source), tags: ts.getJSDocTags(member).map((t) => t.tagName.text) });
    }
  });
  return out;
}

describe('the legacy contract', () => {
  it('tags every legacy method @legacy, and declares exactly the methods the server validates', () => {
    const members = legacyMembers();
    expect(members.map((m) => m.name).sort()).toEqual(Object.keys(LEGACY_METHOD_ARGS).sort());
    for (const m of members) expect(m.tags, m.name).toContain('legacy');
  });

  it('covers every legacy VirtAPI call (forwarding typechecks)', () => {
    expect(Object.keys(forwardingVirtApi({} as ConductorLegacyApi)).sort()).toEqual(
      ['block_device_mapping_get_all_by_instance', 'instance_update', 'provider_fw_rule_get_all', 'security_group_get_by_instance', 'security_group_rule_get_by_security_group'],
    );
  });
});
