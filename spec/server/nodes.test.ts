import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { parseDirectory } from '../../server/directory-file';
import { UrlDirectory } from '../../server/directory-url';
import { directoryDocument } from '../../server/directory-view';
import { DIRECTORY_VIEW_PATH } from '../../server/http-routes';
import type { RunningServer } from '../../server/server';
import { A, B, C1, fixtureStore, X } from './support/fixture-users';
import { captureLogger, startTestServer } from './support/start';
import { isRecord, TestClient } from './support/test-client';

const CREDENTIALS = 'freeswitch:s3cret';
const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

function post(url: string, body: string, authorization?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (authorization) headers.Authorization = authorization;
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const lookup = (user: string, extra: Record<string, string> = {}): string => new URLSearchParams({ section: 'directory', user, domain: 'localhost', ...extra }).toString();

describe("the server's directory view (Django's mod_xml_curl view, for the nodes)", () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('answers a lookup with the user and its cacheable attribute, and "not found" for other users, domains and sections', async () => {
    server = await startTestServer({ store: fixtureStore(), directoryView: { credentials: CREDENTIALS, cacheableMs: 60_000 } });
    const url = server.url + DIRECTORY_VIEW_PATH;
    const found = await post(url, lookup(A.id, { action: 'jsonrpc-authenticate' }), basic(CREDENTIALS));
    expect(found.status).toBe(200);
    expect(parseDirectory(found.body)).toEqual({ domains: ['localhost'], users: [{ ...A, cacheable: '60000' }] });
    for (const form of [lookup('nobody'), lookup(A.id, { domain: 'elsewhere' }), lookup(A.id, { section: 'dialplan' }), lookup('a b'), '']) {
      const answer = await post(url, form, basic(CREDENTIALS));
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<result status="not found"/>');
    }
  });

  it('refuses without the gateway credentials, other methods and oversized forms; without the option there is no view', async () => {
    server = await startTestServer({ store: fixtureStore(), directoryView: { credentials: CREDENTIALS, cacheableMs: 0 } });
    const url = server.url + DIRECTORY_VIEW_PATH;
    expect((await post(url, lookup(A.id))).status).toBe(401);
    expect((await post(url, lookup(A.id), basic('freeswitch:wrong'))).status).toBe(401);
    expect((await post(url, lookup(A.id), 'Bearer x')).status).toBe(401);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post(url, 'x='.padEnd(70_000, 'y'), basic(CREDENTIALS))).status).toBe(413);
    // A lookup cut off in the middle of its form gets nothing; the next one is answered.
    await new Promise<void>((resolve) => {
      const cut = request(url, { method: 'POST', headers: { 'Content-Length': '1000', Authorization: basic(CREDENTIALS) }, agent: false });
      cut.on('error', () => resolve());
      cut.write('section=dir', () => cut.destroy());
      cut.on('close', () => resolve());
    });
    const withoutCache = await post(url, lookup(A.id), basic(CREDENTIALS));
    expect(withoutCache.body).not.toContain('cacheable');
    await server.close();
    server = await startTestServer({ store: fixtureStore() });
    expect((await post(server.url + DIRECTORY_VIEW_PATH, lookup(A.id), basic(CREDENTIALS))).status).toBe(405);
  });
});

