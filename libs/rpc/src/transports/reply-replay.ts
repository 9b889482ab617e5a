/**
 * The replies written in the last `windowMs` (at most `max`). When the connection drops,
 * those may have died in the socket buffer unsent; they are handed back once, to be
 * published again after the reconnect. Callers drop the duplicates by `_unique_id`.
 */
export class ReplyReplay {
  private recent: { queue: string; body: Buffer; at: number }[] = [];
  private head = 0;
  private pending: { queue: string; body: Buffer }[] = [];

  constructor(
    private readonly windowMs = 2000,
    private readonly max = 1024,
  ) {}

  sent(queue: string, body: Buffer): void {
    const now = Date.now();
    this.recent.push({ queue, body, at: now });
    while (this.head < this.recent.length && (this.recent[this.head]!.at < now - this.windowMs || this.recent.length - this.head > this.max)) {
      this.head++;
    }
    if (this.head > 4096) {
      this.recent = this.recent.slice(this.head);
      this.head = 0;
    }
  }

  connectionLost(): void {
    const from = Date.now() - this.windowMs;
    this.pending.push(...this.recent.slice(this.head).filter((r) => r.at >= from));
    this.recent = [];
    this.head = 0;
  }

  takeReplay(): { queue: string; body: Buffer }[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
