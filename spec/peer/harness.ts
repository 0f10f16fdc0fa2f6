import { EMPTY, NEVER, Subject, defer, finalize, ignoreElements, map, merge, mergeMap, of, tap, throwError, type Observable } from 'rxjs';
import type { Context as RunContext } from 'rxjs-marbles';
import type { AudioOnlyReason, CallMedia, CallMediaEvent, ConnectionState, Signal } from '../../src/rtc/connection-types';
import { markAudioOnly } from '../../src/rtc/local-media';
import type { ClientStatus, JsonObject, PeerEnvelope, PresenceEvent, VertoClient } from '../../src/verto/client-types';
import type { Dialog, Intent, MenuItem, PeerView, VideoSource } from '../../src/view/ui-types';
import { runPeer, type PeerDeps } from '../../src/peer/peer';
import { initialState, type Call, type PeerState } from '../../src/peer/peer-state';

/** [time in ms, value]: turned into a hot marble diagram with exact virtual times. */
export type Timed<T> = readonly [number, T];

export function hotAt<T>(m: RunContext, events: readonly Timed<T>[]): Observable<T> {
  if (events.length === 0) return NEVER;
  const values: Record<string, T> = {};
  let diagram = '';
  let frame = 0;
  events.forEach(([t, v], i) => {
    const key = String.fromCharCode(0x100 + i); // one-character value keys, never marble syntax
    if (t < frame) throw new Error(`events out of order at ${t}`);
    if (t > frame) diagram += ` ${t - frame}ms `;
    diagram += key;
    values[key] = v;
    frame = t + 1;
  });
  return m.hot(diagram, values);
}