describe('a node reading its directory from a URL', () => {
  let directory: Server;
  let directoryUrl: string;
  let node: RunningServer;
  const requests: Array<{ user: string | null; action: string | null }> = [];
  /** What the directory answers; a test may slow it down. */
  let cacheableMs = 0;
  let delayMs = 0;
  let failing = false;
  const store = fixtureStore();
  const logger = captureLogger();

  beforeAll(async () => {
    directory = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        requests.push({ user: form.get('user'), action: form.get('action') });
        const user = store.findUser(form.get('user') ?? '');
        const answer = (): void => {
          if (failing) return void res.writeHead(500).end('Server Error');
          res.writeHead(200, { 'Content-Type': 'text/xml' }).end(directoryDocument('localhost', user ? [user] : [], cacheableMs));
        };
        // A random part reorders concurrent lookups.
        setTimeout(answer, delayMs === 0 ? 0 : delayMs + Math.random() * delayMs);
      });
    });
    await new Promise<void>((resolve) => directory.listen(0, '127.0.0.1', resolve));
    directoryUrl = `http://127.0.0.1:${(directory.address() as AddressInfo).port}${DIRECTORY_VIEW_PATH}`;
  });
  afterAll(() => new Promise((resolve) => directory.close(resolve)));

  const startNode = async (): Promise<RunningServer> =>
    (node = await startTestServer({ directory: new UrlDirectory({ url: directoryUrl, credentials: CREDENTIALS, timeoutMs: 2000, domain: 'localhost', logger }), logger }));
  beforeEach(() => {
    requests.length = 0;
    cacheableMs = 0;
    delayMs = 0;
    failing = false;
  });
  afterEach(() => node.close());

  const login = async (client: TestClient, user: typeof A, sessid = `s-${user.id}`) => client.call('login', { login: `${user.id}@localhost`, passwd: user.password, sessid });

  it('logs users of the shared directory in, with the same refusals as mod_verto, and issues no pages itself', async () => {
    await startNode();
    const a = await TestClient.open(node.vertoUrl);
    expect((await login(a, { ...A, password: 'wrong' })).error).toEqual({ code: -32001, message: 'Authentication Failure' });
    expect((await login(a, X)).result).toEqual({ message: 'logged in', sessid: `s-${X.id}` });
    const unknown = await TestClient.open(node.vertoUrl);
    expect((await unknown.call('login', { login: 'nobody@localhost', passwd: 'x' })).error).toEqual({ code: -32001, message: 'Login Incorrect' });
    expect(requests).toEqual([
      { user: A.id, action: 'jsonrpc-authenticate' },
      { user: X.id, action: 'jsonrpc-authenticate' },
      { user: 'nobody', action: 'jsonrpc-authenticate' },
    ]);
    const page = await fetch(`${node.url}/`, { redirect: 'manual' });
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/reads its directory from a URL/);
    await Promise.all([a.close(), unknown.close()]);
  });

  it('costs the directory two requests per relayed message without cacheable, none with it (the login filled the cache)', async () => {
    const relayMessages = async (): Promise<number> => {
      await startNode();
      const a = await TestClient.open(node.vertoUrl);
      const b = await TestClient.open(node.vertoUrl);
      await login(a, A);
      await login(b, B);
      const before = requests.length;
      for (let i = 0; i < 5; i += 1) await a.call('verto.info', { msg: { to: B.id, body: 'b2ZmZXI=' } });
      for (let i = 0; i < 5; i += 1) expect((await b.request('verto.info')).params.msg.from).toBe(`${A.id}@localhost`);
      await Promise.all([a.close(), b.close()]);
      await node.close();
      return requests.length - before;
    };
    expect(await relayMessages()).toBe(10);
    expect(requests.slice(-2)).toEqual([
      { user: A.id, action: null },
      { user: B.id, action: null },
    ]);
    cacheableMs = 60_000;
    expect(await relayMessages()).toBe(0);
  });

  it("processes a socket's frames after its login's lookup, in order, and relays one sender's messages in order while lookups overtake each other", async () => {
    delayMs = 30;
    await startNode();
    const b = await TestClient.open(node.vertoUrl);
    await login(b, B);
    const a = await TestClient.open(node.vertoUrl);
    // All at once: the subscribe and broadcast must wait for the login's answer, not fail as unauthenticated.
    a.send({ jsonrpc: '2.0', id: 'l', method: 'login', params: { login: `${A.id}@localhost`, passwd: A.password, sessid: 'sa' } });
    a.send({ jsonrpc: '2.0', id: 's', method: 'verto.subscribe', params: { eventChannel: C1 } });
    a.send([{ jsonrpc: '2.0', id: 'p', method: 'verto.ping', params: {} }]);
    const bodies = ['MQ==', 'Mg==', 'Mw==', 'NA==', 'NQ=='];
    for (const body of bodies) a.send({ jsonrpc: '2.0', id: `m${body}`, method: 'verto.info', params: { msg: { to: B.id, body } } });
    const replies: string[] = [];
    while (replies.length < 2 + bodies.length) {
      const frame = await a.next((f) => isRecord(f) && 'id' in f && !('method' in f || Array.isArray(f)), 3000);
      replies.push(String((frame as { id: unknown }).id));
    }
    expect(replies).toEqual(['l', 's', ...bodies.map((body) => `m${body}`)]);
    expect(await a.next(Array.isArray)).toEqual([{ jsonrpc: '2.0', id: 'p', result: { message: 'PONG' } }]);
    const received: string[] = [];
    for (const _ of bodies) received.push((await b.request('verto.info', 3000)).params.msg.body);
    expect(received).toEqual(bodies);
    await Promise.all([a.close(), b.close()]);
  });

  it('holds the frames behind a second login that waits for the directory in turn', async () => {
    delayMs = 20;
    await startNode();
    const a = await TestClient.open(node.vertoUrl);
    a.send({ jsonrpc: '2.0', id: 'l1', method: 'login', params: { login: `${A.id}@localhost`, passwd: A.password, sessid: 'sa' } });
    a.send({ jsonrpc: '2.0', id: 'l2', method: 'login', params: { login: `${X.id}@localhost`, passwd: X.password } });
    a.send({ jsonrpc: '2.0', id: 'p1', method: 'verto.ping', params: {} });
    a.send({ jsonrpc: '2.0', id: 'p2', method: 'verto.ping', params: {} });
    const ids: unknown[] = [];
    while (ids.length < 4) ids.push(((await a.next((f) => isRecord(f) && !('method' in f), 3000)) as { id: unknown }).id);
    expect(ids).toEqual(['l1', 'l2', 'p1', 'p2']);
    expect(requests.map((r) => r.user)).toEqual([A.id, X.id]);
    await a.close();
  });

  it('answers Login Incorrect while the directory fails, logs why, and logs in on the same socket once it answers again', async () => {
    await startNode();
    const a = await TestClient.open(node.vertoUrl);
    failing = true;
    expect((await login(a, A)).error).toEqual({ code: -32001, message: 'Login Incorrect' });
    expect(logger.lines.some((line) => line.includes(`lookup of ${A.id} failed: HTTP 500`))).toBe(true);
    failing = false;
    expect((await login(a, A)).result).toEqual({ message: 'logged in', sessid: `s-${A.id}` });
    expect((await a.call('verto.ping', {})).result.message).toBe('PONG');
    await a.close();
  });
});

