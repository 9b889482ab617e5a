import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplyReplay } from './reply-replay.js';

describe('ReplyReplay', () => {
  afterEach(() => vi.useRealTimers());

  it('hands back, once, the replies written within the window before a connection loss', () => {
    vi.useFakeTimers();
    const r = new ReplyReplay(2000, 3);
    r.sent('q', Buffer.from('old'));
    vi.advanceTimersByTime(2500);
    for (const b of ['a', 'b', 'c', 'd']) r.sent('q', Buffer.from(b));
    r.connectionLost();
    expect(r.takeReplay().map((x) => x.body.toString())).toEqual(['b', 'c', 'd']);
    expect(r.takeReplay()).toEqual([]);
    r.connectionLost();
    expect(r.takeReplay()).toEqual([]);
  });
});
