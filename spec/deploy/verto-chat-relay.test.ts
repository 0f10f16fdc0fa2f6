import * as fs from 'node:fs';
import * as path from 'node:path';
import { LUA, REPO, requireInterpreter, run } from './support/interpreters';

const SCRIPT = path.join(REPO, 'deploy/freeswitch/scripts/verto_chat_relay.lua');
const HARNESS = path.join(REPO, 'spec/deploy/support/relay-harness.lua');
const LUA_HINT = 'the relay test needs Lua 5.4 (Debian: apt-get install lua5.4; bash .ci/run installs it)';

const C1 = '7c1d6a0e-62d0-4ed8-8cbb-4b7a8f61094d';
const C2 = '0b2f9c55-b31f-4f13-8b0f-412b8977d5d2';
const DOMAIN = 'pbx.example.org';
const A = 'ef5a7e82-d675-440a-b1ce-3278006b89be';
const B = '5d9d5631-fc47-4733-8ad5-be4e3580fc79';
const X = '42ce245a-41be-438d-8b26-ffc674ca9263';
const BODY = Buffer.from(JSON.stringify({ peerAction: 'offer', peerName: 'Ann', callId: 'c' })).toString('base64');

/** The directory as user_data answers it: A and B share C1 (B also lists C2, space-separated); X is in C2 only. */
const DIRECTORY: Record<string, string> = {
  [`${A}@${DOMAIN}`]: C1,
  [`${B}@${DOMAIN}`]: `${C2} ${C1}`,
  [`${X}@${DOMAIN}`]: `${C2},other`,
  [`any1@${DOMAIN}`]: '__ANY__',
  [`any2@${DOMAIN}`]: '__ANY__',
};

interface Outcome {
  readonly chats: readonly string[];
  readonly logs: readonly string[];
  readonly apiCalls: readonly string[];
}

/**
 * A MESSAGE event as mod_verto fires it for A's verto.info msg; `headers` overrides or removes (undefined) fields.
 * `directory` is what user_data answers (address → jsonrpc-allowed-event-channels).
 */
function relay(headers: Record<string, string | undefined>, body = BODY, refire = false, directory = DIRECTORY): Outcome {
  const all: Record<string, string | undefined> = { proto: 'verto', from: `${A}@${DOMAIN}`, from_user: A, from_host: DOMAIN, to: B, ...headers };
  const args = [HARNESS, SCRIPT];
  for (const [k, v] of Object.entries(all)) if (v !== undefined) args.push('--header', `${k}=${v}`);
  for (const [k, v] of Object.entries(directory)) args.push('--user', `${k}=${v}`);
  if (refire) args.push('--refire');
  const result = run(LUA, args, body, LUA_HINT);
  if (result.status !== 0) throw new Error(`relay script failed: ${result.stderr}`);
  const lines = result.stdout.split('\n').filter((l) => l !== '');
  const pick = (kind: string) => lines.filter((l) => l.startsWith(`${kind}\t`)).map((l) => l.slice(kind.length + 1));
  return { chats: pick('chat'), logs: pick('log'), apiCalls: pick('api') };
}

beforeAll(() => requireInterpreter(LUA, ['-v'], LUA_HINT));

