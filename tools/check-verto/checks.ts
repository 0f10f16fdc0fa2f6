import { randomUUID } from 'node:crypto';
import type { CheckOptions, Credentials } from './args';
import { cleartextClosed } from './cleartext';
import { ConnectError, VertoConnection } from './connection';
import {
  failedWith,
  isMessageWithBody,
  isProbeEvent,
  judgeBroadcastAccepted,
  judgeBroadcastRefused,
  judgeDelivered,
  judgeInviteRefused,
  judgeNotDelivered,
  judgeSubscribe,
  judgeSubscribeRefused,
  judgeTransport,
  judgeUnauthenticated,
  judgeWrongPassword,
  type Verdict,
} from './judge';
import { logIn } from './login';
import * as probe from './probes';

export type Status = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly name: string;
  readonly status: Status;
  readonly detail: string;
}

/** The endpoint could not be reached at all: no check ran. */
export class Unreachable extends Error {}

/**
 * Runs every check against the endpoint in order, reporting each result as it is known. Checks that
 * depend on an earlier one which failed are reported as not run (a refusal proves nothing when even
 * the allowed message does not arrive). Throws Unreachable when the first socket cannot be opened.
 */
export async function runChecks(options: CheckOptions, report: (result: CheckResult) => void): Promise<CheckResult[]> {
  const { url, channel, otherChannel, timeoutMs: t, waitMs } = options;
  const results: CheckResult[] = [];
  const sockets: VertoConnection[] = [];
  const record = (name: string, verdict: Verdict): boolean => {
    const result: CheckResult = { name, status: verdict.pass ? 'pass' : 'fail', detail: verdict.detail };
    results.push(result);
    report(result);
    return verdict.pass;
  };
  const skip = (name: string, why: string): false => {
    const result: CheckResult = { name, status: 'skip', detail: `not run: ${why}` };
    results.push(result);
    report(result);
    return false;
  };
  const verdictOf = (body: () => Promise<Verdict>): Promise<Verdict> => body().catch(failedWith);
  const open = async (): Promise<VertoConnection> => {
    const socket = await VertoConnection.open(url, t);
    sockets.push(socket);
    return socket;
  };

  let gate: VertoConnection;
  try {
    gate = await open();
  } catch (error) {
    if (error instanceof ConnectError) throw new Unreachable(`cannot reach ${url}: ${error.message}`);
    throw error;
  }
  try {
    record('transport: wss://, or ws:// on loopback only', judgeTransport(url));
    // The auth gate on a socket of its own, closed before the real logins (1.10.x let a failed login
    // for an existing id look like that user to chat delivery).
    record('auth gate: a request before login is refused', await verdictOf(async () => judgeUnauthenticated(await gate.call('verto.subscribe', probe.subscribe(channel), t))));
    record(
      'auth gate: a wrong password is refused',
      await verdictOf(async () => judgeWrongPassword(await gate.call('login', probe.login(options.users[0].login, randomUUID()), t))),
    );
    gate.close();

    const people: ReadonlyArray<{ label: string; credentials: Credentials; channel: string; channelLabel: string }> = [
      { label: 'A1', credentials: options.users[0], channel, channelLabel: 'A' },
      { label: 'A2', credentials: options.users[1], channel, channelLabel: 'A' },
      { label: 'B1', credentials: options.other, channel: otherChannel, channelLabel: 'B' },
    ];
    const logins = await Promise.all(people.map((person) => logIn(person.credentials, open, t)));
    const online = people.map((person, i) => record(`login: ${person.label} ${person.credentials.login}`, logins[i].verdict) && logins[i].socket !== null);
    const [a1, a2, b1] = logins.map((l) => l.socket);

    const subscriptions = await Promise.all(
      people.map((person, i) => {
        const socket = logins[i].socket;
        return online[i] && socket ? verdictOf(async () => judgeSubscribe(await socket.call('verto.subscribe', probe.subscribe(person.channel), t), person.channel)) : Promise.resolve(null);
      }),
    );
    const subscribed = people.map((person, i) => {
      const name = `subscribe: ${person.label} to channel ${person.channelLabel}`;
      const verdict = subscriptions[i];
      return verdict ? record(name, verdict) : skip(name, `${person.label} is not logged in`);
    });

    const a1Only = (name: string, body: (socket: VertoConnection) => Promise<Verdict>): Promise<boolean> =>
      online[0] && a1 ? verdictOf(() => body(a1)).then((v) => record(name, v)) : Promise.resolve(skip(name, 'A1 is not logged in'));

    await a1Only('subscribe: A1 to channel B is refused', async (s) => judgeSubscribeRefused(await s.call('verto.subscribe', probe.subscribe(otherChannel), t), otherChannel));

    // Fan-out within channel A.
    const broadcastId = probe.nonce();
    let fannedOut = false;
    const fanOutName = 'broadcast: A1 to channel A reaches A2';
    if (online[0] && a1 && subscribed[1] && a2) {
      fannedOut = record(
        fanOutName,
        await verdictOf(async () => {
          const started = Date.now();
          const accepted = judgeBroadcastAccepted(await a1.call('verto.broadcast', probe.broadcast(channel, broadcastId), t));
          if (!accepted.pass) return accepted;
          const seen = await a2.waitFor(isProbeEvent(channel, broadcastId), t);
          return seen ? { pass: true, detail: `delivered in ${Date.now() - started} ms` } : { pass: false, detail: `accepted, but A2 received no verto.event within ${t} ms` };
        }),
      );
    } else skip(fanOutName, 'A1 is not logged in or A2 is not subscribed');
    await a1Only('broadcast: A1 to channel B is refused', async (s) => judgeBroadcastRefused(await s.call('verto.broadcast', probe.broadcast(otherChannel, probe.nonce()), t)));

    // A peer message within the channel: the reference the refusals below are judged against.
    const deliveredName = 'peer message: A1 to A2 (same channel) is delivered';
    let delivered = false;
    if (online[0] && a1 && online[1] && a2) {
      delivered = record(
        deliveredName,
        await verdictOf(async () => {
          const body = probe.peerBody(probe.nonce());
          const started = Date.now();
          await a1.call('verto.info', probe.peerMessage(options.users[1].login, body), t);
          const seen = await a2.waitFor(isMessageWithBody(body), t);
          return judgeDelivered(seen, options.users[0].login, Date.now() - started);
        }),
      );
    } else skip(deliveredName, 'A1 or A2 is not logged in');

    // Refusals: sent together, then watched for one bounded window (FreeSWITCH answers SENT regardless).
    const refusals: Array<{ name: string; ready: boolean; why: string; watch: () => Promise<Verdict> }> = [
      {
        name: 'broadcast: A1 to channel A does not reach B1',
        ready: fannedOut && subscribed[2] && b1 !== null,
        why: 'the broadcast did not reach A2, or B1 is not subscribed',
        watch: async () => judgeNotDelivered(await (b1 as VertoConnection).waitFor(isProbeEvent(channel, broadcastId), waitMs), waitMs),
      },
      ...[
        { name: 'peer message: A1 to B1 (other channel) is refused', to: options.other.login, target: b1, body: probe.peerBody(probe.nonce()), ok: online[2] },
        { name: 'peer message: A1 to A2 with a plain-text body is refused', to: options.users[1].login, target: a2, body: probe.plainTextBody(probe.nonce()), ok: true },
        { name: 'peer message: A1 to A2 with a body containing | is refused', to: options.users[1].login, target: a2, body: probe.pipeBody(probe.nonce()), ok: true },
      ].map(({ name, to, target, body, ok }) => ({
        name,
        ready: delivered && ok && target !== null,
        why: 'the same-channel message was not delivered, so a refusal would prove nothing',
        watch: async () => {
          await (a1 as VertoConnection).call('verto.info', probe.peerMessage(to, body), t);
          return judgeNotDelivered(await (target as VertoConnection).waitFor(isMessageWithBody(body), waitMs), waitMs);
        },
      })),
    ];
    const watched = await Promise.all(refusals.map((r) => (r.ready ? verdictOf(r.watch) : Promise.resolve(null))));
    refusals.forEach((r, i) => {
      const verdict = watched[i];
      if (verdict) record(r.name, verdict);
      else skip(r.name, r.why);
    });

    await a1Only('verto.invite is refused', async (s) => judgeInviteRefused(await s.call('verto.invite', probe.harmlessInvite(), t)));

    if (options.cleartext !== undefined) {
      const cleartext = options.cleartext;
      record(`cleartext: ${cleartext} serves no WebSocket`, await verdictOf(() => cleartextClosed(cleartext, t)));
    }
  } finally {
    sockets.forEach((socket) => socket.close());
  }
  return results;
}
