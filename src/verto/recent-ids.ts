/**
 * The message ids seen lately, per sender, with bounded memory: the last `perSender` ids of each of
 * the last `maxSenders` senders. A sender re-sends a message its server did not acknowledge
 * (src/verto/outbox.ts), so the same id may arrive twice; only the first counts.
 */
export class RecentIds {
  private readonly bySender = new Map<string, string[]>();

  constructor(
    private readonly perSender: number,
    private readonly maxSenders: number,
  ) {}

  /** True when `id` from `from` was seen before; otherwise remembers it and returns false. */
  repeated(from: string, id: string): boolean {
    const ids = this.bySender.get(from) ?? [];
    if (ids.includes(id)) return true;
    ids.push(id);
    if (ids.length > this.perSender) ids.shift();
    // Re-inserted, so the Map's order is least recently heard from first.
    this.bySender.delete(from);
    this.bySender.set(from, ids);
    if (this.bySender.size > this.maxSenders) this.bySender.delete(this.bySender.keys().next().value as string);
    return false;
  }
}
