import { isRecord } from './json';

/** The page's `#channel-config` element, as Django's `json_script` (or the development server) writes it. */
export interface ChannelConfig {
  /** Absolute ws(s):// URL, or a path resolved against the page (http → ws, https → wss). */
  readonly vertoUrl: string;
  readonly channelId: string;
  /** The login as the page gives it, `id@domain` or a bare id; sent to the server unchanged. */
  readonly login: string;
  readonly password: string;
  readonly iceServers: readonly RTCIceServer[];
  /** `relay`: only TURN candidates (neither side learns the other's addresses); absent: the browser's `all`. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  readonly indexUrl: string;
}

export type ConfigResult = { readonly ok: true; readonly config: ChannelConfig } | { readonly ok: false; readonly error: string };

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function isIceServer(v: unknown): v is RTCIceServer {
  if (!isRecord(v)) return false;
  const urls = v.urls;
  const urlsOk = nonEmpty(urls) || (Array.isArray(urls) && urls.length > 0 && urls.every(nonEmpty));
  return urlsOk && (v.username === undefined || typeof v.username === 'string') && (v.credential === undefined || typeof v.credential === 'string');
}

const urlsOf = (server: RTCIceServer): readonly string[] => (typeof server.urls === 'string' ? [server.urls] : server.urls);
const ICE_SCHEME = /^(stuns?|turns?):[^\s]/i;
const TURN_SCHEME = /^turns?:/i;
const TRANSPORT_POLICIES: readonly string[] = ['all', 'relay'] satisfies readonly RTCIceTransportPolicy[];

/**
 * Why `iceServers` and `iceTransportPolicy` cannot be used, or null; the development server checks
 * its options with it too. It says now what the browser would refuse later: RTCPeerConnection throws
 * for a URL of another scheme and for a TURN server without credentials, and with `relay` and no
 * TURN server no call can ever connect. The page gives no other RTCConfiguration field: the defaults
 * suit one-to-one calls (bundle, rtcp-mux, fresh certificates), and a candidate pool would allocate
 * on the TURN server at every page load, for calls that mostly never happen.
 */
export function iceConfigError(iceServers: unknown, policy: unknown): string | null {
  if (!Array.isArray(iceServers) || !iceServers.every(isIceServer)) return 'the channel configuration has invalid iceServers';
  const servers: readonly RTCIceServer[] = iceServers;
  for (const server of servers) {
    for (const url of urlsOf(server)) {
      if (!ICE_SCHEME.test(url)) return `the channel configuration has an ICE server URL that is not stun:, stuns:, turn: or turns: (${JSON.stringify(url)})`;
      if (TURN_SCHEME.test(url) && (!nonEmpty(server.username) || !nonEmpty(server.credential))) {
        return `the channel configuration has a TURN server without username and credential (${JSON.stringify(url)})`;
      }
    }
  }
  if (policy === undefined) return null;
  if (typeof policy !== 'string' || !TRANSPORT_POLICIES.includes(policy)) {
    return `the channel configuration has an invalid iceTransportPolicy ${JSON.stringify(policy)} (all or relay)`;
  }
  if (policy === 'relay' && !servers.some((server) => urlsOf(server).some((url) => TURN_SCHEME.test(url)))) {
    return 'the channel configuration has iceTransportPolicy relay but no turn: or turns: server';
  }
  return null;
}

/** Resolves a relative verto URL against the page URL, mapping http(s) to ws(s). */
export function resolveVertoUrl(vertoUrl: string, pageUrl: string): string {
  const url = new URL(vertoUrl, pageUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/** Validates parsed config JSON; pure, so the page can show exactly what is wrong. */
export function validateConfig(raw: unknown, pageUrl: string): ConfigResult {
  if (!isRecord(raw)) return { ok: false, error: 'the channel configuration is not a JSON object' };
  for (const key of ['vertoUrl', 'channelId', 'login', 'password'] as const) {
    if (!nonEmpty(raw[key])) return { ok: false, error: `the channel configuration has no ${key}` };
  }
  const iceServers = (raw.iceServers ?? []) as readonly RTCIceServer[];
  const iceError = iceConfigError(iceServers, raw.iceTransportPolicy);
  if (iceError !== null) return { ok: false, error: iceError };
  if (raw.indexUrl !== undefined && typeof raw.indexUrl !== 'string') {
    return { ok: false, error: 'the channel configuration has an invalid indexUrl' };
  }
  let vertoUrl: string;
  try {
    vertoUrl = resolveVertoUrl(raw.vertoUrl as string, pageUrl);
  } catch {
    return { ok: false, error: 'the channel configuration has an invalid vertoUrl' };
  }
  if (!/^wss?:$/.test(new URL(vertoUrl).protocol)) return { ok: false, error: 'the verto URL must be ws:// or wss://' };
  return {
    ok: true,
    config: {
      vertoUrl,
      channelId: (raw.channelId as string).toLowerCase(),
      login: (raw.login as string).trim(),
      password: raw.password as string,
      iceServers: iceServers,
      iceTransportPolicy: raw.iceTransportPolicy as RTCIceTransportPolicy | undefined,
      indexUrl: (raw.indexUrl) ?? '/',
    },
  };
}

/** Reads and validates `#channel-config` from the document. */
export function readConfig(doc: Document): ConfigResult {
  const el = doc.getElementById('channel-config');
  if (!el) return { ok: false, error: 'this page has no channel configuration (#channel-config)' };
  let raw: unknown;
  try {
    raw = JSON.parse(el.textContent ?? '');
  } catch {
    return { ok: false, error: 'the channel configuration is not valid JSON' };
  }
  return validateConfig(raw, doc.location?.href ?? 'http://localhost/');
}
