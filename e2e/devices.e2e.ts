import type { BrowserContext } from 'playwright-core';
import type { PeerPage } from './support/peer-page';
import { inCall } from './support/in-call';
import { useSuite } from './support/session';
import { until } from './support/wait';

const { scenario } = useSuite();

interface DeviceHooks {
  offers: number;
  /** Takes a device out of enumerateDevices() and fires `devicechange`, as unplugging it would. */
  unplug(deviceId: string): void;
  /** The emulated second camera: out of the list, and its track ends as an unplugged camera's does. */
  unplugCamera(): void;
  /** The video inputs Chromium itself lists (before the emulated one is added). */
  cameras: number;
}

/** The emulated second camera's deviceId and label (see installDeviceHooks). */
const CAMERA_2 = { id: 'e2e-camera-2', label: 'E2E Camera 2' };

/**
 * Init script (runs in the page): counts the offers the page makes (setLocalDescription that left an
 * offer), and lets the test unplug a device. Chromium's fake devices cannot be removed, so the list is
 * filtered and `devicechange` dispatched; the unplugged microphone's track itself stays live. Chromium's
 * fake devices have one camera: a second one is emulated (listed, and opened as a painted canvas's
 * track carrying its label), and its unplugging stops that track and fires `ended`, as the browser does.
 */
