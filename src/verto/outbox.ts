import type { JsonObject } from './client-types';

export interface OutboxItem {
  /** Unique per page (src/verto/client.ts): the receiver drops a message it has seen (src/verto/recent-ids.ts). */
  readonly id: string;
  readonly to: string;
  readonly message: JsonObject;
  readonly queuedAt: number;
}

/**
 * Peer messages not yet acknowledged by the server. An item stays until the server answers its
 * `verto.info` (ack); each connection takes every item it has not sent itself, so a message written
 * into a socket that died before the reply is sent again on the next one, exactly once per connection.
 * Items older than `maxAgeMs` are stale when a connection would send them (a call signal from before
 * a long outage would only confuse the other side), and the queue is bounded so a long outage cannot
 * grow it without limit (oldest dropped first).
 */
export class Outbox {
  private items: { item: OutboxItem; sentOn: object | undefined }[] = [];

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxItems: number,
  ) {}

  push(item: OutboxItem): void {
    this.items.push({ item, sentOn: undefined });
    if (this.items.length > this.maxItems) this.items.shift();
  }

  /**
   * The items `connection` has not sent yet, oldest first, now marked as sent on it; `stale` counts
   * the unsent ones dropped for age.
   */
  take(now: number, connection: object): { fresh: OutboxItem[]; stale: number } {
    const before = this.items.length;
    this.items = this.items.filter((entry) => entry.sentOn === connection || now - entry.item.queuedAt <= this.maxAgeMs);
    const fresh = this.items.filter((entry) => entry.sentOn !== connection);
    for (const entry of fresh) entry.sentOn = connection;
    return { fresh: fresh.map((entry) => entry.item), stale: before - this.items.length };
  }

  /** The server answered this item's request: it is never sent again. */
  ack(item: OutboxItem): void {
    this.items = this.items.filter((entry) => entry.item !== item);
  }

  /** How many messages wait for the server's answer (or for a connection). */
  get size(): number {
    return this.items.length;
  }
}
