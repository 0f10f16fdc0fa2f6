import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { RunningServer, ServerOptions } from '../../server/server';
import { startTestServer } from '../server/support/start';
import { buildCommand, directoryStore, runCommand } from './support/command';

/**
 * `npm run check:verto` as an administrator runs it (the built command, a child process) against the
 * development server started from a directory file: two users in channel A, one in channel B, all with
 * the page's locked-down method list.
 */
const DOMAIN = 'pbx.test';
const CHANNEL_A = randomUUID();
const CHANNEL_B = randomUUID();
const users = {
  a1: { id: randomUUID(), password: randomUUID(), channel: CHANNEL_A },
  a2: { id: randomUUID(), password: randomUUID(), channel: CHANNEL_A },
  b1: { id: randomUUID(), password: randomUUID(), channel: CHANNEL_B },
};
const passwords = Object.values(users).map((u) => u.password);
const cred = (u: { id: string; password: string }): string => `${u.id}@${DOMAIN}:${u.password}`;

/** Every argument but the URL; `--wait` short because the server relays within ~5 ms here. */
const checkArgs = (extra: readonly string[] = []): string[] => [
  '--channel', CHANNEL_A, '--user', cred(users.a1), '--user', cred(users.a2),
  '--other-channel', CHANNEL_B, '--other', cred(users.b1),
  '--timeout', '3000', '--wait', '400', ...extra,
];

/** A loopback port that was free a moment ago and has nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const checkLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP) {2}/.test(l));

let server: RunningServer | undefined;
async function start(options: ServerOptions = {}): Promise<RunningServer> {
  const { store, domains } = directoryStore(DOMAIN, Object.values(users));
  server = await startTestServer({ store, domain: domains[0], ...options });
  return server;
}

beforeAll(() => buildCommand(), 120_000);
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('every check passes against the development server, and no password is printed', async () => {
  const s = await start();
  const cleartext = `ws://127.0.0.1:${await closedPort()}`;
  const result = await runCommand([s.vertoUrl, ...checkArgs(['--cleartext', cleartext])]);

  const lines = checkLines(result.stdout);
  expect(lines.filter((l) => !l.startsWith('PASS'))).toEqual([]);
  expect(lines.map((l) => l.slice(6).split(' — ')[0])).toEqual([
    'transport: wss://, or ws:// on loopback only',
    'auth gate: a request before login is refused',
    'auth gate: a wrong password is refused',
    `login: A1 ${users.a1.id}@${DOMAIN}`,
    `login: A2 ${users.a2.id}@${DOMAIN}`,
    `login: B1 ${users.b1.id}@${DOMAIN}`,
    'subscribe: A1 to channel A',
    'subscribe: A2 to channel A',
    'subscribe: B1 to channel B',
    'subscribe: A1 to channel B is refused',
    'broadcast: A1 to channel A reaches A2',
    'broadcast: A1 to channel B is refused',
    'peer message: A1 to A2 (same channel) is delivered',
    'broadcast: A1 to channel A does not reach B1',
    'peer message: A1 to B1 (other channel) is refused',
    'peer message: A1 to A2 with a plain-text body is refused',
    'peer message: A1 to A2 with a body containing | is refused',
    'verto.invite is refused',
    `cleartext: ${cleartext}/ serves no WebSocket`,
  ]);
  expect(result.stdout.trim().split('\n').at(-1)).toBe('19 passed, 0 failed');
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  for (const password of passwords) expect(result.stdout).not.toContain(password);
}, 30_000);

test('a relay that delivers across channels fails that check, and the command exits 1', async () => {
  const s = await start({ relay: { policy: 'any', delayMs: 5 } });
  const result = await runCommand([s.vertoUrl, ...checkArgs()]);

  const lines = checkLines(result.stdout);
  expect(lines).toContainEqual(expect.stringMatching(/^FAIL {2}peer message: A1 to B1 \(other channel\) is refused — delivered: verto\.info /));
  expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}peer message: A1 to A2 \(same channel\) is delivered/));
  expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  expect(result.code).toBe(1);
}, 30_000);

test('a cleartext address that serves WebSockets fails the cleartext check, without a login sent there', async () => {
  const s = await start();
  const logins: string[] = [];
  s.events.on('login', (e) => logins.push(e.login));
  // The development server itself stands in for a profile that fell back to plain ws.
  const result = await runCommand([s.vertoUrl, ...checkArgs(['--cleartext', `ws://127.0.0.1:${s.port}/verto`])]);

  expect(checkLines(result.stdout).at(-1)).toMatch(/^FAIL {2}cleartext: ws:\/\/127\.0\.0\.1:\d+\/verto serves no WebSocket — a plain WebSocket opened there/);
  expect(result.code).toBe(1);
  // The three users and the wrong-password probe logged in; nothing more went to the cleartext socket.
  expect(logins).toHaveLength(4);
}, 30_000);

test('a wrong password for a user fails its login and the checks that need it are reported as not run', async () => {
  const s = await start();
  const args = checkArgs();
  args[args.indexOf(cred(users.a1))] = `${users.a1.id}@${DOMAIN}:not-the-password`;
  const result = await runCommand([s.vertoUrl, ...args]);

  const lines = checkLines(result.stdout);
  expect(lines).toContainEqual(`FAIL  login: A1 ${users.a1.id}@${DOMAIN} — login refused: error -32001 "Authentication Failure"`);
  expect(lines).toContainEqual('SKIP  verto.invite is refused — not run: A1 is not logged in');
  // A refusal is not judged when even the allowed message could not be sent.
  expect(lines).toContainEqual('SKIP  peer message: A1 to B1 (other channel) is refused — not run: the same-channel message was not delivered, so a refusal would prove nothing');
  expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}login: A2 /));
  expect(result.stdout).not.toContain('not-the-password');
  expect(result.code).toBe(1);
}, 30_000);

test('an unreachable endpoint: one line on stderr and exit 3', async () => {
  const result = await runCommand([`ws://127.0.0.1:${await closedPort()}/verto`, ...checkArgs()]);

  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^check-verto: cannot reach ws:\/\/127\.0\.0\.1:\d+\/verto: connection refused\n$/);
  expect(result.code).toBe(3);
}, 30_000);

test.each([
  ['no URL', checkArgs(), /^check-verto: give exactly one verto URL \(ws:\/\/ or wss:\/\/\), got 0 \(--help shows the usage\)\n$/],
  ['an http URL', ['http://127.0.0.1:1/verto', ...checkArgs()], /^check-verto: the verto URL must start with ws:\/\/ or wss:\/\/, got http:\/\/ /],
  ['one user for channel A', ['ws://127.0.0.1:1/verto', ...checkArgs().slice(4)], /^check-verto: give --user exactly twice/],
  ['an unknown option', ['ws://127.0.0.1:1/verto', ...checkArgs(['--verbose'])], /^check-verto: Unknown option '--verbose' \(--help shows the usage\)\n$/],
])('bad arguments (%s): one line on stderr and exit 2, passwords not echoed', async (_what, args, message) => {
  const result = await runCommand(args);

  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stdout).toBe('');
  for (const password of passwords) expect(result.stderr).not.toContain(password);
  expect(result.code).toBe(2);
});
