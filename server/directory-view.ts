import { timingSafeEqual } from 'node:crypto';
import type { CredentialStore, DirectoryUser } from './credential-store';

/**
 * The development server's stand-in for Django's mod_xml_curl directory view
 * (deploy/django/verto_peer/views.py, template verto_peer/directory.xml), rule for rule, so that
 * several server processes (nodes) can share one server's channels and issued clients.
 */
export interface DirectoryViewOptions {
  /** mod_xml_curl's `gateway-credentials` (`user:password`), as VERTO_PEER_XML_CURL_CREDENTIALS. */
  readonly credentials: string;
  readonly domain: string;
  readonly store: CredentialStore;
  /** The users' `cacheable` attribute in ms, as VERTO_PEER_DIRECTORY_CACHE_MS; 0 writes none. */
  readonly cacheableMs: number;
}

export interface ViewAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The users' dialplan context (deploy/freeswitch/dialplan/verto-peer.xml rejects every call), as Django writes it. */
const CALL_CONTEXT = 'verto-peer';
// The rule Django and the relay apply to ids, domains and channels.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c] as string);

/** Pure: the directory document for these users of `domain` (none: FreeSWITCH's "not found" result). */
export function directoryDocument(domain: string, users: readonly DirectoryUser[], cacheableMs: number): string {
  const head = '<?xml version="1.0" encoding="utf-8"?>\n<document type="freeswitch/xml">\n';
  if (users.length === 0) return `${head}  <section name="result">\n    <result status="not found"/>\n  </section>\n</document>\n`;
  const cacheable = cacheableMs > 0 ? ` cacheable="${cacheableMs}"` : '';
  const param = (name: string, value: string): string => `            <param name="${name}" value="${escapeXml(value)}"/>\n`;
  const entries = users.map(
    (user) =>
      `        <user id="${escapeXml(user.id)}"${cacheable}>\n          <params>\n` +
      param('password', user.password) +
      param('jsonrpc-allowed-methods', user.allowedMethods) +
      param('jsonrpc-allowed-event-channels', user.allowedEventChannels) +
      `          </params>\n          <variables>\n            <variable name="user_context" value="${CALL_CONTEXT}"/>\n          </variables>\n        </user>\n`,
  );
  return `${head}  <section name="directory">\n    <domain name="${escapeXml(domain)}">\n      <users>\n${entries.join('')}      </users>\n    </domain>\n  </section>\n</document>\n`;
}

function authorized(expected: string, header: string | undefined): boolean {
  if (expected === '' || !header?.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice('Basic '.length), 'base64');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Pure but for the store read: the answer to one POST from mod_xml_curl (or a node) with this form and Authorization header. */
export function answerDirectoryRequest(options: DirectoryViewOptions, authorization: string | undefined, form: URLSearchParams): ViewAnswer {
  if (!authorized(options.credentials, authorization)) {
    return { status: 401, headers: { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="freeswitch"' }, body: 'authorization required\n' };
  }
  const id = form.get('user') ?? '';
  // Whatever the action (mod_verto's jsonrpc-authenticate, or user_data without one).
  const wanted = form.get('section') === 'directory' && ID.test(id) && form.get('domain') === options.domain;
  const user = wanted ? options.store.findUser(id) : undefined;
  return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body: directoryDocument(options.domain, user ? [user] : [], options.cacheableMs) };
}
