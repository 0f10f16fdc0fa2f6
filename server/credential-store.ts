import { randomUUID } from 'node:crypto';
import { splitPermissionValue } from './permission-list';

/** One verto user as a FreeSWITCH directory entry describes it. */
export interface DirectoryUser {
  /** The bare user id (the `login` a client sends, before any `@domain`). */
  readonly id: string;
  readonly password: string;
  /**
   * The directory params as written (empty when absent): mod_verto and the relay hook each split
   * them their own way (server/permission-list.ts, server/chat-relay.ts).
   */
  readonly allowedMethods: string;
  readonly allowedEventChannels: string;
  /**
   * The `<user cacheable="…">` attribute as written, when present: FreeSWITCH keeps a lookup of this
   * user that many ms (any other non-empty value: until restart) instead of asking the directory again.
   */
  readonly cacheable?: string;
}

/** The methods an issued client gets: exactly those the client uses, as the production directory grants them. */
export const ISSUED_CLIENT_METHODS = 'verto.subscribe,verto.broadcast,verto.info,verto.ping';

/**
 * Channels and users: the part of Django (channels, issued clients) and of the FreeSWITCH directory
 * the development server needs. Pass one instance to several `startServer` calls and the state
 * survives a restart.
 */
export class CredentialStore {
  private readonly channelIds = new Set<string>();
  private readonly users = new Map<string, DirectoryUser>();

  createChannel(): string {
    const id = randomUUID();
    this.channelIds.add(id);
    return id;
  }

  hasChannel(id: string): boolean {
    return this.channelIds.has(id);
  }

  /** A fresh client (UUID id and password) allowed on exactly this channel, as Django issues one per page load. */
  issueClient(channelId: string): DirectoryUser {
    if (!this.hasChannel(channelId)) throw new Error(`unknown channel ${channelId}`);
    const user: DirectoryUser = { id: randomUUID(), password: randomUUID(), allowedMethods: ISSUED_CLIENT_METHODS, allowedEventChannels: channelId };
    this.users.set(user.id, user);
    return user;
  }

  /** Adds a directory user; its event channels become channels pages can be opened for. */
  addUser(user: DirectoryUser): void {
    this.users.set(user.id, user);
    for (const channel of splitPermissionValue(user.allowedEventChannels)) if (channel !== '__ANY__') this.channelIds.add(channel);
  }

  findUser(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }
}
