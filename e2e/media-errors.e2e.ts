import type { BrowserContext } from 'playwright-core';
import { useSuite } from './support/session';

const { scenario } = useSuite();

/**
 * An init script (before the page's code) making getUserMedia reject as the browser would: `video` only
 * for requests with a camera (busy or blocked camera, the microphone works), `all` for every request.
 */
const failing =
  (name: 'NotReadableError' | 'NotAllowedError', which: 'video' | 'all') =>
  (context: BrowserContext): Promise<unknown> =>
    context.addInitScript(
      ([error, only]) => {
        const devices = navigator.mediaDevices;
        const real = devices.getUserMedia.bind(devices);
        devices.getUserMedia = (constraints) =>
          only === 'all' || constraints?.video ? Promise.reject(new DOMException(`e2e: ${error}`, error)) : real(constraints);
      },
      [name, which] as const,
    );

scenario('E1. the caller’s camera is in use by another application: the call connects audio-only and says why', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice (camera busy)', { name: 'Alice', routes: failing('NotReadableError', 'video') }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  await alice.peer.waitForRemoteVideo();
  await bob.peer.waitForMedia((m) => m.source === 'remote' && m.kinds.join() === 'audio', 'Alice’s stream, audio only');
  await alice.peer.waitForStatus(/^In a call with Bob \(audio only: your camera is in use by another application\)$/);
  // Bob is told Alice's camera is off: her name instead of a black picture.
  await bob.peer.waitForStatus(/^In a call with Alice — Alice turned their camera off$/);
  await alice.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);
});

scenario('E2. the callee’s camera is blocked, its microphone allowed: asked, Audio only connects an audio-only call', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob (camera blocked)', { name: 'Bob', routes: failing('NotAllowedError', 'video') })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  await bob.peer.waitForDialog('Your camera is blocked for this site. Go on with audio only?');
  // Nothing reaches Alice while Bob decides: she is still calling.
  await alice.peer.waitForStatus(/^Calling Bob…$/);
  await bob.page.locator('#modal-content').getByRole('button', { name: 'Audio only', exact: true }).click();
  await bob.peer.waitForDialog(null);
  await bob.peer.waitForRemoteVideo();
  await alice.peer.waitForMedia((m) => m.source === 'remote' && m.kinds.join() === 'audio', 'Bob’s stream, audio only');
  await bob.peer.waitForStatus(/^In a call with Alice \(audio only: camera blocked\)$/);
  await bob.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);
});

scenario('E3. camera and microphone both blocked: the status says how to allow them, and nobody rings', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice (all blocked)', { name: 'Alice', routes: failing('NotAllowedError', 'all') }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  await alice.peer.call('Bob');
  await alice.peer.waitForStatus(/^Camera and microphone are blocked for this site: allow them from the camera icon in the address bar \(or the site settings\), then call again$/);
  await alice.peer.waitForIdleMedia();
  expect(await bob.peer.dialog()).toBeNull();
});
