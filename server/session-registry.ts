interface Entry {
  sessid?: string;
  login?: string;
  /** Per subscribed channel, the next `eventSerno` (mod_verto counts per subscription, from 0). */
  readonly channels: Map<string, number>;
}

/**
 * Where the hub finds its sessions: by sessid (punts), by login `id@domain` (chat delivery) and by
 * channel (broadcasts). One rule lives here: a removed session leaves every index, so nothing is
 * delivered to a closed socket and nothing piles up.
 */
export class SessionRegistry<S> {
  private readonly entries = new Map<S, Entry>();
  private readonly bySessid = new Map<string, S>();
  private readonly byLogin = new Map<string, Set<S>>();
  private readonly byChannel = new Map<string, Set<S>>();

  /** Binds a sessid to a session; one that held it before (being punted) no longer owns it. */
  bindSessid(session: S, sessid: string): void {
    this.entry(session).sessid = sessid;
    this.bySessid.set(sessid, session);
  }

  holderOf(sessid: string): S | undefined {
    return this.bySessid.get(sessid);
  }

  /** Files a session under its login; a socket that logs in again as another user moves. */
  setLogin(session: S, login: string): void {
    const entry = this.entry(session);
    if (entry.login !== undefined) removeFrom(this.byLogin, entry.login, session);
    entry.login = login;
    addTo(this.byLogin, login, session);
  }

  /** Every login with a live session. */
  logins(): readonly string[] {
    return [...this.byLogin.keys()];
  }

  sessionsOf(login: string): readonly S[] {
    return [...(this.byLogin.get(login) ?? [])];
  }

  /** False when the session was already subscribed. */
  subscribe(session: S, channel: string): boolean {
    const entry = this.entry(session);
    if (entry.channels.has(channel)) return false;
    entry.channels.set(channel, 0);
    addTo(this.byChannel, channel, session);
    return true;
  }

  /** False when the session was not subscribed. */
  unsubscribe(session: S, channel: string): boolean {
    const entry = this.entries.get(session);
    if (!entry?.channels.delete(channel)) return false;
    removeFrom(this.byChannel, channel, session);
    return true;
  }

  isSubscribed(session: S, channel: string): boolean {
    return this.entries.get(session)?.channels.has(channel) ?? false;
  }

  subscribersOf(channel: string): readonly S[] {
    return [...(this.byChannel.get(channel) ?? [])];
  }

  /** The subscription's next `eventSerno`, counted up. */
  nextSerno(session: S, channel: string): number {
    const channels = this.entry(session).channels;
    const serno = channels.get(channel) ?? 0;
    channels.set(channel, serno + 1);
    return serno;
  }

  /** Takes a session out of every index (idempotent). */
  remove(session: S): void {
    const entry = this.entries.get(session);
    if (!entry) return;
    this.entries.delete(session);
    // A punted session must not unbind the sessid its successor now holds.
    if (entry.sessid !== undefined && this.bySessid.get(entry.sessid) === session) this.bySessid.delete(entry.sessid);
    if (entry.login !== undefined) removeFrom(this.byLogin, entry.login, session);
    for (const channel of entry.channels.keys()) removeFrom(this.byChannel, channel, session);
  }

  /** How many keys each index holds (for tests: a registry whose sessions all left is empty). */
  sizes(): { sessions: number; sessids: number; logins: number; channels: number } {
    return { sessions: this.entries.size, sessids: this.bySessid.size, logins: this.byLogin.size, channels: this.byChannel.size };
  }

  private entry(session: S): Entry {
    let entry = this.entries.get(session);
    if (!entry) {
      entry = { channels: new Map() };
      this.entries.set(session, entry);
    }
    return entry;
  }
}

function addTo<S>(index: Map<string, Set<S>>, key: string, session: S): void {
  const set = index.get(key) ?? new Set<S>();
  set.add(session);
  index.set(key, set);
}

function removeFrom<S>(index: Map<string, Set<S>>, key: string, session: S): void {
  const set = index.get(key);
  set?.delete(session);
  if (set?.size === 0) index.delete(key);
}
