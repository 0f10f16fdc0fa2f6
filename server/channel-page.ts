import { jsonScript, type Json } from './json-script';
import type { IceServerJson } from './turn-credentials';

/** The config Django's channel page embeds (src/config.ts reads it). */
export interface PageConfig {
  readonly vertoUrl: string;
  readonly channelId: string;
  readonly login: string;
  readonly password: string;
  readonly iceServers: readonly IceServerJson[];
  /** Absent: the browser's default (`all`). */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  readonly indexUrl: string;
}

export const CONFIG_MARKER = '<!--channel-config-->';

/** Pure: the demo page with its config element in place of the marker (a replacer function, so `$` in values stays literal). */
export function renderChannelPage(template: string, config: PageConfig): string {
  const { vertoUrl, channelId, login, password, iceServers, iceTransportPolicy, indexUrl } = config;
  // Keys in Django's order, and only those given (JSON has no undefined).
  const servers = iceServers.map(({ urls, username, credential }) => {
    const server: Record<string, Json> = { urls: typeof urls === 'string' ? urls : [...urls] };
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.credential = credential;
    return server;
  });
  const value: Record<string, Json> = { vertoUrl, channelId, login, password, iceServers: servers };
  if (iceTransportPolicy !== undefined) value.iceTransportPolicy = iceTransportPolicy;
  value.indexUrl = indexUrl;
  const element = jsonScript(value, 'channel-config');
  return template.replace(CONFIG_MARKER, () => element);
}

export const notFoundPage = (): string =>
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
  '<body><h1>Not found</h1><p>There is no such channel. <a href="/">Open a new one</a>.</p></body></html>\n';

/**
 * Page security headers: no inline script and no eval (the config element is JSON data, not script),
 * WebSockets only to this host.
 */
export function pageHeaders(host: string): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ws://${host} wss://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // The page carries freshly issued credentials: never cache it.
    'Cache-Control': 'no-store',
  };
}
