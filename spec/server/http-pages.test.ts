/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// jsdom only for DOMParser (the page is parsed as a browser would); node export conditions so `ws` loads its server build.
import { request } from 'node:http';
import { CredentialStore } from '../../server/credential-store';
import { renderChannelPage } from '../../server/channel-page';
import type { RunningServer } from '../../server/server';
import { startTestServer } from './support/start';

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const get = (url: string, method = 'GET'): Promise<Response> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });

const configOf = (html: string): { element: Element | null; scripts: number } => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return { element: doc.getElementById('channel-config'), scripts: doc.querySelectorAll('script').length };
};

describe('pages: the Django stand-in', () => {
  let server: RunningServer;
  const store = new CredentialStore();
  beforeAll(async () => {
    server = await startTestServer({ store });
  });
  afterAll(() => server.close());

  it('creates a channel on / and redirects to /c/<uuid>', async () => {
    const res = await get(`${server.url}/`);
    expect(res.status).toBe(302);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/c\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.hasChannel(location.slice(3))).toBe(true);
  });

  it('renders the channel page with a fresh client per load as a json_script config element, under a strict CSP', async () => {
    const channelId = store.createChannel();
    const [first, second] = [await get(`${server.url}/c/${channelId}`), await get(`${server.url}/c/${channelId}`)];
    expect(first.status).toBe(200);
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(first.headers['cache-control']).toBe('no-store');
    const { element } = configOf(first.body);
    expect(element?.getAttribute('type')).toBe('application/json');
    const config = JSON.parse(element?.textContent ?? '');
    // The login as the client sends it, id@domain; the issued user may use only the methods the client uses.
    // The channel in the verto path, for the proxy's channel affinity (deploy/nginx).
    expect(config).toEqual({ vertoUrl: `/verto/${channelId}`, channelId, login: expect.stringMatching(/^[0-9a-f-]{36}@localhost$/), password: expect.any(String), iceServers: [], indexUrl: '/' });
    const id = config.login.split('@')[0];
    expect(store.findUser(id)).toEqual({
      id,
      password: config.password,
      allowedMethods: 'verto.subscribe,verto.broadcast,verto.info,verto.ping',
      allowedEventChannels: channelId,
    });
    expect(JSON.parse(configOf(second.body).element?.textContent ?? '').login).not.toBe(config.login);
    // Exactly Django's output: Python separators, the bundle's script tag kept.
    expect(first.body).toContain(`<script id="channel-config" type="application/json">{"vertoUrl": "/verto/${channelId}", "channelId": "${channelId}"`);
    expect(first.body).toContain('<script defer src="/static/verto-peer.js"></script>');
  });

  it('HTML-escapes the config so a </script> inside a value cannot break out', () => {
    const html = renderChannelPage('<body><!--channel-config--></body>', {
      vertoUrl: '</script><script>alert(1)</script>',
      channelId: "c & 'd' $& é",
      login: '<!--',
      password: 'p',
      iceServers: [],
      indexUrl: '/',
    });
    expect(html).not.toContain('</script><script>');
    expect(html).toContain('\\u003C/script\\u003E');
    expect(html).toContain('\\u0026 \'d\' $\\u0026 \\u00e9');
    const { element, scripts } = configOf(html);
    expect(scripts).toBe(1);
    expect(JSON.parse(element?.textContent ?? '')).toMatchObject({ vertoUrl: '</script><script>alert(1)</script>', channelId: "c & 'd' $& é", login: '<!--' });
  });

  it('writes the ICE part of the config as Django does: only the fields given, urls as given', () => {
    const base = { vertoUrl: 'ws://x/verto', channelId: 'c', login: 'l@d', password: 'p', indexUrl: '/' };
    const read = (html: string): unknown => JSON.parse(configOf(html).element?.textContent ?? '');
    const withTurn = renderChannelPage('<!--channel-config-->', {
      ...base,
      iceServers: [{ urls: 'stun:s' }, { urls: ['turn:t?transport=udp', 'turns:t'], username: '9:l', credential: 'c=' }],
      iceTransportPolicy: 'relay',
    });
    expect(read(withTurn)).toEqual({
      ...base,
      iceServers: [{ urls: 'stun:s' }, { urls: ['turn:t?transport=udp', 'turns:t'], username: '9:l', credential: 'c=' }],
      iceTransportPolicy: 'relay',
    });
    expect(Object.keys(read(renderChannelPage('<!--channel-config-->', { ...base, iceServers: [] })) as object)).toEqual([
      'vertoUrl', 'channelId', 'login', 'password', 'iceServers', 'indexUrl',
    ]);
  });

  it('answers an unknown channel with a 404 page and other methods with 405', async () => {
    const missing = await get(`${server.url}/c/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Not found');
    expect(missing.headers['content-security-policy']).toBeDefined();
    expect((await get(`${server.url}/c/${store.createChannel()}`, 'POST')).status).toBe(405);
  });

  it('serves /static from disk with nosniff, and nothing outside it', async () => {
    const logo = await get(`${server.url}/static/logo.svg`);
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toContain('image/svg+xml');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    for (const path of ['/static/../package.json', '/static/%2e%2e/package.json', '/static/..%2fpackage.json', '/static/nope.js']) {
      const res = await get(`${server.url}${path}`);
      expect([path, res.status]).toEqual([path, expect.any(Number)]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('"devDependencies"');
    }
  });

  it('keeps channels and issued clients across a stop and a restart on the same port when given the same store', async () => {
    const channelId = store.createChannel();
    const page = await get(`${server.url}/c/${channelId}`);
    const { port } = server;
    await server.close();
    server = await startTestServer({ store, port });
    expect((await get(`${server.url}/c/${channelId}`)).status).toBe(200);
    const config = JSON.parse(configOf(page.body).element?.textContent ?? '');
    expect(store.findUser(config.login.split('@')[0])?.password).toBe(config.password);
  });
});
