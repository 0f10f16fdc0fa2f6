import type { PeerPage } from './support/peer-page';
import { inCall } from './support/in-call';
import { useSuite } from './support/session';

const { scenario } = useSuite();

/** README's screenshots (docs/screenshots/), taken only when asked: `SCREENSHOTS=1`. */
const screenshot = async (p: PeerPage, name: string): Promise<void> => {
  if (process.env.SCREENSHOTS) await p.page.screenshot({ path: `docs/screenshots/${name}.png` });
};

/** Whether the page's local (sent) tracks of a kind are enabled, from its own stream on #media-player's sibling state. */
const localEnabled = (p: PeerPage, kind: 'audio' | 'video') =>
  p.page.evaluate((k) => {
    const pcs = (window as unknown as { __e2e: { pcs: RTCPeerConnection[] } }).__e2e.pcs;
    return pcs.flatMap((pc) => pc.getSenders()).filter((s) => s.track?.kind === k).map((s) => s.track!.enabled);
  }, kind);

scenario('M mutes: the track is disabled, Bob reads it; V turns the camera off: Bob sees Alice\'s name instead of the picture', async (run) => {
  const { alice, bob } = await inCall(run);
  // Self-view: our own live picture, muted, in the corner.
  await expect(alice.page.locator('#self-view').evaluate((v: HTMLVideoElement) => ({ muted: v.muted, live: v.srcObject instanceof MediaStream && v.srcObject.getVideoTracks()[0]?.readyState === 'live', hidden: v.hidden }))).resolves.toEqual({ muted: true, live: true, hidden: false });
  await alice.page.keyboard.press('m');
  await bob.waitForStatus(/^In a call with Alice — Alice muted their microphone$/);
  expect(await localEnabled(alice, 'audio')).toEqual([false]);
  await screenshot(bob, 'call-desktop');
  await expect(alice.page.getByRole('button', { name: 'Unmute (M)' }).getAttribute('aria-pressed')).resolves.toBe('true');
  await alice.page.getByRole('button', { name: 'Camera off (V)' }).click();
  await bob.waitForStatus(/Alice muted their microphone and turned their camera off$/);
  await bob.page.locator('#remote-camera-off', { hasText: 'Alice turned their camera off' }).waitFor({ state: 'visible' });
  expect(await localEnabled(alice, 'video')).toEqual([false]);
  await alice.page.keyboard.press('m');
  await alice.page.keyboard.press('v');
  await bob.waitForStatus(/^In a call with Alice$/);
  await bob.page.locator('#remote-camera-off').waitFor({ state: 'hidden' });
});

scenario('390 × 844: the incoming dialog is answered, every control visible over the video, at least 44 px, Hang up works', async (run) => {
  const [a, b] = await Promise.all([
    run.open('alice', { name: 'Alice', context: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } }),
    run.open('bob', { name: 'Bob' }),
  ]);
  const [alice, bob] = [a.peer, b.peer];
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  await bob.call('Alice');
  await alice.waitForDialog('Bob is calling');
  await alice.page.locator('#modal-content').getByRole('button', { name: 'Accept' }).tap();
  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  const boxes = await alice.page.locator('#call-controls button').evaluateAll((bs) =>
    bs.map((b) => {
      const r = b.getBoundingClientRect();
      return { text: b.textContent, w: r.width, h: r.height, inside: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight };
    }),
  );
  expect(boxes.map((b) => b.text)).toEqual(['Mute (M)', 'Camera off (V)', 'Devices', 'Hang up']);
  for (const b of boxes) expect(b).toMatchObject({ inside: true, w: expect.any(Number) as number });
  expect(Math.min(...boxes.flatMap((b) => [b.w, b.h]))).toBeGreaterThanOrEqual(44);
  await screenshot(alice, 'call-phone');
  await alice.page.locator('#call-controls').getByRole('button', { name: 'Hang up' }).tap();
  await bob.waitForStatus(/^Alice hung up$/);
});
