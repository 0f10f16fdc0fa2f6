import { hostname as osHostname } from 'node:os';
import type { DirectoryUser } from './credential-store';
import { parseDirectory } from './directory-file';
import type { Logger } from './logger';
import type { Lookup, LookupPurpose, UserDirectory } from './user-directory';

export interface DirectoryUrlOptions {
  /** mod_xml_curl's `gateway-url`: the directory view answering POSTs (Django's, or a server's `--xml-curl-credentials` one). */
  readonly url: string;
  /** `gateway-credentials` (`user:password`) for HTTP basic auth; none sends no Authorization header. */
  readonly credentials?: string;
  /** Whole request, as mod_xml_curl's `timeout` (deploy/freeswitch/autoload_configs/xml_curl.conf.xml: 5 s). */
  readonly timeoutMs: number;
  /** The directory domain every lookup names. */
  readonly domain: string;
  readonly logger: Logger;
  /** The `hostname` field (FreeSWITCH sends its switchname); default the machine's name. */
  readonly hostname?: string;
  /** Clock of the user cache, in ms. */
  readonly now?: () => number;
}

/** What one request to the directory gave; `error` says why nothing usable came back (never with a password in it). */
export type DirectoryFetch =
  | { readonly kind: 'found'; readonly user: DirectoryUser }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'error'; readonly reason: string };

/** The URL for log lines: without any user:password in it. */
export function displayUrl(url: string): string {
  try {
    const shown = new URL(url);
    shown.username = '';
    shown.password = '';
    return shown.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** mod_xml_curl's XML_CURL_MAX_BYTES: a longer reply is an error. */
export const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * How long FreeSWITCH keeps a lookup, from the user's `cacheable` attribute (src/switch_xml.c,
 * switch_xml_locate_user_merged): absent or empty, not at all; digits, that many ms; anything else, for good.
 */
export function cacheLifetimeMs(cacheable: string | undefined): number | undefined {
  if (cacheable === undefined || cacheable === '') return undefined;
  return /^\d+$/.test(cacheable) ? Number(cacheable) : Infinity;
}

/** The form mod_xml_curl posts for a directory lookup: its own fields, then the lookup's params (src/switch_xml.c). */
export function lookupForm(id: string, domain: string, purpose: LookupPurpose, hostname: string): URLSearchParams {
  const form = new URLSearchParams({ hostname, section: 'directory', tag_name: 'domain', key_name: 'name', key_value: domain, 'Event-Name': 'REQUEST_PARAMS' });
  // mod_verto adds action=jsonrpc-authenticate; user_data (mod_commands) adds the kind of value asked for.
  if (purpose === 'login') form.set('action', 'jsonrpc-authenticate');
  else form.set('type', 'param');
  form.set('key', 'id');
  form.set('user', id);
  form.set('domain', domain);
  return form;
}

/** Pure: an HTTP answer to a lookup of `id`, as mod_xml_curl and the directory code read it. */
export function readDirectoryReply(id: string, status: number, body: string): DirectoryFetch {
  if (status !== 200) return { kind: 'error', reason: `HTTP ${status}` };
  if (Buffer.byteLength(body, 'utf8') > MAX_REPLY_BYTES) return { kind: 'error', reason: `reply over ${MAX_REPLY_BYTES} bytes` };
  let users: readonly DirectoryUser[];
  try {
    users = parseDirectory(body).users;
  } catch {
    return { kind: 'error', reason: 'reply is not XML' };
  }
  // A "not found" result document, or a directory without this user: FreeSWITCH finds nobody.
  const user = users.find((u) => u.id === id);
  return user ? { kind: 'found', user } : { kind: 'not-found' };
}

/**
 * A node's directory read from a URL, as mod_xml_curl reads it from Django: one POST per lookup,
 * login and relay alike, and FreeSWITCH's user cache in front (a user whose element carries
 * `cacheable` is answered from memory until the lifetime runs out; a user not found is never kept).
 * An error (HTTP status, bad XML, timeout, refused) means "not found" and is logged, as FreeSWITCH does.
 */
export class UrlDirectory implements UserDirectory {
  private readonly cache = new Map<string, { readonly user: DirectoryUser; readonly expires: number }>();
  private readonly now: () => number;
  private readonly hostname: string;
  private readonly authorization?: string;

  constructor(private readonly options: DirectoryUrlOptions) {
    this.now = options.now ?? Date.now;
    this.hostname = options.hostname ?? osHostname();
    if (options.credentials !== undefined) this.authorization = `Basic ${Buffer.from(options.credentials, 'utf8').toString('base64')}`;
  }

  findUser(id: string, purpose: LookupPurpose = 'login'): Lookup {
    const cached = this.cache.get(id);
    if (cached && cached.expires >= this.now()) return cached.user;
    return this.fetchUser(id, purpose).then((outcome) => {
      if (outcome.kind === 'error') this.options.logger.info(`[directory] lookup of ${id} failed: ${outcome.reason} from ${displayUrl(this.options.url)}; taken as not found`);
      if (outcome.kind !== 'found') return undefined;
      const lifetime = cacheLifetimeMs(outcome.user.cacheable);
      if (lifetime !== undefined) this.cache.set(id, { user: outcome.user, expires: this.now() + lifetime });
      return outcome.user;
    });
  }

  /** One request, never rejecting. */
  async fetchUser(id: string, purpose: LookupPurpose): Promise<DirectoryFetch> {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'freeswitch-xml/1.0' };
    if (this.authorization) headers.Authorization = this.authorization;
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: lookupForm(id, this.options.domain, purpose, this.hostname).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return readDirectoryReply(id, response.status, await response.text());
    } catch (error) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (not always an Error of this realm).
      const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : '';
      return { kind: 'error', reason: name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : 'request failed (connection refused or reset)' };
    }
  }
}
