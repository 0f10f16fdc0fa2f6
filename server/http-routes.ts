import type { IncomingMessage, ServerResponse } from 'node:http';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';
import { pageHeaders, renderChannelPage, notFoundPage } from './channel-page';
import type { CredentialStore } from './credential-store';
import type { Logger } from './logger';
import { pageIce, type PageIceOptions } from './page-ice';

export interface RouteOptions {
  readonly store: CredentialStore;
  readonly template: string;
  readonly staticDirs: readonly string[];
  /** Fallback for the CSP when a request's Host header is missing or odd. */
  readonly defaultHost: string;
  /** The directory domain: pages configure `login` as `<id>@<domain>`. */
  readonly domain: string;
  readonly logger: Logger;
  /** ICE servers, minted TURN credentials and the policy every page gets. */
  readonly ice: PageIceOptions;
}

const CHANNEL_PATH = /^\/c\/([A-Za-z0-9._-]{1,128})\/?$/;
// A Host header only goes into the CSP when it is a plain host[:port].
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The Django side: `/` makes a channel, `/c/<id>` issues a client and renders the page, `/static/*` from disk. */
export function createRequestHandler(options: RouteOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const servers = options.staticDirs.map((dir) =>
    serveStatic(dir, { index: false, fallthrough: true, setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff') }),
  );

  const serveFromStatic = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const done = finalhandler(req, res);
    // serve-static resolves the path against each root; strip only our mount prefix.
    req.url = path.slice('/static'.length) || '/';
    const next = (index: number) => (error?: unknown): void => {
      if (error || index >= servers.length) return done(error);
      servers[index](req, res, next(index + 1));
    };
    next(0)();
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const host = req.headers.host && SAFE_HOST.test(req.headers.host) ? req.headers.host : options.defaultHost;
    const getLike = req.method === 'GET' || req.method === 'HEAD';
    if (url.pathname === '/static' || url.pathname.startsWith('/static/')) return serveFromStatic(req, res, url.pathname + url.search);
    if (!getLike) {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    if (url.pathname === '/') {
      const channelId = options.store.createChannel();
      options.logger.info(`[http] new channel ${channelId}`);
      res.writeHead(302, { Location: `/c/${channelId}`, 'Cache-Control': 'no-store' }).end();
      return;
    }
    const match = CHANNEL_PATH.exec(url.pathname);
    const channelId = match?.[1];
    if (!channelId || !options.store.hasChannel(channelId)) {
      res.writeHead(404, pageHeaders(host)).end(req.method === 'HEAD' ? undefined : notFoundPage());
      return;
    }
    const client = options.store.issueClient(channelId);
    options.logger.info(`[${client.id}] issued for channel ${channelId}`);
    const html = renderChannelPage(options.template, {
      vertoUrl: '/verto',
      channelId,
      login: `${client.id}@${options.domain}`,
      password: client.password,
      ...pageIce(options.ice, client.id, Date.now()),
      indexUrl: '/',
    });
    res.writeHead(200, pageHeaders(host)).end(req.method === 'HEAD' ? undefined : html);
  };
}