describe('verto_chat_relay.lua under Lua with a fake freeswitch API', () => {
  it('delivers to a target in the same channel, completing the domain from from_host', () => {
    const out = relay({ to: B });
    expect(out.chats).toEqual([`verto|${A}@${DOMAIN}|${B}@${DOMAIN}|${BODY}`]);
    expect(out.apiCalls).toContain(`user_data\t${B}@${DOMAIN} param jsonrpc-allowed-event-channels`);
  });

  it('delivers to a full id@domain target unchanged', () => {
    expect(relay({ to: `${B}@${DOMAIN}` }).chats).toEqual([`verto|${A}@${DOMAIN}|${B}@${DOMAIN}|${BODY}`]);
  });

  it('delivers a message to oneself (same channel), as FreeSWITCH did', () => {
    expect(relay({ to: A }).chats).toEqual([`verto|${A}@${DOMAIN}|${A}@${DOMAIN}|${BODY}`]);
  });

  it('refuses a target in another channel and logs why', () => {
    const out = relay({ to: X });
    expect(out.chats).toEqual([]);
    expect(out.logs).toEqual([`warning\tverto_chat_relay: refused from ${A}@${DOMAIN} to ${X}@${DOMAIN}: no shared channel`]);
  });

  it('refuses an unknown target (user_data answers nothing)', () => {
    const out = relay({ to: '00000000-0000-4000-8000-000000000000' });
    expect(out.chats).toEqual([]);
    expect(out.logs.join('\n')).toContain('no shared channel');
  });

  it('refuses when the channel lists are both unusable (error texts and __ANY__ never match)', () => {
    // unknown users get '' from user_data; "equal" empty sets share nothing
    expect(relay({ from: `nobody@${DOMAIN}`, from_user: 'nobody', to: 'ghost' }).chats).toEqual([]);
    expect(relay({ from: `any1@${DOMAIN}`, from_user: 'any1', to: 'any2' }).chats).toEqual([]);
  });

  it('uses the server-set sender, and drops events whose sender headers disagree', () => {
    expect(relay({ from: `${X}@${DOMAIN}` }).chats).toEqual([]);
    expect(relay({ from: undefined }).logs.join('\n')).toContain('sender headers missing or inconsistent');
  });

  it('drops a body containing "|" (it would split the chat API argument)', () => {
    const out = relay({}, `${BODY}|text/plain`);
    expect(out.chats).toEqual([]);
    expect(out.logs.join('\n')).toContain('body is not plain base64');
  });

  it.each([
    ['raw JSON', '{"peerAction":"offer"}'],
    ['base64url', 'ab-_'],
    ['bad length', 'abcde'],
    ['inner padding', 'ab=c'],
    ['whitespace', 'YWJj\nZGVm'],
    ['quote and escape', "YW'J\\n"],
  ])('drops a body that is not plain base64: %s', (_name, body) => {
    const out = relay({}, body);
    expect(out.chats).toEqual([]);
    expect(out.logs.join('\n')).toContain('body is not plain base64');
  });

  it('drops a body over 64 KiB and accepts one of exactly 64 KiB', () => {
    const over = relay({}, 'A'.repeat(65540));
    expect(over.chats).toEqual([]);
    expect(over.logs.join('\n')).toContain('body of 65540 bytes exceeds 65536');
    expect(relay({}, 'A'.repeat(65536)).chats).toHaveLength(1);
  });

  it.each([
    ['a "|" in the target', `${B}|x`],
    ['a space in the target', `${B} param x`],
    ['two "@"', `${B}@a@b`],
    ['an empty user part', `@${DOMAIN}`],
  ])('drops a target with %s', (_name, to) => {
    const out = relay({ to });
    expect(out.chats).toEqual([]);
    expect(out.apiCalls).toEqual([]);
    expect(out.logs.join('\n')).toContain('target is not a user id');
  });

  it('drops an empty body without looking anything up', () => {
    const out = relay({}, '');
    expect(out.chats).toEqual([]);
    expect(out.apiCalls).toEqual([]);
  });

  it('ignores events that are not from verto clients, without logging', () => {
    const out = relay({ proto: 'global' });
    expect(out).toEqual({ chats: [], logs: [], apiCalls: [] });
  });

  it('does not loop: the MESSAGE event its own chat call re-fires is ignored', () => {
    expect(relay({}, BODY, true).chats).toHaveLength(1);
  });
});

/** spec/support/relay-cases.json: the delivery rules shared with the development server's relay. */
interface RelayCase {
  readonly name: string;
  readonly to: string;
  readonly senderChannels: string | null;
  readonly targetChannels: string | null;
  readonly body: string | { readonly unit: string; readonly times: number };
  readonly deliver: boolean;
}
const TABLE = JSON.parse(fs.readFileSync(path.join(REPO, 'spec/support/relay-cases.json'), 'utf8')) as { domain: string; cases: RelayCase[] };

describe('verto_chat_relay.lua against every case of spec/support/relay-cases.json', () => {
  const sender = `alice@${TABLE.domain}`;

  it('reads a table with cases', () => {
    expect(TABLE.cases.length).toBeGreaterThan(0);
  });

  it.each(TABLE.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const body = typeof c.body === 'string' ? c.body : c.body.unit.repeat(c.body.times);
    // The target user is `to` in the sender's domain unless it names one.
    const target = c.to.includes('@') ? c.to : `${c.to}@${TABLE.domain}`;
    const directory: Record<string, string> = {};
    if (c.senderChannels !== null) directory[sender] = c.senderChannels;
    if (c.targetChannels !== null) directory[target] = c.targetChannels;
    const out = relay({ from: sender, from_user: 'alice', from_host: TABLE.domain, to: c.to }, body, false, directory);
    expect(out.chats).toEqual(c.deliver ? [`verto|${sender}|${target}|${body}`] : []);
  });
});
