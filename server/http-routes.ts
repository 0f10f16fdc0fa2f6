import type { IncomingMessage, ServerResponse } from 'node:http';
import finalhandler from 'finalhandler';
import serveStatic from 'serve-static';
import { pageHeaders, renderChannelPage, notFoundPage } from './channel-page';
import type { CredentialStore } from './credential-store';
import { answerDirectoryRequest, type DirectoryViewOptions } from './directory-view';
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
  /** False on a node that reads its directory from a URL: its store knows nobody, so it issues no pages. */
  readonly pages?: boolean;
  /** Serve the store as Django's mod_xml_curl view at `POST /freeswitch/directory/` (off unless given). */
  readonly directoryView?: Omit<DirectoryViewOptions, 'store' | 'domain'>;
}

/** Where Django's view is mounted in deploy/README.md and xml_curl.conf.xml. */
export const DIRECTORY_VIEW_PATH = '/freeswitch/directory/';
/** A lookup form is a few hundred bytes. */
const MAX_FORM_BYTES = 64 * 1024;

/** The posted form, or why there is none: over the size limit, or the request cut off before its end. */
function readForm(req: IncomingMessage): Promise<URLSearchParams | 'too large' | 'cut off'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_FORM_BYTES ? 'too large' : new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve('cut off'));
  });
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
    const view = options.directoryView;
    if (view && url.pathname === DIRECTORY_VIEW_PATH) {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
        return;
      }
      void readForm(req).then((form) => {
        if (form === 'cut off') return void res.destroy();
        if (form === 'too large') return void res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8' }).end('form too large\n');
        const answer = answerDirectoryRequest({ ...view, store: options.store, domain: options.domain }, req.headers.authorization, form);
        res.writeHead(answer.status, answer.headers).end(answer.body);
      });
      return;
    }
    if (!getLike) {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    if (options.pages === false && (url.pathname === '/' || CHANNEL_PATH.test(url.pathname))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This node reads its directory from a URL: open channel pages on the server that issues them.\n');
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
      // The channel in the path: the proxy in front of several nodes hashes on it (deploy/nginx).
      vertoUrl: `/verto/${channelId}`,
      channelId,
      login: `${client.id}@${options.domain}`,
      password: client.password,
      ...pageIce(options.ice, client.id, Date.now()),
      indexUrl: '/',
    });
    res.writeHead(200, pageHeaders(host)).end(req.method === 'HEAD' ? undefined : html);
  };
}
