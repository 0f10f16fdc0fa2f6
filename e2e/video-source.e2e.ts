import type { BrowserContext } from 'playwright-core';
import type { PeerPage } from './support/peer-page';
import { inCall } from './support/in-call';
import { useSuite } from './support/session';
import { until } from './support/wait';

const { scenario } = useSuite();

/** Counts the offers each page sets (a renegotiation makes one), before any page script runs. */
const countOffers = (context: BrowserContext): Promise<unknown> =>
  context.addInitScript(() => {
    const counted = window as unknown as { __offers: number };
    counted.__offers = 0;
    const proto = RTCPeerConnection.prototype as { setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> };
    const set = proto.setLocalDescription;
    proto.setLocalDescription = async function (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) {
      await set.call(this, description);
      if (this.localDescription?.type === 'offer') counted.__offers += 1;
    };
  });
const offers = async (p: PeerPage): Promise<number> => p.page.evaluate(() => (window as unknown as { __offers: number }).__offers);

/** What Alice's page sends as video, and what its camera and self-view are doing. */
const sent = (p: PeerPage) =>
  p.page.evaluate(() => {
    const probe = (window as unknown as { __e2e: { pcs: RTCPeerConnection[]; localStreams: MediaStream[] } }).__e2e;
    const sender = probe.pcs.filter((pc) => pc.signalingState !== 'closed').flatMap((pc) => pc.getTransceivers()).find((t) => t.receiver.track.kind === 'video')?.sender;
    const track = sender?.track ?? null;
    const self = document.getElementById('self-view') as HTMLVideoElement;
    const shown = self.srcObject instanceof MediaStream ? self.srcObject.getVideoTracks()[0] : undefined;
    return {
      track: track === null ? null : { id: track.id, state: track.readyState, screen: track.getSettings().displaySurface !== undefined },
      cameras: probe.localStreams.flatMap((s) => s.getVideoTracks()).map((t) => t.readyState),
      selfView: self.hidden ? 'hidden' : shown === undefined ? 'none' : shown === track ? 'sent' : 'other',
    };
  });

/** Bob's decoded video frames grow: Alice's picture arrives. */
async function framesFlow(bob: PeerPage, what: string): Promise<void> {
  const before = (await bob.media()).framesDecoded;
  await bob.waitForMedia((m) => m.framesDecoded > before + 10 && m.source === 'remote' && m.fit === 'contain', `frames of ${what} (from ${before})`);
}

scenario('camera off releases the camera and on reopens it; a shared screen replaces it and its end brings the camera back; no renegotiation', async (run) => {
  const { alice, bob } = await inCall(run, { routes: countOffers }, { routes: countOffers });
  const first = await sent(alice);
  expect(first).toMatchObject({ track: { state: 'live', screen: false }, cameras: ['live'], selfView: 'sent' });
  const negotiated = (await offers(alice)) + (await offers(bob));
  expect(negotiated).toBeGreaterThan(0); // the counter sees the call's own offer

  // Camera off: nothing sent, the camera stopped (its light off); Bob reads it.
  await alice.page.getByRole('button', { name: 'Camera off (V)' }).click();
  await bob.waitForStatus(/^In a call with Alice — Alice turned their camera off$/);
  await until(() => sent(alice), (s) => s.track === null && s.cameras.every((c) => c === 'ended') && s.selfView === 'hidden', { timeout: 10_000, what: "Alice's camera released" });

  // Camera on: a fresh camera track, sent and shown; Bob's picture moves again.
  await alice.page.keyboard.press('v');
  const back = await until(() => sent(alice), (s) => s.track?.state === 'live' && s.selfView === 'sent', { timeout: 10_000, what: "Alice's camera back" });
  expect(back.track?.id).not.toBe(first.track?.id);
  await bob.waitForStatus(/^In a call with Alice$/);
  await bob.page.locator('#remote-camera-off').waitFor({ state: 'hidden' });
  await framesFlow(bob, 'the reopened camera');

  // Share screen: the screen is sent and shown; Bob is told and sees it (contain, no camera-off overlay).
  await alice.page.getByRole('button', { name: 'Share screen (S)' }).click();
  await bob.waitForStatus(/^In a call with Alice — Alice is sharing their screen$/);
  await alice.waitForStatus(/^In a call with Bob — you are sharing your screen$/);
  const shared = await until(() => sent(alice), (s) => s.track?.screen === true && s.selfView === 'sent', { timeout: 10_000, what: "Alice's screen sent" });
  expect(shared.cameras.filter((c) => c === 'live')).toEqual([]); // the camera is let go while the screen is sent
  await expect(alice.page.getByRole('button', { name: 'Stop sharing (S)' }).getAttribute('aria-pressed')).resolves.toBe('true');
  await framesFlow(bob, 'the screen');

  // The browser's own "Stop sharing": the track ends; back to the camera, Bob's status clears.
  await alice.page.evaluate(() => {
    const probe = (window as unknown as { __e2e: { pcs: RTCPeerConnection[] } }).__e2e;
    const track = probe.pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'video')?.track;
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  });
  await bob.waitForStatus(/^In a call with Alice$/);
  await until(() => sent(alice), (s) => s.track?.state === 'live' && s.track.screen === false && s.selfView === 'sent', { timeout: 10_000, what: "Alice's camera after sharing" });
  await alice.page.getByRole('button', { name: 'Share screen (S)' }).waitFor();
  await framesFlow(bob, 'the camera after sharing');

  expect((await offers(alice)) + (await offers(bob))).toBe(negotiated);
}, 60_000);
