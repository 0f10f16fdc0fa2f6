import type { PeerPage } from './peer-page';
import type { ClientOptions, TestRun } from './session';

/** Alice calls Bob, Bob accepts; both in the call. `alice`: options of Alice's page (e.g. an init script of hers only). */
export async function inCall(run: TestRun, alice: ClientOptions = {}): Promise<{ alice: PeerPage; bob: PeerPage }> {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice', ...alice }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([a.peer.waitForPeer('Bob'), b.peer.waitForPeer('Alice')]);
  await a.peer.call('Bob');
  await b.peer.waitForDialog('Alice is calling');
  await b.peer.accept();
  await Promise.all([a.peer.waitForStatus(/^In a call with Bob$/), b.peer.waitForStatus(/^In a call with Alice$/)]);
  return { alice: a.peer, bob: b.peer };
}