function installDeviceHooks(): void {
  const gone = new Set<string>();
  const camera2 = { id: 'e2e-camera-2', label: 'E2E Camera 2' }; // CAMERA_2: the init script cannot see the module
  let opened: MediaStreamTrack | undefined;
  const hooks: DeviceHooks = {
    offers: 0,
    cameras: 0,
    unplug: (id) => {
      gone.add(id);
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    },
    unplugCamera: () => {
      hooks.unplug(camera2.id);
      opened?.stop();
      opened?.dispatchEvent(new Event('ended'));
    },
  };
  Object.defineProperty(window, '__devices', { value: hooks });
  const enumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
  navigator.mediaDevices.enumerateDevices = async () => {
    const real = await enumerate();
    hooks.cameras = real.filter((d) => d.kind === 'videoinput').length;
    const second = { kind: 'videoinput', deviceId: camera2.id, label: camera2.label, groupId: '' } as MediaDeviceInfo;
    return [...real, second].filter((d) => !gone.has(d.deviceId));
  };
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const exact = typeof c?.video === 'object' ? (c.video.deviceId as { exact?: string } | undefined)?.exact : undefined;
    if (exact !== camera2.id) return getUserMedia(c);
    if (gone.has(camera2.id)) throw new DOMException('gone', 'NotFoundError');
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
    const g = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      if (g === null) return;
      g.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`;
      g.fillRect(0, 0, 320, 240);
    }, 33);
    const stream = canvas.captureStream(30);
    opened = stream.getVideoTracks()[0];
    Object.defineProperty(opened, 'label', { value: camera2.label });
    return stream;
  };
  const setLocal: (this: RTCPeerConnection, d?: RTCLocalSessionDescriptionInit) => Promise<void> = RTCPeerConnection.prototype.setLocalDescription;
  Object.defineProperty(RTCPeerConnection.prototype, 'setLocalDescription', {
    value: async function (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) {
      await setLocal.call(this, description);
      if (this.localDescription?.type === 'offer') hooks.offers++;
    },
  });
}

type Probed = Window & { readonly __e2e: { readonly pcs: RTCPeerConnection[] }; readonly __devices: DeviceHooks };

/** The microphone track alice's connection sends: its label, whether it runs and is enabled, and the offers so far. */
const sent = (p: PeerPage) =>
  p.page.evaluate(() => {
    const w = window as unknown as Probed;
    const track = w.__e2e.pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'audio')?.track;
    return { label: track?.label ?? '', live: track?.readyState === 'live', enabled: track?.enabled ?? false, offers: w.__devices.offers };
  });

/** inbound-rtp audio packets received, summed over the page's connections. */
const audioPackets = (p: PeerPage) =>
  p.page.evaluate(async () => {
    let n = 0;
    for (const pc of (window as unknown as Probed).__e2e.pcs) {
      (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') n += r.packetsReceived ?? 0;
      });
    }
    return n;
  });

scenario('Devices: the second microphone replaces the sent track with no new offer, Bob still hears; unplugged, the default takes over and the status says so', async (run) => {
  const hooks = { routes: (context: BrowserContext) => context.addInitScript(installDeviceHooks) };
  const { alice, bob } = await inCall(run, hooks, hooks);
  const [before, bobBefore] = await Promise.all([sent(alice), sent(bob)]);
  expect(before).toMatchObject({ label: 'Fake Default Audio Input', live: true });

  await alice.page.locator('#call-controls').getByRole('button', { name: 'Devices' }).click();
  await alice.waitForDialog('Devices');
  const mic = alice.page.locator('#modal-content select[name=mic]');
  expect(await mic.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Fake Audio Input 1', 'Fake Audio Input 2']));
  const second = await mic.locator('option', { hasText: 'Fake Audio Input 2' }).getAttribute('value');
  await mic.selectOption({ label: 'Fake Audio Input 2' });
  await until(() => sent(alice), (s) => s.label === 'Fake Audio Input 2' && s.live, { timeout: 15_000, what: 'the second microphone on the sender' });
  // Bob's audio keeps arriving from the new track.
  const packets = await audioPackets(bob);
  await until(() => audioPackets(bob), (n) => n > packets + 50, { timeout: 15_000, what: 'audio packets still arriving at Bob' });
  // replaceTrack: no renegotiation, from either side.
  expect([(await sent(alice)).offers, (await sent(bob)).offers]).toEqual([before.offers, bobBefore.offers]);
  expect(await alice.page.evaluate(() => localStorage.getItem('verto-peer.audio'))).toContain(String(second));

  // The speaker, where setSinkId exists (it does in Chromium).
  const speaker = alice.page.locator('#modal-content select[name=speaker]');
  const output = await speaker.locator('option', { hasText: 'Fake Audio Output 1' }).getAttribute('value');
  await speaker.selectOption({ label: 'Fake Audio Output 1' });
  await until(() => alice.page.locator('#media-player').evaluate((v: HTMLVideoElement) => v.sinkId), (id) => id === output, { timeout: 10_000, what: 'the speaker on #media-player' });
  await alice.page.locator('#modal-content').getByRole('button', { name: 'Done' }).click();
  await alice.waitForDialog(null);

  // Muted, then the second microphone goes away: the default one, still muted.
  await alice.page.keyboard.press('m');
  await until(() => sent(alice), (s) => !s.enabled, { timeout: 10_000, what: 'the microphone muted' });
  await alice.page.evaluate((id) => (window as unknown as Probed).__devices.unplug(id), String(second));
  await alice.waitForStatus(/^In a call with Bob — Your microphone was disconnected — now using the default microphone$/);
  await until(() => sent(alice), (s) => s.label === 'Fake Default Audio Input' && s.live && !s.enabled, { timeout: 10_000, what: 'the default microphone, muted, on the sender' });
  expect((await sent(alice)).offers).toBe(before.offers);
  expect((await sent(bob)).offers).toBe(bobBefore.offers);
  await expect(alice.page.locator('#call-controls').getByRole('button', { name: 'Unmute (M)' }).isVisible()).resolves.toBe(true);
});

/** The video track alice's connection sends: its label and whether it runs, and the offers so far. */
const sentVideo = (p: PeerPage) =>
  p.page.evaluate(() => {
    const w = window as unknown as Probed;
    const track = w.__e2e.pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'video')?.track;
    return { label: track?.label ?? '', live: track?.readyState === 'live', offers: w.__devices.offers, cameras: w.__devices.cameras };
  });

scenario('Devices: a second camera replaces the sent video track with no new offer, Bob still sees frames; unplugged, the default camera takes over and the status says so', async (run) => {
  const hooks = { routes: (context: BrowserContext) => context.addInitScript(installDeviceHooks) };
  const { alice, bob } = await inCall(run, hooks, hooks);
  const [before, bobBefore] = await Promise.all([sentVideo(alice), sentVideo(bob)]);
  expect(before).toMatchObject({ live: true, cameras: 1 }); // Chromium's fake devices: one camera, hence the emulated second
  const camera = alice.page.locator('#modal-content select[name=camera]');
  await alice.page.locator('#call-controls').getByRole('button', { name: 'Devices' }).click();
  await alice.waitForDialog('Devices');
  expect(await camera.locator('option').allTextContents()).toEqual([before.label, CAMERA_2.label]);
  await camera.selectOption({ label: CAMERA_2.label });
  await until(() => sentVideo(alice), (v) => v.label === CAMERA_2.label && v.live, { timeout: 15_000, what: 'the second camera on the sender' });
  const frames = (await bob.media()).framesDecoded;
  await bob.waitForMedia((m) => m.framesDecoded > frames + 20, 'frames of the second camera decoded at Bob', 15_000);
  expect([(await sentVideo(alice)).offers, (await sentVideo(bob)).offers]).toEqual([before.offers, bobBefore.offers]);
  expect(await alice.page.evaluate(() => localStorage.getItem('verto-peer.audio'))).toContain(CAMERA_2.id);
  await alice.page.locator('#modal-content').getByRole('button', { name: 'Done' }).click();
  await alice.waitForDialog(null);

  await alice.page.evaluate(() => (window as unknown as Probed).__devices.unplugCamera());
  await alice.waitForStatus(/^In a call with Bob — Your camera was disconnected — now using the default camera$/);
  await until(() => sentVideo(alice), (v) => v.label === before.label && v.live, { timeout: 10_000, what: 'the default camera on the sender' });
  expect([(await sentVideo(alice)).offers, (await sentVideo(bob)).offers]).toEqual([before.offers, bobBefore.offers]);
});
