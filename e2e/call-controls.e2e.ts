import type { PeerPage } from './support/peer-page';
import { inCall } from './support/in-call';
import { useSuite } from './support/session';
import { until } from './support/wait';

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

/** The call's duration next to the status, in seconds (null while it shows none). */
const durationSeconds = (p: PeerPage) =>
  p.page.locator('#call-duration').evaluate((el: HTMLElement) => {
    const parts = el.hidden ? [] : (el.textContent ?? '').split(':').map(Number);
    return parts.length < 2 ? null : parts.reduce((total, n) => total * 60 + n, 0);
  });

/** Each control's box and its icon's, and whether both are inside the window. */
const controlBoxes = (p: PeerPage, selector: string) =>
  p.page.locator(selector).evaluateAll((bs) =>
    bs.map((b) => {
      const r = b.getBoundingClientRect();
      const icon = b.querySelector('svg')?.getBoundingClientRect();
      return { text: b.textContent, w: r.width, h: r.height, icon: icon ? Math.min(icon.width, icon.height) : 0, inside: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight };
    }),
  );

const opacity = (p: PeerPage, selector: string) => p.page.locator(selector).evaluate((el) => getComputedStyle(el).opacity);

scenario('the call\'s duration counts up next to the status; the self-view hides and shows; keyboard focus keeps the controls from fading', async (run) => {
  const { alice } = await inCall(run);
  const first = await until(() => durationSeconds(alice), (s) => s !== null, { timeout: 10_000, what: "Alice's call duration" });
  await until(() => durationSeconds(alice), (s) => s !== null && s > first!, { timeout: 10_000, what: `Alice's call duration past ${first} s` });
  await expect(alice.page.locator('#call-duration').getAttribute('role')).resolves.toBe('timer');
  expect(await alice.status()).toBe('In a call with Bob'); // the ticking stays out of the status (its live region)
  for (const b of await controlBoxes(alice, '#call-controls button')) expect(b.icon).toBeGreaterThanOrEqual(16);

  const self = alice.page.locator('#self-view');
  await alice.page.getByRole('button', { name: 'Hide self-view' }).click();
  await self.waitFor({ state: 'hidden' });
  const show = alice.page.getByRole('button', { name: 'Show self-view' });
  await expect(show.getAttribute('aria-pressed')).resolves.toBe('true');
  await show.click();
  await self.waitFor({ state: 'visible' });
  await expect(alice.page.getByRole('button', { name: 'Hide self-view' }).getAttribute('aria-pressed')).resolves.toBe('false');

  // Tab into the bar, then no activity: the navbar hides, the focused bar stays, the self-view button fades.
  await until(
    async () => {
      await alice.page.keyboard.press('Tab');
      return alice.page.evaluate(() => document.getElementById('call-controls')!.contains(document.activeElement));
    },
    (inside) => inside,
    { timeout: 10_000, what: 'keyboard focus in #call-controls' },
  );
  await alice.page.locator('nav.nav-hidden').waitFor({ state: 'attached', timeout: 10_000 });
  await until(() => opacity(alice, '#self-view-toggle'), (o) => o === '0', { timeout: 5_000, what: 'the self-view button faded' });
  expect(await opacity(alice, '#call-controls')).toBe('1');
  await alice.page.evaluate(() => (document.activeElement as HTMLElement).blur());
  await until(() => opacity(alice, '#call-controls'), (o) => o === '0', { timeout: 5_000, what: 'the controls faded once unfocused' });
});

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
  expect(await localEnabled(alice, 'video')).toEqual([]); // camera off sends nothing (e2e/video-source.e2e.ts)
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
  const boxes = await controlBoxes(alice, '#call-controls button, #self-view-toggle');
  expect(boxes.map((b) => b.text)).toEqual(['Hide self-view', 'Mute (M)', 'Camera off (V)', 'Share screen (S)', 'Devices', 'Verify', 'Hang up']); // an emulated phone still has getDisplayMedia
  for (const b of boxes) expect(b).toMatchObject({ inside: true, w: expect.any(Number) as number });
  expect(Math.min(...boxes.flatMap((b) => [b.w, b.h]))).toBeGreaterThanOrEqual(44);
  expect(Math.min(...boxes.slice(1).map((b) => b.icon))).toBeGreaterThanOrEqual(16);
  // Phones show the icon and a short word: the keys and "self-view" are still in the names, not on screen.
  expect(await alice.page.locator('.label-extra').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))).toEqual([1, 1, 1, 1]);
  await until(() => durationSeconds(alice), (s) => s !== null, { timeout: 10_000, what: "Alice's call duration" });
  await screenshot(alice, 'call-phone');
  await alice.page.locator('#call-controls').getByRole('button', { name: 'Hang up' }).tap();
  await bob.waitForStatus(/^Alice hung up$/);
});