describe('a directory that fails outright', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('takes a rejected lookup as "not found": the login is refused, the relay drops, and the socket goes on', async () => {
    const store = fixtureStore();
    // Logins find their user; the relay's user_data lookups fail.
    const directory = { findUser: (id: string, purpose?: string) => (purpose === 'login' ? Promise.resolve(store.findUser(id)) : Promise.reject(new Error('directory down'))) };
    const failing = { findUser: () => Promise.reject(new Error('directory down')) };
    server = await startTestServer({ directory: failing });
    const refused = await TestClient.open(server.vertoUrl);
    expect((await refused.call('login', { login: A.id, passwd: A.password })).error).toEqual({ code: -32001, message: 'Login Incorrect' });
    await refused.close();
    await server.close();
    server = await startTestServer({ directory });
    const a = await TestClient.open(server.vertoUrl);
    const b = await TestClient.open(server.vertoUrl);
    await a.call('login', { login: A.id, passwd: A.password });
    await b.call('login', { login: B.id, passwd: B.password });
    const dropped = new Promise<{ reason: string }>((resolve) => server.events.once('relay-dropped', resolve));
    expect((await a.call('verto.info', { msg: { to: B.id, body: 'eA==' } })).result.message).toBe('SENT');
    expect((await dropped).reason).toBe('no shared channel');
    expect((await a.call('verto.ping', {})).result.message).toBe('PONG');
    await Promise.all([a.close(), b.close()]);
  });
});

describe('the verto upgrade path', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('takes /verto and any path below it (the pages use /verto/<channel>), and nothing else', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const base = server.vertoUrl;
    for (const url of [base, `${base}/${C1}`, `${base}/${C1}?x=1`]) {
      const client = await TestClient.open(url);
      expect((await client.call('login', { login: A.id, passwd: A.password })).result.message).toBe('logged in');
      await client.close();
    }
    for (const path of ['/vertox', '/other/verto', '/']) {
      const refused = new TestClient(server.vertoUrl.replace(/\/verto$/, path));
      await expect(refused.opened).rejects.toThrow(/404/);
    }
  });
});
