import { randomUUID } from 'node:crypto';

/** One verto user as a FreeSWITCH directory entry describes it. */
export interface DirectoryUser {
  /** The bare user id (the `login` a client sends, before any `@domain`). */
  readonly id: string;
  readonly password: string;
  /** `jsonrpc-allowed-event-channels`. */
  readonly channels: readonly string[];
  /** `jsonrpc-allowed-methods` (`login` is always allowed on top). */
  readonly methods: readonly string[];
}

/** The methods an issued client gets, as the production directory template grants them. */
export const ISSUED_CLIENT_METHODS: readonly string[] = ['verto'];

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
    const user: DirectoryUser = { id: randomUUID(), password: randomUUID(), channels: [channelId], methods: ISSUED_CLIENT_METHODS };
    this.users.set(user.id, user);
    return user;
  }

  /** Adds a directory user; its event channels become channels pages can be opened for. */
  addUser(user: DirectoryUser): void {
    this.users.set(user.id, user);
    for (const channel of user.channels) if (channel !== '__ANY__') this.channelIds.add(channel);
  }

  findUser(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }
}
