import { parseArgs } from 'node:util';
import { pageIceError, type PageIceOptions } from './page-ice';
import type { RateLimit } from './rate-limiter';
import { TURN_TTL_SECONDS, type IceServerJson } from './turn-credentials';

/** A node reading its directory from a URL, as mod_xml_curl's binding (xml_curl.conf.xml). */
export interface DirectoryUrlFlags {
  readonly url: string;
  readonly credentials?: string;
  readonly timeoutMs: number;
}

/** Serving the store as Django's directory view, for the nodes. */
export interface DirectoryViewFlags {
  readonly credentials: string;
  readonly cacheableMs: number;
}

/** What xml_curl.conf.xml sets (mod_xml_curl itself has no timeout). */
export const DIRECTORY_TIMEOUT_SECONDS = 5;
/** Django's default VERTO_PEER_DIRECTORY_CACHE_MS (deploy/django/verto_peer/directory.py). */
export const DIRECTORY_CACHEABLE_MS = 60_000;

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly directory?: string;
  readonly directoryUrl?: DirectoryUrlFlags;
  readonly directoryView?: DirectoryViewFlags;
  readonly domain?: string;
  readonly forceRegisterDomain: boolean;
  readonly rateLimit?: RateLimit;
  readonly maxClientsPerChannel?: number;
  readonly ice: PageIceOptions;
  readonly help: boolean;
}

export const USAGE =
  'usage: node build/server/main.js [--host 127.0.0.1] [--port 8080] [--directory users.xml] [--domain localhost]\n' +
  '                                 [--no-force-register-domain] [--rate-limit N] [--max-clients-per-channel N]\n' +
  '                                 [--ice-servers JSON] [--turn-secret SECRET --turn-url URL[,URL…] [--turn-ttl SECONDS]]\n' +
  '                                 [--ice-transport-policy all|relay]\n' +
  '                                 [--directory-url URL [--directory-credentials USER:PASS] [--directory-timeout SECONDS]]\n' +
  '                                 [--xml-curl-credentials USER:PASS [--directory-cacheable MS]] [--help]';

export const HELP = `${USAGE}

Serves the demo pages and a verto endpoint at /verto that behaves as FreeSWITCH 1.11.1 with the
configuration in deploy/.

  --host, --port               where to listen (or HOST, PORT); default 127.0.0.1:8080
  --directory FILE.xml         also accept the users of a FreeSWITCH directory document
  --domain NAME                the directory domain; default the directory's first, else localhost
  --no-force-register-domain   logins must be id@domain (a profile without force-register-domain)

Several servers as nodes behind a proxy (deploy/README.md, "Several FreeSWITCH nodes"):
  --directory-url URL          a node: look every user up there as mod_xml_curl does (POST, FreeSWITCH's
                               user cache honoured); such a node issues no pages
  --directory-credentials U:P  its gateway-credentials (or VERTO_PEER_DIRECTORY_CREDENTIALS)
  --directory-timeout SECONDS  per lookup; default ${DIRECTORY_TIMEOUT_SECONDS}, as xml_curl.conf.xml
  --xml-curl-credentials U:P   serve this server's users to the nodes at POST /freeswitch/directory/, as
                               Django's view does (or VERTO_PEER_XML_CURL_CREDENTIALS)
  --directory-cacheable MS     the users' cacheable attribute there; default ${DIRECTORY_CACHEABLE_MS}, 0 for none

ICE, in every page the server issues (none by default: calls on one machine or LAN need none):
  --ice-servers JSON           a list of RTCIceServer, e.g. '[{"urls":"stun:stun.example.org"}]'
  --turn-secret SECRET         coturn's static-auth-secret (or VERTO_PEER_TURN_SECRET): each page gets
                               its own credentials for the --turn-url server(s), valid --turn-ttl seconds
  --turn-url URL               turn: or turns: URL; repeat it or give a comma list
  --turn-ttl SECONDS           lifetime of those credentials; default ${TURN_TTL_SECONDS} (12 h, as the login's)
  --ice-transport-policy P     relay: pages use TURN candidates only; default all

Development only (FreeSWITCH has neither limit; both are off unless given):
  --rate-limit N               close a connection sending over N messages a second (burst 2N) with 1008
  --max-clients-per-channel N  refuse the login of one more user in a full channel ("Channel full")`;

const count = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`invalid --${name} ${JSON.stringify(text)}: a whole number of at least 1\n${USAGE}`);
  return Number(text);
};

