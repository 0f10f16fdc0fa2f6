import type { PeerPage } from './peer-page';
import type { ClientOptions, TestRun } from './session';

/** Alice calls Bob, Bob accepts; both in the call. `options` go to both pages (e.g. an init script in `routes`). */
export async function inCall(run: TestRun, options: ClientOptions = {}): Promise<{ alice: PeerPage; bob: PeerPage }> {
  const [a, b] = await Promise.all([run.open('alice', { ...options, name: 'Alice' }), run.open('bob', { ...options, name: 'Bob' })]);
  const [alice, bob] = [a.peer, b.peer];
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  await bob.accept();
  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  return { alice, bob };
}
