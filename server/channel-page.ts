import { jsonScript } from './json-script';

/** The config Django's channel page embeds (src/config.ts reads it). */
export interface PageConfig {
  readonly vertoUrl: string;
  readonly channelId: string;
  readonly login: string;
  readonly password: string;
  readonly iceServers: readonly never[];
  readonly indexUrl: string;
}

export const CONFIG_MARKER = '<!--channel-config-->';

/** Pure: the demo page with its config element in place of the marker (a replacer function, so `$` in values stays literal). */
export function renderChannelPage(template: string, config: PageConfig): string {
  const { vertoUrl, channelId, login, password, iceServers, indexUrl } = config;
  const element = jsonScript({ vertoUrl, channelId, login, password, iceServers: [...iceServers], indexUrl }, 'channel-config');
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
