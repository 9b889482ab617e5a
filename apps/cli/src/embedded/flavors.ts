// The flavors a fresh node starts with: Nova's defaults plus devstack's two small ones (a QEMU
// guest of 64 MB boots in seconds). Created only when the database has no flavor at all.
import { Flavor, FlavorList, type RequestContext } from '@novakit/objects';

const DEFAULTS: readonly [id: string, name: string, ram: number, vcpus: number, disk: number][] = [
  ['42', 'm1.nano', 64, 1, 1],
  ['84', 'm1.micro', 128, 1, 1],
  ['1', 'm1.tiny', 512, 1, 1],
  ['2', 'm1.small', 2048, 1, 20],
  ['3', 'm1.medium', 4096, 2, 40],
  ['4', 'm1.large', 8192, 4, 80],
  ['5', 'm1.xlarge', 16384, 8, 160],
];

/** Returns how many were created (0 when flavors exist). */
export async function seedFlavors(ctx: RequestContext): Promise<number> {
  if ((await FlavorList.getAll(ctx, { limit: 1 })).length > 0) return 0;
  for (const [flavorid, name, memory_mb, vcpus, root_gb] of DEFAULTS) {
    const flavor = new Flavor(
      { flavorid, name, memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1.0, vcpu_weight: null, is_public: true, disabled: false, extra_specs: {} },
      ctx,
    );
    await flavor.create();
  }
  return DEFAULTS.length;
}
