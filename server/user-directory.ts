import type { DirectoryUser } from './credential-store';

/** Why a node looks a user up, as FreeSWITCH asks: mod_verto's login, or the relay hook's `user_data`. */
export type LookupPurpose = 'login' | 'user_data';

/** A user at once when the answer is at hand (a file, the store, a fresh cache entry), or a promise when it must be asked for. */
export type Lookup = DirectoryUser | undefined | Promise<DirectoryUser | undefined>;

/** Where the hub finds the users of its directory domain: a `CredentialStore`, or a URL (server/directory-url.ts). */
export interface UserDirectory {
  findUser(id: string, purpose?: LookupPurpose): Lookup;
}

export const isPending = (lookup: Lookup): lookup is Promise<DirectoryUser | undefined> => lookup instanceof Promise;
