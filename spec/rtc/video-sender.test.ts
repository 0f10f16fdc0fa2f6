// Which track the call's video sender carries: camera off releases it, camera on reopens it, a screen
// replaces it once the picker gave one; every track dies with its subscription (virtual time).
import { Observable, firstValueFrom, of, tap } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import type { Context } from 'rxjs-marbles';
import { RtcError } from '../../src/rtc/connection-types';
import { browserVideo, heldTrack, videoSender$, type VideoSenderEvent, type VideoWish } from '../../src/rtc/video-sender';
import { FakeMediaDevices, FakeMediaStream, FakeTrack, asStream, asTrack } from './fake-media';

/** A video track that records its stop and can end like the browser's "Stop sharing" does. */
class EndableTrack extends EventTarget {
  readonly kind = 'video';
  readyState: MediaStreamTrackState = 'live';
  constructor(
    readonly id: string,
    private readonly log: (line: string) => void,
  ) {
    super();
  }
  stop(): void {
    this.readyState = 'ended';
    this.log(`${this.id} stopped`);
  }
}

const W = (camera: boolean, screen = false): VideoWish => ({ camera, screen });
const wishes = { c: W(true), o: W(false), s: W(true, true), z: W(false, true), m: W(true) /* same as c: a mic toggle */ };

/**
 * Runs the sender with cameras and screens that answer after the given marbles; `log` lists, with
 * their virtual times, every ask, replace, stop and event.
 */
function setup(m: Context, opts: { camera?: string; display?: string; error?: unknown; cameraFor?: (id: string) => string }) {
  const log: [number, string][] = [];
  const record = (line: string) => log.push([m.scheduler.now(), line]);
  const tracks: EndableTrack[] = [];
  let n = 0;
  const open = (what: string, marble: string, id = ''): Observable<MediaStreamTrack> =>
    new Observable<MediaStreamTrack>((subscriber) => {
      const t = new EndableTrack(`${what}${++n}`, record);
      tracks.push(t);
      record(`ask ${t.id}${id === '' ? '' : ` ${id}`}`);
      // Held like heldTrack: stopped when unsubscribed, whether or not it had arrived.
      const sub = m.cold(marble, { t: asTrack(t as unknown as FakeTrack) }, opts.error).subscribe(subscriber);
      return () => {
        sub.unsubscribe();
        t.stop();
      };
    });
  const initial = new EndableTrack('initial', record);
  const events = (wish$: Observable<VideoWish>) =>
    videoSender$(wish$, asTrack(initial as unknown as FakeTrack), {
      camera: (id) => open('camera', opts.cameraFor?.(id) ?? opts.camera ?? '10ms t', id),
      display: () => open('screen', opts.display ?? '20ms t'),
      replace: (track) =>
        of(undefined).pipe(tap(() => record(`replace ${(track as { id?: string } | null)?.id ?? 'none'}`))),
    }).pipe(tap((e: VideoSenderEvent) => record(said(e))));
  return { log, tracks, initial, events };
}

const said = (e: VideoSenderEvent): string =>
  e.kind === 'sending' ? `sending ${(e.track as { id?: string } | null)?.id ?? 'none'}` : e.kind === 'sharing' ? `sharing ${e.on ? 'on' : 'off'}` : e.kind === 'camera-lost' ? 'camera-lost' : `camera-failed ${e.reason}`;

describe('videoSender$ (camera)', () => {
  it(
    'the first camera is the one already sent; off stops it and sends nothing; on opens a fresh one; a mic toggle changes nothing',
    marbles((m) => {
      const h = setup(m, {});
      const sub = h.events(m.hot('c-m 97ms o 99ms c', wishes)).subscribe();
      m.scheduler.schedule(() => sub.unsubscribe(), 300);
      m.flush();
      expect(h.log).toEqual([
        [100, 'initial stopped'],
        [100, 'replace none'],
        [100, 'sending none'],
        [200, 'ask camera1'],
        [210, 'replace camera1'],
        [210, 'sending camera1'],
        [300, 'camera1 stopped'],
      ]);
    }),
  );

  it(
    'camera on, then off before getUserMedia answers: the late camera is stopped and never sent',
    marbles((m) => {
      const h = setup(m, { camera: '50ms t' });
      h.events(m.hot('o 99ms c 19ms o', wishes)).subscribe();
      m.flush();
      expect(h.log).toEqual([
        [0, 'initial stopped'],
        [0, 'replace none'],
        [0, 'sending none'],
        [100, 'ask camera1'],
        [120, 'camera1 stopped'],
        [120, 'replace none'],
        [120, 'sending none'],
      ]);
      expect(h.tracks.map((t) => t.readyState)).toEqual(['ended']);
    }),
  );

  it(
    'a camera that will not open (busy, denied) is reported with its reason, nothing else happens',
    marbles((m) => {
      const h = setup(m, { camera: '5ms #', error: new RtcError('media-denied') });
      h.events(m.hot('o 9ms c', wishes)).subscribe();
      m.flush();
      expect(h.log.slice(3)).toEqual([
        [10, 'ask camera1'],
        [15, 'camera1 stopped'],
        [15, 'camera-failed media-denied'],
      ]);
      const other = setup(m, { camera: '5ms #', error: new Error('not an RtcError') });
      other.events(m.hot('o 9ms c', wishes)).subscribe();
      m.flush();
      expect(other.log.at(-1)?.[1]).toBe('camera-failed no-device');
    }),
  );

  it(
    'wishing the camera off before the first value stops the camera the call started with',
    marbles((m) => {
      const h = setup(m, {});
      h.events(of(W(false))).subscribe();
      m.flush();
      expect(h.initial.readyState).toBe('ended');
    }),
  );
});

