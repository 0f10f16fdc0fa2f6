import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { useSuite } from './support/session';

const { scenario } = useSuite();

// A browser whose fake media has a microphone but no camera (device-count=0 removes the fake camera).
let cameraless: Browser;
beforeAll(async () => {
  cameraless = await launchChromium({ fakeMedia: false, extraArgs: ['--use-fake-device-for-media-stream=device-count=0', '--use-fake-ui-for-media-stream'] });
}, 60_000);
afterAll(() => cameraless?.close());

scenario('11. a client without a camera is told so and still takes a call audio-only', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob (no camera)', { name: 'Bob', browser: cameraless })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  // Bob sees Alice's video; Alice gets Bob's audio only.
  await bob.peer.waitForRemoteVideo();
  await alice.peer.waitForMedia((m) => m.source === 'remote' && m.kinds.join() === 'audio', 'Bob’s stream, audio only');
  await bob.peer.waitForStatus(/^In a call with Alice \(audio only: no camera found\)$/);
  await alice.peer.waitForStatus(/^In a call with Bob — Bob turned their camera off$/); // told, rather than a black picture
  await bob.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);
});
