import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBody } from '../../src/verto/codec';
import { decodeFrame, type RpcReply, type ServerRequest } from '../../src/verto/jsonrpc';
import {
  isMessageWithBody,
  isProbeEvent,
  judgeBroadcastAccepted,
  judgeBroadcastRefused,
  judgeDelivered,
  judgeInviteRefused,
  judgeLogin,
  judgeNotDelivered,
  judgeSubscribe,
  judgeSubscribeRefused,
  judgeTransport,
  judgeUnauthenticated,
  judgeWrongPassword,
} from '../../tools/check-verto/judge';

/** The verdicts are judged on what a real FreeSWITCH 1.11.1 answered (spec/server/fixtures/freeswitch-1.11.1). */
const FIXTURES = join(__dirname, '..', 'server', 'fixtures', 'freeswitch-1.11.1');
interface Line {
  readonly dir: string;
  readonly client: string;
  readonly frame: { id?: unknown; method?: string; params?: Record<string, unknown> };
}
const lines = (scenario: string): Line[] =>
  readFileSync(join(FIXTURES, `${scenario}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

/** The reply FreeSWITCH gave to the n-th request `method` that client A sent in `scenario`. */
function replyTo(scenario: string, method: string, nth = 0): RpcReply {
  const all = lines(scenario);
  const sent = all.filter((l) => l.dir === 'send' && l.client === 'A' && l.frame.method === method)[nth];
  const received = all.find((l) => l.dir === 'recv' && l.client === 'A' && l.frame.method === undefined && l.frame.id === sent.frame.id);
  const decoded = decodeFrame(JSON.stringify(received?.frame));
  if (!decoded.ok || decoded.value.kind !== 'reply') throw new Error(`no reply to ${method} #${nth} in ${scenario}`);
  return decoded.value;
}

const C1 = 'ae1d8ec5-029c-4dda-914d-9cb7b900aa81';
const C2 = 'c5a8e717-0cdd-4c92-a14d-e64b54b0fe1c';
const A = 'f76a2c1a-8128-49db-8ed9-b68cd9832242';

describe('verdicts on FreeSWITCH 1.11.1 replies', () => {
  test('login: the successful one passes, a refused one fails with its error', () => {
    expect(judgeLogin(replyTo('01-login-ok', 'login'))).toEqual({ pass: true, detail: 'logged in ("logged in")' });
    expect(judgeLogin(replyTo('02-login-bad-password', 'login', 0))).toEqual({ pass: false, detail: 'login refused: error -32001 "Authentication Failure"' });
  });

  test('auth gate: a wrong password and a request before login are refused; a good login does not pass as refused', () => {
    expect(judgeWrongPassword(replyTo('02-login-bad-password', 'login', 0)).pass).toBe(true);
    expect(judgeWrongPassword(replyTo('01-login-ok', 'login')).pass).toBe(false);
    const early = lines('02-login-bad-password').find((l) => l.dir === 'send' && l.frame.method !== 'login');
    expect(early).toBeDefined();
    expect(judgeUnauthenticated(replyTo('02-login-bad-password', String(early?.frame.method)))).toEqual({ pass: true, detail: 'refused: error -32000 "Authentication Required"' });
    expect(judgeUnauthenticated(replyTo('02-login-bad-password', 'login', 0)).pass).toBe(false);
  });

  test('subscribe: the own channel is subscribed; another channel is refused, alone (error) or in a list (result)', () => {
    expect(judgeSubscribe(replyTo('03-subscribe', 'verto.subscribe', 0), C1).pass).toBe(true);
    expect(judgeSubscribe(replyTo('03-subscribe', 'verto.subscribe', 1), C2).pass).toBe(false);
    expect(judgeSubscribeRefused(replyTo('03-subscribe', 'verto.subscribe', 1), C2)).toEqual({ pass: true, detail: `refused: error {"unauthorizedChannels":["${C2}"]}` });
    // [C1, C2] after C1: a result, C2 unauthorized.
    expect(judgeSubscribeRefused(replyTo('03-subscribe', 'verto.subscribe', 3), C2).pass).toBe(true);
    expect(judgeSubscribeRefused(replyTo('03-subscribe', 'verto.subscribe', 0), C1).pass).toBe(false);
  });

  test('broadcast: accepted to the own channel, refused (inside result, code -32002) to another', () => {
    const toOwn = lines('04-broadcast').filter((l) => l.dir === 'send' && l.client === 'A' && l.frame.method === 'verto.broadcast').findIndex((l) => l.frame.params?.eventChannel === C1);
    const toOther = lines('04-broadcast').filter((l) => l.dir === 'send' && l.client === 'A' && l.frame.method === 'verto.broadcast').findIndex((l) => l.frame.params?.eventChannel === C2);
    expect(judgeBroadcastAccepted(replyTo('04-broadcast', 'verto.broadcast', toOwn)).pass).toBe(true);
    expect(judgeBroadcastAccepted(replyTo('04-broadcast', 'verto.broadcast', toOther)).pass).toBe(false);
    expect(judgeBroadcastRefused(replyTo('04-broadcast', 'verto.broadcast', toOther))).toEqual({ pass: true, detail: 'refused: result -32002 "Permission Denied."' });
    expect(judgeBroadcastRefused(replyTo('04-broadcast', 'verto.broadcast', toOwn)).pass).toBe(false);
  });

  test('verto.invite: only -32601 (refused at dispatch) passes; a handler answer fails and says what to set', () => {
    // The same dispatch refusal FreeSWITCH gives any method missing from jsonrpc-allowed-methods.
    expect(judgeInviteRefused(replyTo('07-ping-echo', 'echo')).pass).toBe(true);
    const handlerRan: RpcReply = { kind: 'reply', id: 'x', error: { message: 'CALL ERROR', code: -32002, cause: 'INVALID_MSG_UNSPECIFIED', causeCode: 95 } };
    expect(judgeInviteRefused(handlerRan)).toEqual({
      pass: false,
      detail: 'verto.invite reached its handler (error -32002 "CALL ERROR"): set jsonrpc-allowed-methods to verto.subscribe,verto.broadcast,verto.info,verto.ping',
    });
    expect(judgeInviteRefused({ kind: 'reply', id: 'x', result: { message: 'CALL CREATED' } }).pass).toBe(false);
  });
});

describe('what arrived', () => {
  const request = (method: string, params: ServerRequest['params']): ServerRequest => ({ kind: 'request', method, params });
  const body = encodeBody({ checkVerto: 'n-1' });

  test('the probe event is recognised by channel and nonce only', () => {
    const event = request('verto.event', { eventChannel: C1, eventData: body, userid: `${A}@localhost` });
    expect(isProbeEvent(C1, 'n-1')(event)).toBe(true);
    expect(isProbeEvent(C1, 'n-2')(event)).toBe(false);
    expect(isProbeEvent(C2, 'n-1')(event)).toBe(false);
    expect(isProbeEvent(C1, 'n-1')(request('verto.event', { eventChannel: C1, eventData: 'not base64!' }))).toBe(false);
    expect(isProbeEvent(C1, 'n-1')(request('verto.info', { eventChannel: C1, eventData: body }))).toBe(false);
  });

  test('a delivered msg is matched by its exact body, and must name the sender (domain aside)', () => {
    // As FreeSWITCH delivered A's message to B (fixture 05a).
    const delivered = lines('05a-info-chat-hook-same-channel-policy').find((l) => l.dir === 'recv' && l.client === 'B' && l.frame.method === 'verto.info');
    const decoded = decodeFrame(JSON.stringify(delivered?.frame));
    if (!decoded.ok || decoded.value.kind !== 'request') throw new Error('fixture 05a has no delivered verto.info');
    const msg = decoded.value.params.msg as { body: string };
    expect(isMessageWithBody(msg.body)(decoded.value)).toBe(true);
    expect(isMessageWithBody(`${msg.body}x`)(decoded.value)).toBe(false);
    expect(judgeDelivered(decoded.value, A, 48)).toEqual({ pass: true, detail: 'delivered in 48 ms' });
    expect(judgeDelivered(decoded.value, 'someone-else@localhost', 48).pass).toBe(false);
    expect(judgeDelivered(null, A, 48)).toEqual({ pass: false, detail: 'not delivered' });
  });

  test('a refusal passes only when nothing arrived within the wait', () => {
    expect(judgeNotDelivered(null, 2000)).toEqual({ pass: true, detail: 'not delivered within 2000 ms' });
    expect(judgeNotDelivered(request('verto.info', { msg: { from: 'a', to: 'b', body } }), 2000).pass).toBe(false);
  });
});

test('transport: wss anywhere and ws on loopback pass; ws to another host fails', () => {
  expect(judgeTransport('wss://pbx.example.org/verto')).toEqual({ pass: true, detail: 'wss://' });
  for (const url of ['ws://127.0.0.1:8081/', 'ws://localhost:8081/', 'ws://[::1]:8081/']) expect(judgeTransport(url).pass).toBe(true);
  expect(judgeTransport('ws://pbx.example.org:8081/')).toEqual({
    pass: false,
    detail: 'ws:// to pbx.example.org: passwords would cross the network in cleartext; check the wss:// endpoint instead',
  });
  expect(judgeTransport('ws://127.0.0.1.example.org/').pass).toBe(false);
});