describe('videoSender$ (screen)', () => {
  it(
    'sharing: the camera stays until the picker gave a screen, then the screen is sent; the browser ending it brings the camera back',
    marbles((m) => {
      const h = setup(m, { display: '20ms t' });
      h.events(m.hot('c 9ms s', wishes)).subscribe();
      m.scheduler.schedule(() => h.tracks[0]?.dispatchEvent(new Event('ended')), 100);
      m.flush();
      expect(h.log).toEqual([
        [10, 'ask screen1'],
        [30, 'initial stopped'],
        [30, 'replace screen1'],
        [30, 'sending screen1'],
        [30, 'sharing on'],
        [100, 'sharing off'],
        [100, 'ask camera2'],
        [110, 'replace camera2'],
        [110, 'sending camera2'],
      ]);
    }),
  );

  it(
    'our button stops it with the camera off: the screen is stopped and nothing is sent; the camera toggled off while sharing changed nothing then',
    marbles((m) => {
      const h = setup(m, { display: '20ms t' });
      h.events(m.hot('c 9ms s 39ms z 49ms o', wishes)).subscribe();
      m.flush();
      expect(h.log.slice(5)).toEqual([
        // the camera wish turned off while sharing: the screen stays
        [100, 'screen1 stopped'],
        [100, 'replace none'],
        [100, 'sending none'],
      ]);
    }),
  );

  it(
    'our button stops it with the camera on: the camera comes back',
    marbles((m) => {
      const back = setup(m, { display: '20ms t' });
      back.events(m.hot('c 9ms s 39ms c', wishes)).subscribe();
      m.flush();
      expect(back.log.slice(5)).toEqual([
        [50, 'screen1 stopped'],
        [50, 'ask camera2'],
        [60, 'replace camera2'],
        [60, 'sending camera2'],
      ]);
    }),
  );

  it(
    'a refused or cancelled picker changes nothing but the wish: the camera was never let go',
    marbles((m) => {
      const h = setup(m, { display: '20ms #', error: new Error('NotAllowedError') });
      h.events(m.hot('c 9ms s', wishes)).subscribe();
      m.flush();
      expect(h.log).toEqual([
        [10, 'ask screen1'],
        [30, 'screen1 stopped'],
        [30, 'sharing off'],
      ]);
      expect(h.initial.readyState).toBe('live');
    }),
  );

  it(
    'sharing stopped before the picker answered: the late screen is stopped and never sent',
    marbles((m) => {
      const h = setup(m, { display: '50ms t' });
      h.events(m.hot('c 9ms s 9ms c', wishes)).subscribe();
      m.flush();
      expect(h.log).toEqual([
        [10, 'ask screen1'],
        [20, 'screen1 stopped'],
      ]);
    }),
  );
});

const D = (camera: boolean, screen: boolean, device: string): VideoWish => ({ camera, screen, device });
const chosen = { ...wishes, b: D(true, false, 'cam2'), p: D(false, false, 'cam2'), t: D(true, true, 'cam2') };
/** The browser ends a track by itself (its camera unplugged). */
const unplug = (t: EndableTrack): void => {
  t.readyState = 'ended';
  t.dispatchEvent(new Event('ended'));
};

