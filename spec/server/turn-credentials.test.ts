/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// TURN REST API credentials (coturn's use-auth-secret) as the development server puts them in each page.
// jsdom only for DOMParser; node export conditions so `ws` loads its server build.
import { request } from 'node:http';
import cases from '../support/turn-credential-cases.json';
import { pageIce, pageIceError } from '../../server/page-ice';
import { TURN_TTL_SECONDS, turnCredential, turnIceServer } from '../../server/turn-credentials';
import { startTestServer } from './support/start';

const TURN_URLS = ['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.org:5349'];

describe('turnCredential: the shared table of vectors (also checked against Django)', () => {
  it.each(cases.cases)('$username', ({ secret, clientId, issuedAt, ttlSeconds, username, credential }) => {
    expect(turnCredential(secret, clientId, issuedAt + ttlSeconds)).toEqual({ username, credential });
    expect(turnIceServer({ secret, urls: TURN_URLS, ttlSeconds }, clientId, issuedAt * 1000 + 999)).toEqual({ urls: TURN_URLS, username, credential });
  });

  it('lasts 12 hours by default, as the page’s login credentials', () => {
    expect(TURN_TTL_SECONDS).toBe(43_200);
    expect(turnIceServer({ secret: 's', urls: TURN_URLS }, 'c1', 1_000_000_000_000).username).toBe(`${1_000_000_000 + 43_200}:c1`);
  });
});

describe('pageIce / pageIceError', () => {
  const [vector] = cases.cases;
  const turn = { secret: vector.secret, urls: TURN_URLS, ttlSeconds: vector.ttlSeconds };

  it('lists the given servers, then the minted TURN server, and the policy when one is given', () => {
    const stun = { urls: 'stun:stun.example.org' };
    expect(pageIce({ iceServers: [stun], turn, iceTransportPolicy: 'relay' }, vector.clientId, vector.issuedAt * 1000)).toEqual({
      iceServers: [stun, { urls: TURN_URLS, username: vector.username, credential: vector.credential }],
      iceTransportPolicy: 'relay',
    });
    expect(pageIce({}, 'c1', 0)).toEqual({ iceServers: [] });
  });

  it.each<[string, Parameters<typeof pageIceError>[0], string | null]>([
    ['no ICE at all', {}, null],
    ['a TURN secret with relay', { turn, iceTransportPolicy: 'relay' }, null],
    ['an empty secret', { turn: { ...turn, secret: '' } }, 'the TURN secret is empty'],
    ['a secret without URLs', { turn: { ...turn, urls: [] } }, 'a TURN secret needs at least one turn: or turns: URL'],
    ['a secret for a STUN URL', { turn: { ...turn, urls: ['stun:x.example'] } }, 'the TURN secret is for turn: or turns: URLs, not "stun:x.example"'],
    ['a fractional lifetime', { turn: { ...turn, ttlSeconds: 1.5 } }, 'the TURN credential lifetime must be a whole number of seconds, not 1.5'],
    ['relay without TURN', { iceServers: [{ urls: 'stun:x.example' }], iceTransportPolicy: 'relay' }, 'the channel configuration has iceTransportPolicy relay but no turn: or turns: server'],
    ['an http: ICE server', { iceServers: [{ urls: 'http://x.example' }] }, 'the channel configuration has an ICE server URL that is not stun:, stuns:, turn: or turns: ("http://x.example")'],
  ])('%s', (_case, options, error) => {
    expect(pageIceError(options)).toBe(error);
  });
});

describe('the development server with a TURN secret', () => {
  const get = (url: string): Promise<string> =>
    new Promise((resolve, reject) => {
      request(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      })
        .on('error', reject)
        .end();
    });
  const configOf = (html: string): { login: string; iceServers: { urls: string[]; username: string; credential: string }[]; iceTransportPolicy?: string } =>
    JSON.parse(new DOMParser().parseFromString(html, 'text/html').getElementById('channel-config')?.textContent ?? '{}');

  it('gives each page load its own credentials, named after its client and valid for the TTL from now', async () => {
    const secret = 'dev-secret';
    const server = await startTestServer({ ice: { turn: { secret, urls: TURN_URLS, ttlSeconds: 600 }, iceTransportPolicy: 'relay' } });
    try {
      const channel = server.store.createChannel();
      const before = Math.floor(Date.now() / 1000);
      const [a, b] = [configOf(await get(`${server.url}/c/${channel}`)), configOf(await get(`${server.url}/c/${channel}`))];
      const after = Math.floor(Date.now() / 1000);
      for (const page of [a, b]) {
        expect(page.iceTransportPolicy).toBe('relay');
        expect(page.iceServers).toHaveLength(1);
        const [server0] = page.iceServers;
        expect(server0.urls).toEqual(TURN_URLS);
        const [expiry, clientId] = server0.username.split(':');
        expect(clientId).toBe(page.login.split('@')[0]);
        expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
        expect(Number(expiry)).toBeLessThanOrEqual(after + 600);
        expect(server0.credential).toBe(turnCredential(secret, clientId, Number(expiry)).credential);
      }
      expect(a.iceServers[0].username).not.toBe(b.iceServers[0].username);
    } finally {
      await server.close();
    }
  });

  it('refuses to start with ICE options no page could use', async () => {
    await expect(startTestServer({ ice: { iceTransportPolicy: 'relay' } })).rejects.toThrow(
      'invalid ICE options: the channel configuration has iceTransportPolicy relay but no turn: or turns: server',
    );
  });
});
