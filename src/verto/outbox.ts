import type { JsonObject } from './client-types';

export interface OutboxItem {
  readonly to: string;
  readonly message: JsonObject;
  readonly queuedAt: number;
}

/**
 * Peer messages waiting for a logged-in connection. Items older than `maxAgeMs` are stale when the
 * connection returns (a call signal from before a long outage would only confuse the other side),
 * and the queue is bounded so a long outage cannot grow it without limit (oldest dropped first).
 */
export class Outbox {
  private items: OutboxItem[] = [];

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxItems: number,
  ) {}

  push(item: OutboxItem): void {
    this.items.push(item);
    if (this.items.length > this.maxItems) this.items.shift();
  }

  /** Removes and returns everything; `stale` counts what was dropped for age. */
  drain(now: number): { fresh: OutboxItem[]; stale: number } {
    const all = this.items;
    this.items = [];
    const fresh = all.filter((item) => now - item.queuedAt <= this.maxAgeMs);
    return { fresh, stale: all.length - fresh.length };
  }
}
