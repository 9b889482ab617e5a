/**
 * Remembers the last `size` message ids. oslo keeps 16 per listener; novakit keeps more
 * because after a reconnect the broker redelivers every unacknowledged message, and a
 * busy server may have seen far more than 16 others in between.
 */
export class RecentIds {
  private readonly ring: (string | undefined)[];
  private readonly set = new Set<string>();
  private next = 0;

  constructor(readonly size = 1024) {
    this.ring = new Array(size);
  }

  /** True when `id` was seen already; otherwise records it. */
  checkAndAdd(id: string): boolean {
    if (this.set.has(id)) return true;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.set.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.size;
    this.set.add(id);
    return false;
  }
}