/** A short text for a peer message, so expectations read like a protocol trace. */
export function describeMessage(msg: JsonObject): string {
  const parts = [JSON.stringify(msg.peerAction ?? msg.peerStatus).replace(/"/g, '')];
  if (typeof msg.callId === 'string') parts.push(msg.callId);
  if (typeof msg.reason === 'string') parts.push(msg.reason);
  if (msg.peerAction === 'description' && typeof msg.description === 'object' && msg.description !== null && !Array.isArray(msg.description)) {
    parts.push(JSON.stringify(msg.description.type).replace(/"/g, ''));
  }
  return parts.join(' ');
}

/** What one fake call media does, in virtual time relative to its subscription. */
export interface ConnectionScript {
  /** Local media: e.g. '5ms m' (ready after 5 ms), or '5ms #' with `mediaError`; default: at once. */
  readonly media?: string;
  /** The local stream has no camera, for this reason (as src/rtc/local-media.ts marks it). */
  readonly audioOnly?: AudioOnlyReason;
  readonly mediaError?: unknown;
  /** State marble, values are ConnectionState letters: c=connected, r=reconnecting; '#' fails with `error`. */
  readonly state?: string;
  readonly error?: unknown;
  /** Outgoing signals: o = our description offer, k = a candidate. */
  readonly signals?: string;
  /** Remote stream: s = a stream. */
  readonly remote?: string;
  /** Connection-quality readings: h high delay, l packet loss, g good again. */
  readonly quality?: string;
}

const STATES: Record<string, ConnectionState> = { c: 'connected', r: 'reconnecting', n: 'connecting' };
const describeSignal = (signal: Signal) =>
  signal.kind === 'description' ? `description ${signal.description.type}` : signal.candidate === null ? 'end-of-candidates' : 'candidate';
export const OUR_OFFER: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0 ours' } };
export const OUR_CANDIDATE: Signal = { kind: 'candidate', candidate: { candidate: 'candidate:1 ours', sdpMid: '0', sdpMLineIndex: 0 } };

export interface Sources {
  readonly presence?: readonly Timed<PresenceEvent>[];
  readonly messages?: readonly Timed<PeerEnvelope>[];
  readonly status?: readonly Timed<ClientStatus>[];
  readonly intents?: readonly Timed<Intent>[];
  readonly activity?: readonly Timed<unknown>[];
  readonly connections?: readonly ConnectionScript[];
  readonly selfId?: string;
  readonly callIds?: readonly string[];
  /** Unsubscribe (leave) at this time; default 200 s. */
  readonly until?: number;
  readonly names?: Map<string, string>;
  /** The Peer's clock at virtual time t (default: t), e.g. a system clock that steps back. */
  readonly clock?: (t: number) => number;
  /** The Peer's ringing/attention edge (src/view/ringer.ts, attention.ts), if the test wants one. */
  readonly alerts?: PeerDeps['alerts'];
  /** A fresh camera / the screen picker, e.g. `'10ms t'` (a track after 10 ms) or `'5ms #'` (refused); default: a camera at once, no screen. */
  readonly camera?: string;
  readonly display?: string;
  readonly videoError?: unknown;
  /** Devices for choosing the microphone and speaker (the local media then offers replaceTrack), and the choice remembered. */
  readonly mediaDevices?: PeerDeps['mediaDevices'];
  readonly audio?: PeerDeps['audio'];
}

/** Runs one Peer against a fake client, view and connection factory, recording every effect with its virtual time. */
export function runHarness(m: RunContext, src: Sources) {
  const log: [number, string][] = [];
  const record = (text: string) => log.push([m.scheduler.now(), text]);
  const videos: VideoSource[] = [];
  const menus: MenuItem[][] = [];
  const dialogs: (Dialog | null)[] = [];
  const inCall: [number, boolean][] = [];
  const durations: [number, string | null][] = [];
  const selfViewHidden: [number, boolean][] = [];
  const client: VertoClient = {
    status$: hotAt(m, src.status ?? [[0, { kind: 'online' }]]),
    presence$: hotAt(m, src.presence ?? []),
    peerMessages$: hotAt(m, src.messages ?? []),
    subscribed$: EMPTY,
    connect: () => record('connect'),
    publishPresence: (p) => record(`publish ${p.status} ${p.name ?? ''}`),
    send: (to, message) => record(`send ${to} ${describeMessage(message)}`),
    disconnect: () => record('disconnect'),
    setInCall: (value) => inCall.push([m.scheduler.now(), value]),
  };
  const view: PeerView = {
    intents$: hotAt(m, src.intents ?? []),
    activity$: hotAt(m, src.activity ?? []),
    setStatus: (text) => record(`status ${text}`),
    setMenu: (items) => menus.push([...items]),
    showDialog: (d) => {
      dialogs.push(d);
      record(`dialog ${d === null ? 'none' : `${d.kind}${'name' in d ? ` ${d.name}` : ''}`}`);
    },
    setVideo: (v) => {
      videos.push(v);
      record(`video ${v === null ? 'poster' : `${v.fit}${v.muted ? ' muted' : ''}`}`);
    },
    setNavHidden: (hidden) => record(`nav ${hidden ? 'hidden' : 'shown'}`),
    setControls: (c) => record(`controls ${c.map((x) => ('on' in x ? `${x.kind}:${x.on ? 'on' : 'off'}` : x.kind)).join(' ')}`),
    setRemoteCameraOff: (name) => record(`camera-off ${name ?? 'none'}`),
    setSelfView: (stream) => record(`self-view ${stream === null ? 'none' : stream.id}`),
    setSelfViewHidden: (hidden) => selfViewHidden.push([m.scheduler.now(), hidden]),
    setCallDuration: (text) => durations.push([m.scheduler.now(), text]),
  };
  // Cold and created up front, so a test can check when each call's media was subscribed and released.
  const lifetimes = Array.from({ length: Math.max(3, src.connections?.length ?? 0) }, () => m.cold<never>('-'));
  let made = 0;
  const callMedia: CallMedia = (options, remoteSignals$, signallingUp$) =>
    defer(() => {
      const n = made++;
      const script = src.connections?.[n] ?? {};
      const tag = `conn${n}`;
      // Tracks record what the Peer sets `enabled` to (the person's mute choice) and when a camera is stopped.
      // An EventTarget like the browser's track (the video sender listens for `ended`).
      const track = (kind: string) => Object.defineProperties(new EventTarget(), Object.getOwnPropertyDescriptors({
        kind,
        id: `${tag}-${kind}`,
        readyState: 'live',
        set enabled(on: boolean) { record(`track ${tag} ${kind} ${on ? "on" : "off"}`); },
        stop() { record(`track ${tag} ${kind} stopped`); },
      }));
      const [audio, video] = [track('audio'), track('video')];
      const fake = { id: `${tag}-stream`, getVideoTracks: () => (script.audioOnly ? [] : [video]), getAudioTracks: () => [audio] } as unknown as MediaStream;
      const stream = script.audioOnly ? markAudioOnly(fake, script.audioOnly) : fake;
      record(`${tag} created ${options.polite ? 'polite' : 'impolite'}${options.mic ? ` mic ${options.mic}` : ''}`);
      const replaceTrack = (kind: string, t: MediaStreamTrack | null) => defer(() => {
        record(`replace ${tag} ${kind} ${t?.id ?? 'none'}`);
        return of(undefined);
      });
      const local: CallMediaEvent = { kind: 'local', stream, replaceTrack };
      const local$: Observable<CallMediaEvent> = script.mediaError
        ? script.media ? m.cold(script.media, {}, script.mediaError) : throwError(() => script.mediaError)
        : script.media ? m.cold(script.media, { m: local }) : of(local);
      const state$ = script.state ? m.cold(script.state, STATES, script.error).pipe(map((state): CallMediaEvent => ({ kind: 'state', state }))) : NEVER;
      const signals$ = script.signals ? m.cold(script.signals, { o: OUR_OFFER, k: OUR_CANDIDATE }).pipe(map((signal): CallMediaEvent => ({ kind: 'signal', signal }))) : NEVER;
      const quality$ = script.quality
        ? m.cold(script.quality, { h: 'high-delay', l: 'packet-loss', g: null } as const).pipe(map((poor): CallMediaEvent => ({ kind: 'quality', poor })))
        : NEVER;
      const remote$ = script.remote ? m.cold(script.remote, { s: { id: `${tag}-remote` } as unknown as MediaStream }).pipe(map((s): CallMediaEvent => ({ kind: 'remote', stream: s }))) : NEVER;
      const received$ = remoteSignals$.pipe(tap((signal) => record(`${tag} receive ${describeSignal(signal)}`)), ignoreElements());
      // Recorded as `signalling connN up|down`, apart from the `connN` lines.
      const up$ = signallingUp$.pipe(tap((up) => record(`signalling ${tag} ${up ? 'up' : 'down'}`)), ignoreElements());
      return merge(lifetimes[n] ?? NEVER, received$, up$, local$, state$, signals$, remote$, quality$).pipe(finalize(() => record(`${tag} close`)));
    });
  let opened = 0;
  /** A camera or screen track as the video sender gets it: held while subscribed, its stop recorded. */
  const fakeVideo = (what: string, marble: string): Observable<MediaStreamTrack> =>
    defer(() => {
      const id = `${what}${++opened}`;
      const t = Object.assign(new EventTarget(), { kind: 'video', id, readyState: 'live', stop: () => record(`${id} stopped`) }) as unknown as MediaStreamTrack;
      return m.cold(marble, { t }, src.videoError ?? new Error('refused')).pipe(
        mergeMap((x) => merge(of(x), NEVER)),
        tap({ subscribe: () => record(`${id} asked`), unsubscribe: () => t.stop() }),
      );
    });
  const callIds = [...(src.callIds ?? ['call-1', 'call-2', 'call-3'])];
  const names = src.names ?? new Map<string, string>();
  const deps: PeerDeps = {
    client,
    view,
    callMedia,
    iceServers: [],
    selfId: src.selfId ?? 'ann',
    name: 'Ann',
    names: { getItem: (k) => names.get(k) ?? null, setItem: (k, v) => void names.set(k, v) },
    newCallId: () => callIds.shift() ?? 'call-x',
    random: () => 0, // keepalive every 40 s
    ...(src.clock ? { now: () => src.clock!(m.scheduler.now()) } : {}),
    ...(src.alerts ? { alerts: src.alerts } : {}),
    ...(src.mediaDevices ? { mediaDevices: src.mediaDevices } : {}),
    ...(src.audio ? { audio: src.audio } : {}),
    video: { camera: () => fakeVideo('camera', src.camera ?? 't'), display: () => fakeVideo('screen', src.display ?? '#') },
    streamOf: (t) => ({ id: `stream-of-${t.id}` }) as unknown as MediaStream,
  };
  const subject = new Subject<void>();
  m.scheduler.schedule(() => {
    const sub = runPeer(deps).subscribe({ error: (e: unknown) => record(`ERROR ${String(e)}`) });
    m.scheduler.schedule(() => {
      sub.unsubscribe();
      subject.next();
    }, src.until ?? 200_000);
  }, 0);
  const pick = (pattern: RegExp) => () => log.filter(([, t]) => pattern.test(t));
  return {
    log,
    /** What the Peer told the client about being in a call, with the virtual time. */
    inCall,
    /** Each call-duration text the View was given, with the virtual time. */
    durations,
    /** Each self-view hidden flag the View was given, with the virtual time. */
    selfViewHidden,
    /** The lifetime of the n-th call's media, for subscription marbles. */
    lifetimes,
    videos,
    menus,
    dialogs,
    names,
    flush: () => m.flush(),
    sent: pick(/^send /),
    published: pick(/^publish /),
    statuses: () => log.filter(([, t]) => t.startsWith('status ')).map(([time, t]) => [time, t.slice(7)] as const),
    conn: pick(/^conn\d/),
    /** What each call's media was told about signalling. */
    signalling: pick(/^signalling /),
    /** The last status text shown. */
    lastStatus: () => log.filter(([, t]) => t.startsWith('status ')).at(-1)?.[1].slice(7),
  };
}

/** A pure state for reducer and view-model tests: Ann online, Bo known and available. */
export const onlineWithBo = (): PeerState => ({
  ...initialState('ann', 'Ann'),
  client: { kind: 'online' },
  peers: { bo: { id: 'bo', name: 'Bo', available: true, seenAt: 0 } },
});
/** The same with a call `c1` with Bo in `phase`, begun at 0. */
export const withCall = (phase: Call['phase'], extra: Partial<Call> = {}): PeerState => ({
  ...onlineWithBo(),
  call: { phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true, ...extra },
});

export const presence = (from: string, status: PresenceEvent['status'], name?: string): PresenceEvent => ({ from, status, ...(name ? { name } : {}) });
export const msg = (from: string, message: JsonObject): PeerEnvelope => ({ from, message });
