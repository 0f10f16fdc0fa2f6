/**
 * The scale benchmark's window on the directory: a counting HTTP proxy between the nodes and the
 * page server's directory view (Django's stand-in). Every lookup a node makes passes here, so the
 * benchmark counts Django requests per login, per call setup and per failover. For users named in
 * `uncached`, it strips the `cacheable` attribute, which is what Django answers with
 * VERTO_PEER_DIRECTORY_CACHE_MS = 0: the control group for "what the cache saves".
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DirectoryProxy {
  /** The URL the nodes get as --directory-url. */
  readonly url: string;
  /** Lookups so far: mod_verto's at login (action jsonrpc-authenticate), the relay's user_data (no action). */
  readonly counts: { login: number; userData: number };
  /** Users answered without cacheable from now on. */
  readonly uncached: Set<string>;
  close(): Promise<void>;
}

const readBody = (stream: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

export async function startDirectoryProxy(target: string): Promise<DirectoryProxy> {
  const counts = { login: 0, userData: 0 };
  const uncached = new Set<string>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const form = new URLSearchParams(body.toString('utf8'));
      const user = form.get('user') ?? '';
      if (form.get('action') === 'jsonrpc-authenticate') counts.login += 1;
      else counts.userData += 1;
      const headers = { 'Content-Type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded', Authorization: req.headers.authorization ?? '' };
      const upstream = request(target, { method: 'POST', headers, agent: false }, (answer) => {
        void readBody(answer).then((reply) => {
          const text = uncached.has(user) ? reply.toString('utf8').replace(/ cacheable="\d+"/g, '') : reply;
          res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'text/xml' }).end(text);
        });
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/freeswitch/directory/`,
    counts,
    uncached,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