describe('videoSender$ (camera choice and unplugged cameras)', () => {
  // [what, wishes, the sender's log]
  const cases: [string, string, [number, string][]][] = [
    ['while the camera is sent: that one is opened and the old stopped', 'c 9ms b', [[10, 'initial stopped'], [10, 'ask camera1 cam2'], [20, 'replace camera1'], [20, 'sending camera1']]],
    [
      'while the camera is off: nothing opened; it is when the camera is turned on',
      'c 9ms o 9ms p 9ms b',
      [[10, 'initial stopped'], [10, 'replace none'], [10, 'sending none'], [30, 'ask camera1 cam2'], [40, 'replace camera1'], [40, 'sending camera1']],
    ],
    [
      'while sharing the screen: it waits; the chosen camera comes back when sharing ends',
      'c 9ms s 29ms t 9ms b',
      [[10, 'ask screen1'], [30, 'initial stopped'], [30, 'replace screen1'], [30, 'sending screen1'], [30, 'sharing on'], [50, 'screen1 stopped'], [50, 'ask camera2 cam2'], [60, 'replace camera2'], [60, 'sending camera2']],
    ],
  ];
  it.each(cases)(
    'a new camera choice %s',
    (_what, wishMarbles, log) =>
      marbles((m) => {
        const h = setup(m, {});
        h.events(m.hot(wishMarbles, chosen)).subscribe();
        m.flush();
        expect(h.log).toEqual(log);
      })(),
  );

  it(
    'a camera unplugged (its track ended by itself) gives way to the default camera, and says so; so does the first one',
    marbles((m) => {
      const h = setup(m, {});
      h.events(m.hot('c 9ms b', chosen)).subscribe();
      m.scheduler.schedule(() => unplug(h.tracks[0]), 50);
      m.flush();
      expect(h.log.slice(4)).toEqual([
        [50, 'ask camera2'],
        [60, 'replace camera2'],
        [60, 'sending camera2'],
        [60, 'camera-lost'],
      ]);
      const first = setup(m, {});
      first.events(m.hot('c', chosen)).subscribe();
      m.scheduler.schedule(() => unplug(first.initial), 5);
      m.flush();
      expect(first.log.map(([, line]) => line)).toEqual(['ask camera1', 'replace camera1', 'sending camera1', 'camera-lost']);
    }),
  );

  it(
    'with no camera left the call goes on without video: camera-failed, nothing more is asked',
    marbles((m) => {
      const h = setup(m, { cameraFor: (id) => (id === '' ? '5ms #' : '10ms t'), error: new RtcError('no-device') });
      h.events(m.hot('c 9ms b', chosen)).subscribe();
      m.scheduler.schedule(() => unplug(h.tracks[0]), 50);
      m.flush();
      expect(h.log.slice(4)).toEqual([
        [50, 'ask camera2'],
        [55, 'camera2 stopped'],
        [55, 'camera-failed no-device'],
      ]);
    }),
  );
});

describe('heldTrack and browserVideo', () => {
  const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('emits the video track and stops the stream at unsubscribe; one delivered after unsubscribe is stopped at once', async () => {
    const track = new FakeTrack('video');
    const extra = new FakeTrack('audio');
    const held = heldTrack(() => Promise.resolve(asStream(new FakeMediaStream([track, extra]))));
    const seen: MediaStreamTrack[] = [];
    const sub = held.subscribe((t) => seen.push(t));
    await flushPromises();
    expect(seen).toEqual([track]);
    sub.unsubscribe();
    expect([track.readyState, extra.readyState]).toEqual(['ended', 'ended']);

    let answer: (s: MediaStream) => void = () => undefined;
    const late = new FakeTrack('video');
    const early = heldTrack(() => new Promise<MediaStream>((resolve) => (answer = resolve))).subscribe();
    early.unsubscribe();
    answer(asStream(new FakeMediaStream([late])));
    await flushPromises();
    expect(late.readyState).toBe('ended');
  });

  it('a stream without video fails as no-device; a refusal goes through the mapping', async () => {
    await expect(firstValueFrom(heldTrack(() => Promise.resolve(asStream(new FakeMediaStream([new FakeTrack('audio')])))))).rejects.toMatchObject({ reason: 'no-device' });
    await expect(firstValueFrom(heldTrack(() => Promise.reject(new Error('x')), () => 'mapped'))).rejects.toBe('mapped');
  });

  it('the browser camera asks for video only and maps its errors like local media; without mediaDevices it is missing', async () => {
    const devices = new FakeMediaDevices();
    const camera = await firstValueFrom(browserVideo(devices as unknown as MediaDevices).camera(''));
    expect(camera.kind).toBe('video');
    expect(devices.requests).toEqual([{ video: true }]);
    await firstValueFrom(browserVideo(devices as unknown as MediaDevices).camera('cam2'));
    expect(devices.requests[1]).toEqual({ video: { deviceId: { exact: 'cam2' } } }); // a chosen camera, not another
    const busy = new FakeMediaDevices({ rejectWith: 'NotReadableError' });
    await expect(firstValueFrom(browserVideo(busy as unknown as MediaDevices).camera(''))).rejects.toMatchObject({ reason: 'device-busy' });
    const denied = new FakeMediaDevices({ rejectWith: 'NotAllowedError' });
    await expect(firstValueFrom(browserVideo(denied as unknown as MediaDevices).camera(''))).rejects.toMatchObject({ reason: 'media-denied' });
    await expect(firstValueFrom(browserVideo(undefined).camera(''))).rejects.toMatchObject({ reason: 'no-device' });
    const screen = new FakeTrack('video');
    const display = { getDisplayMedia: (c: unknown) => (c && Promise.resolve(asStream(new FakeMediaStream([screen])))) } as unknown as MediaDevices;
    await expect(firstValueFrom(browserVideo(display).display())).resolves.toBe(screen);
    await expect(firstValueFrom(browserVideo({} as MediaDevices).display())).rejects.toBeInstanceOf(TypeError); // a phone: no picker
  });
});
