import type { BrowserContext, Page } from 'playwright-core';
import { useSuite } from './support/session';

const { scenario } = useSuite();

type Failure = 'camera-busy' | 'camera-blocked' | 'all-blocked' | null;

/**
 * An init script (before the page's code): getUserMedia rejects as the browser would, as `__mediaFailure`
 * says at the time of the request — a busy or blocked camera (only requests with video; the microphone
 * works), or everything blocked.
 */
function switchableMedia(): void {
  const devices = navigator.mediaDevices;
  const real = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => {
    const failure = (window as unknown as { __mediaFailure?: Failure }).__mediaFailure ?? null;
    const name = failure === 'camera-busy' ? 'NotReadableError' : 'NotAllowedError';
    return failure === 'all-blocked' || (failure !== null && constraints?.video) ? Promise.reject(new DOMException(`e2e: ${failure}`, name)) : real(constraints);
  };
}
const failWith = (page: Page, failure: Failure) => page.evaluate((f) => void ((window as unknown as { __mediaFailure?: Failure }).__mediaFailure = f), failure);
const HOW_TO_ALLOW = /^Camera and microphone are blocked for this site: allow them from the camera icon in the address bar \(or the site settings\), then call again$/;

// One pair of pages for the three cases (each pair opened costs seconds on this machine).
scenario('E. media errors: a busy camera (caller), a blocked camera (callee, asked), everything blocked', async (run) => {
  const routes = { routes: (context: BrowserContext) => context.addInitScript(switchableMedia) };
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice', ...routes }), run.open('bob', { name: 'Bob', ...routes })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);

  // 1. Alice's camera is in use by another application: the call connects audio-only and says why.
  await failWith(alice.page, 'camera-busy');
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  await bob.peer.waitForMedia((m) => m.source === 'remote' && m.kinds.join() === 'audio', 'Alice’s stream, audio only');
  await alice.peer.waitForStatus(/^In a call with Bob \(audio only: your camera is in use by another application\)$/);
  // Bob is told Alice's camera is off: her name instead of a black picture.
  await bob.peer.waitForStatus(/^In a call with Alice — Alice turned their camera off$/);
  await alice.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);

  // 2. Bob's camera is blocked, his microphone allowed: asked after Accept; Audio only connects.
  await failWith(alice.page, null);
  await failWith(bob.page, 'camera-blocked');
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  await bob.peer.waitForDialog('Your camera is blocked for this site. Go on with audio only?');
  expect(await alice.peer.status()).toBe('Calling Bob…'); // nothing reached Alice while Bob decides
  await bob.page.locator('#modal-content').getByRole('button', { name: 'Audio only', exact: true }).click();
  await bob.peer.waitForDialog(null);
  await bob.peer.waitForRemoteVideo();
  await alice.peer.waitForMedia((m) => m.source === 'remote' && m.kinds.join() === 'audio', 'Bob’s stream, audio only');
  await bob.peer.waitForStatus(/^In a call with Alice \(audio only: camera blocked\)$/);
  await bob.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);

  // 3. Both blocked on Alice's side: the status says how to allow them, and Bob never rings.
  await failWith(alice.page, 'all-blocked');
  await alice.peer.call('Bob');
  await alice.peer.waitForStatus(HOW_TO_ALLOW);
  await alice.peer.waitForIdleMedia();
  expect(await bob.peer.dialog()).toBeNull();
});
