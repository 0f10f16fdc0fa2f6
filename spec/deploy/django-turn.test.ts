// verto_peer.turn with real Django: the same credential vectors as the development server
// (spec/support/turn-credential-cases.json), and the settings a site gives it.
import cases from '../support/turn-credential-cases.json';
import { PYTHON, requireInterpreter, run } from './support/interpreters';

const DJANGO_HINT = "the Django tests need Debian's /usr/bin/python3 with Django (apt-get install python3-django; bash .ci/run installs it)";
const URLS = ['turn:turn.example.org:3478', 'turns:turn.example.org:5349?transport=tcp'];

type Outcome = { result?: unknown; error?: string };
function call(inputs: readonly unknown[]): Outcome[] {
  const result = run(PYTHON, ['spec/deploy/support/turn_credentials.py'], JSON.stringify(inputs), DJANGO_HINT);
  if (result.status !== 0) throw new Error(`turn_credentials.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

beforeAll(() => requireInterpreter(PYTHON, ['-c', 'import django'], DJANGO_HINT));

describe('verto_peer.turn', () => {
  it('turn_credential gives every vector of the shared table', () => {
    const outcomes = call(cases.cases.map((c) => ({ credential: [c.secret, c.clientId, c.issuedAt + c.ttlSeconds] })));
    expect(outcomes).toEqual(cases.cases.map((c) => ({ result: [c.username, c.credential] })));
  });

  it('turn_ice_servers mints one TURN server from the settings, valid VERTO_PEER_TURN_TTL from now', () => {
    const outcomes = call(cases.cases.map((c) => ({ settings: { VERTO_PEER_TURN_SECRET: c.secret, VERTO_PEER_TURN_URLS: URLS, VERTO_PEER_TURN_TTL: c.ttlSeconds }, client_id: c.clientId, now: c.issuedAt })));
    expect(outcomes).toEqual(cases.cases.map((c) => ({ result: [{ urls: URLS, username: c.username, credential: c.credential }] })));
  });

  it('lasts 12 hours by default, and gives no TURN server without a secret', () => {
    const [vector] = cases.cases;
    const [byDefault, unset, empty] = call([
      { settings: { VERTO_PEER_TURN_SECRET: vector.secret, VERTO_PEER_TURN_URLS: URLS }, client_id: vector.clientId, now: vector.issuedAt },
      { settings: {}, client_id: vector.clientId, now: vector.issuedAt },
      { settings: { VERTO_PEER_TURN_SECRET: '', VERTO_PEER_TURN_URLS: URLS }, client_id: vector.clientId, now: vector.issuedAt },
    ]);
    expect(byDefault.result).toEqual([expect.objectContaining({ username: `${vector.issuedAt + 43_200}:${vector.clientId}` })]);
    expect(unset).toEqual({ result: [] });
    expect(empty).toEqual({ result: [] });
  });

  const refusals: [string, Record<string, unknown>, string, string][] = [
    ['no URLs', { VERTO_PEER_TURN_SECRET: 's' }, 'c1', 'ImproperlyConfigured: VERTO_PEER_TURN_URLS must list the turn: or turns: URLs of the server that has VERTO_PEER_TURN_SECRET'],
    ['a STUN URL', { VERTO_PEER_TURN_SECRET: 's', VERTO_PEER_TURN_URLS: ['stun:turn.example.org'] }, 'c1', 'ImproperlyConfigured: VERTO_PEER_TURN_URLS must list the turn: or turns: URLs of the server that has VERTO_PEER_TURN_SECRET'],
    ['a zero TTL', { VERTO_PEER_TURN_SECRET: 's', VERTO_PEER_TURN_URLS: URLS, VERTO_PEER_TURN_TTL: 0 }, 'c1', 'ImproperlyConfigured: VERTO_PEER_TURN_TTL must be a whole number of seconds'],
    ['a TTL as text', { VERTO_PEER_TURN_SECRET: 's', VERTO_PEER_TURN_URLS: URLS, VERTO_PEER_TURN_TTL: '600' }, 'c1', 'ImproperlyConfigured: VERTO_PEER_TURN_TTL must be a whole number of seconds'],
    ['a client id with the separator', { VERTO_PEER_TURN_SECRET: 's', VERTO_PEER_TURN_URLS: URLS }, '1:admin', 'ValueError: invalid client id'],
  ];
  it('refuses settings that cannot work, and a client id with the separator, saying which', () => {
    const outcomes = call(refusals.map(([, settings, clientId]) => ({ settings, client_id: clientId, now: 0 })));
    expect(outcomes.map((o, i) => [refusals[i][0], o])).toEqual(refusals.map(([what, , , error]) => [what, { error }]));
  });
});