function iceServersOption(text: string | undefined): readonly IceServerJson[] | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`invalid --ice-servers: not JSON\n${USAGE}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`invalid --ice-servers: not a JSON list\n${USAGE}`);
  // Each entry is checked with the rest of the ICE options, by the page's own rule.
  return parsed as readonly IceServerJson[];
}

interface IceFlags {
  readonly 'ice-servers'?: string;
  readonly 'turn-secret'?: string;
  readonly 'turn-url'?: readonly string[];
  readonly 'turn-ttl'?: string;
  readonly 'ice-transport-policy'?: string;
}

/** The ICE options, checked by the rule the pages apply (a bad one fails here, not in every page). */
function iceOptions(flags: IceFlags, env: Readonly<Record<string, string | undefined>>): PageIceOptions {
  const secret = flags['turn-secret'] ?? env.VERTO_PEER_TURN_SECRET;
  const urls = (flags['turn-url'] ?? []).flatMap((u) => u.split(',')).map((u) => u.trim()).filter((u) => u !== '');
  if (secret === undefined && urls.length > 0) throw new Error(`--turn-url needs --turn-secret (or VERTO_PEER_TURN_SECRET)\n${USAGE}`);
  const ttl = count('turn-ttl', flags['turn-ttl']);
  if (secret === undefined && ttl !== undefined) throw new Error(`--turn-ttl needs --turn-secret (or VERTO_PEER_TURN_SECRET)\n${USAGE}`);
  const ice: PageIceOptions = {
    iceServers: iceServersOption(flags['ice-servers']),
    turn: secret === undefined ? undefined : { secret, urls, ttlSeconds: ttl },
    iceTransportPolicy: flags['ice-transport-policy'] as RTCIceTransportPolicy | undefined,
  };
  const problem = pageIceError(ice);
  // Never the secret itself in the message: it ends up in terminals and CI logs.
  if (problem !== null) throw new Error(`invalid ICE options: ${problem}\n${USAGE}`);
  return ice;
}

const credentialsOption = (name: string, text: string | undefined): string | undefined => {
  // Never the value in the message: it is a password.
  if (text !== undefined && !/^[^:]+:.+$/.test(text)) throw new Error(`invalid --${name}: USER:PASSWORD expected\n${USAGE}`);
  return text;
};

interface DirectoryFlags {
  readonly directory?: string;
  readonly 'directory-url'?: string;
  readonly 'directory-credentials'?: string;
  readonly 'directory-timeout'?: string;
  readonly 'xml-curl-credentials'?: string;
  readonly 'directory-cacheable'?: string;
}

function directoryUrlOption(flags: DirectoryFlags, env: Readonly<Record<string, string | undefined>>): DirectoryUrlFlags | undefined {
  const url = flags['directory-url'];
  const credentials = credentialsOption('directory-credentials', flags['directory-credentials'] ?? env.VERTO_PEER_DIRECTORY_CREDENTIALS);
  if (url === undefined) {
    if (flags['directory-credentials'] !== undefined || flags['directory-timeout'] !== undefined) throw new Error(`--directory-credentials and --directory-timeout need --directory-url\n${USAGE}`);
    return undefined;
  }
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`invalid --directory-url ${JSON.stringify(url)}: an http:// or https:// URL\n${USAGE}`);
  if (flags.directory !== undefined) throw new Error(`give --directory or --directory-url, not both\n${USAGE}`);
  const timeout = count('directory-timeout', flags['directory-timeout']) ?? DIRECTORY_TIMEOUT_SECONDS;
  return { url, credentials, timeoutMs: timeout * 1000 };
}

function directoryViewOption(flags: DirectoryFlags, env: Readonly<Record<string, string | undefined>>): DirectoryViewFlags | undefined {
  const credentials = credentialsOption('xml-curl-credentials', flags['xml-curl-credentials'] ?? env.VERTO_PEER_XML_CURL_CREDENTIALS);
  const cacheableText = flags['directory-cacheable'];
  if (cacheableText !== undefined && !/^\d+$/.test(cacheableText)) throw new Error(`invalid --directory-cacheable ${JSON.stringify(cacheableText)}: milliseconds, 0 for none\n${USAGE}`);
  if (credentials === undefined) {
    if (cacheableText !== undefined) throw new Error(`--directory-cacheable needs --xml-curl-credentials\n${USAGE}`);
    return undefined;
  }
  // A node's store is empty: it has nobody to serve.
  if (flags['directory-url'] !== undefined) throw new Error(`a --directory-url node serves no directory: drop --xml-curl-credentials\n${USAGE}`);
  return { credentials, cacheableMs: cacheableText === undefined ? DIRECTORY_CACHEABLE_MS : Number(cacheableText) };
}

/** Pure: argv plus HOST/PORT from the environment → options (flags win over the environment). Throws with a usage message. */
export function parseCliOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      directory: { type: 'string' },
      'directory-url': { type: 'string' },
      'directory-credentials': { type: 'string' },
      'directory-timeout': { type: 'string' },
      'xml-curl-credentials': { type: 'string' },
      'directory-cacheable': { type: 'string' },
      domain: { type: 'string' },
      'force-register-domain': { type: 'boolean', default: true },
      'rate-limit': { type: 'string' },
      'max-clients-per-channel': { type: 'string' },
      'ice-servers': { type: 'string' },
      'turn-secret': { type: 'string' },
      'turn-url': { type: 'string', multiple: true },
      'turn-ttl': { type: 'string' },
      'ice-transport-policy': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
    allowNegative: true,
  });
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port ${JSON.stringify(portText)}\n${USAGE}`);
  const perSecond = count('rate-limit', values['rate-limit']);
  return {
    host,
    port,
    directory: values.directory,
    directoryUrl: directoryUrlOption(values, env),
    directoryView: directoryViewOption(values, env),
    domain: values.domain,
    forceRegisterDomain: values['force-register-domain'],
    rateLimit: perSecond === undefined ? undefined : { burst: 2 * perSecond, perSecond },
    maxClientsPerChannel: count('max-clients-per-channel', values['max-clients-per-channel']),
    ice: iceOptions(values, env),
    help: values.help,
  };
}
