// A fake RTCPeerConnection for jsdom, faithful where negotiation code can tell the difference:
// the signaling-state machine (stable / have-local-offer / have-remote-offer), argument-free
// setLocalDescription creating an offer or an answer, implicit rollback when a remote offer meets our
// own, the InvalidStateError for an answer in the wrong state, an operations chain, trickled
// candidates ending with `null`, negotiationneeded (once, re-checked on return to stable), track
// events, restartIce (new ICE credentials), a connectivity model over a shared link, and close().
import { FakeMediaStream, FakeTrack, domError } from './fake-media';

/** When the fake's own asynchronous work happens: virtual time in pair tests, real time in Promise tests. */
export interface Clock {
  later(fn: () => void, ms: number): void;
}

export const realClock: Clock = {
  later: (fn, ms) => {
    setTimeout(fn, ms);
  },
};

/** The network between the two fakes: when it is down, ICE cannot (re)connect. */
export class FakeLink {
  up = true;
  readonly members = new Set<FakePeerConnection>();
  setUp(up: boolean): void {
    this.up = up;
    for (const pc of this.members) pc.linkChanged();
  }
}

type Kind = 'audio' | 'video';
interface MLine {
  readonly kind: Kind;
  readonly track: string;
  readonly stream: string;
}
interface Sdp {
  readonly type: 'offer' | 'answer';
  readonly origin: string;
  readonly version: number;
  readonly ufrag: string;
  readonly lines: readonly MLine[];
  readonly text: string;
}

function writeSdp(type: Sdp['type'], origin: string, version: number, ufrag: string, lines: readonly MLine[]): Sdp {
  const text = [
    'v=0',
    `o=${origin} ${version}`,
    `a=ice-ufrag:${ufrag}`,
    ...lines.map((l) => `m=${l.kind} ${l.track} ${l.stream}`),
  ].join('\r\n');
  return { type, origin, version, ufrag, lines, text };
}

function readSdp(type: RTCSdpType | undefined, text: string | undefined): Sdp {
  if (type !== 'offer' && type !== 'answer') throw new TypeError(`unsupported description type ${String(type)}`);
  const rows = (text ?? '').split('\r\n');
  const origin = /^o=(\S+) (\d+)$/.exec(rows[1] ?? '');
  const ufrag = /^a=ice-ufrag:(\S+)$/.exec(rows[2] ?? '');
  if (rows[0] !== 'v=0' || !origin || !ufrag) throw domError('OperationError', 'Failed to parse SessionDescription');
  const lines = rows.slice(3).map((row) => {
    const m = /^m=(audio|video) (\S+) (\S+)$/.exec(row);
    if (!m) throw domError('OperationError', `Failed to parse SessionDescription line ${row}`);
    return { kind: m[1] as Kind, track: m[2], stream: m[3] };
  });
  return { type, origin: origin[1], version: Number(origin[2]), ufrag: ufrag[1], lines, text: text ?? '' };
}

const asDescription = (sdp: Sdp | null) =>
  sdp === null ? null : { type: sdp.type, sdp: sdp.text, toJSON: () => ({ type: sdp.type, sdp: sdp.text }) };

let pcCount = 0;

export interface FakePcOptions {
  readonly clock: Clock;
  readonly link?: FakeLink;
  /** Duration of each queued operation (setLocal/RemoteDescription, addIceCandidate) in the Promise API. */
  readonly opMs?: number;
  readonly gatherMs?: number;
  readonly connectMs?: number;
  /** Track events without streams, as for a sender added without a stream. */
  readonly noStreams?: boolean;
}

export class FakePeerConnection extends EventTarget {
  readonly id = `pc${++pcCount}`;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  /** Observation for tests: what this connection did. */
  readonly stats = { offers: 0, answers: 0, rollbacks: 0, restarts: 0, remoteCandidates: 0 };
  readonly receivedTracks: FakeTrack[] = [];
  private readonly listeners = new Map<string, number>();
  private readonly senders: { track: FakeTrack; stream: FakeMediaStream | undefined }[] = [];
  private pendingLocal: Sdp | null = null;
  private currentLocal: Sdp | null = null;
  private pendingRemote: Sdp | null = null;
  private currentRemote: Sdp | null = null;
  private version = 0;
  private ufragCount = 0;
  private ufrag: string;
  private restartFrom: string | null = null;
  private negotiationNeeded = false;
  private readonly gathered = new Set<string>();
  private readonly candidatesByUfrag = new Map<string, number>();
  private readonly remoteStreams = new Map<string, FakeMediaStream>();
  private connectedKey: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pendingOps = 0;

  constructor(
    readonly config: RTCConfiguration,
    private readonly options: FakePcOptions,
  ) {
    super();
    this.ufrag = this.newUfrag();
    options.link?.members.add(this);
  }

  // ---- listener bookkeeping (to prove that closing removes every listener) ----
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, o?: unknown): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) + 1);
    super.addEventListener(type, listener, o as AddEventListenerOptions);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, o?: unknown): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) - 1);
    super.removeEventListener(type, listener, o as EventListenerOptions);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((a, b) => a + b, 0);
  }

  // ---- descriptions as a browser shows them ----
  get localDescription() {
    return asDescription(this.pendingLocal ?? this.currentLocal);
  }
  get remoteDescription() {
    return asDescription(this.pendingRemote ?? this.currentRemote);
  }
  get currentLocalDescription() {
    return asDescription(this.currentLocal);
  }
  get currentRemoteDescription() {
    return asDescription(this.currentRemote);
  }
  /** The local description as plain JSON, as `RTCSessionDescription.toJSON()` gives it. */
  localJson(): RTCSessionDescriptionInit {
    const d = this.pendingLocal ?? this.currentLocal;
    if (d === null) throw new Error('no local description');
    return { type: d.type, sdp: d.text };
  }
  /** Track ids this side sends in the agreed (current) session. */
  sendingTracks(): string[] {
    return (this.currentLocal?.lines ?? []).map((l) => l.track);
  }

  // ---- the Promise API, through an operations chain like the browser's ----
  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    return this.enqueue(() => this.setLocalNow(description));
  }
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.enqueue(() => this.setRemoteNow(description));
  }
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return this.enqueue(() => this.addCandidateNow(candidate ?? null));
  }
  private enqueue(op: () => void): Promise<void> {
    this.beginOp();
    const run = this.chain
      .then(() => new Promise<void>((resolve) => this.options.clock.later(resolve, this.options.opMs ?? 1)))
      .then(op)
      .finally(() => this.endOp());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The operations chain is busy from when an operation is queued until it has run. */
  beginOp(): void {
    this.pendingOps++;
  }
  endOp(): void {
    this.pendingOps--;
    // The browser checks negotiation-needed again once the chain is empty.
    if (this.pendingOps === 0) this.updateNegotiationNeeded();
  }

  // ---- the operations themselves, synchronous, for the virtual-time port ----
  setLocalNow(description?: RTCLocalSessionDescriptionInit): void {
    this.assertOpen();
    if (description?.type === 'rollback') return this.rollback();
    if (description !== undefined) throw domError('NotSupportedError', 'the fake only supports argument-free SLD');
    if (this.signalingState === 'stable' || this.signalingState === 'have-local-offer') {
      if (this.restartFrom !== null && this.ufrag === this.restartFrom) this.ufrag = this.newUfrag();
      const lines = this.senders.map(({ track, stream }) => ({ kind: track.kind, track: track.id, stream: stream?.id ?? '-' }));
      this.pendingLocal = writeSdp('offer', this.id, ++this.version, this.ufrag, lines);
      this.stats.offers++;
      this.setSignaling('have-local-offer');
    } else if (this.signalingState === 'have-remote-offer') {
      const offer = this.pendingRemote as Sdp;
      const remoteRestarted = this.currentRemote !== null && offer.ufrag !== this.currentRemote.ufrag;
      if (remoteRestarted && this.ufrag === this.currentLocal?.ufrag) this.ufrag = this.newUfrag();
      // An answer cannot add m-lines: each offered m-line may carry one of our tracks of its kind.
      const free = [...this.senders];
      const lines: MLine[] = [];
      for (const offered of offer.lines) {
        const i = free.findIndex((s) => s.track.kind === offered.kind);
        if (i < 0) continue;
        const [{ track, stream }] = free.splice(i, 1);
        lines.push({ kind: track.kind, track: track.id, stream: stream?.id ?? '-' });
      }
      this.currentLocal = writeSdp('answer', this.id, ++this.version, this.ufrag, lines);
      this.currentRemote = offer;
      this.pendingRemote = null;
      this.stats.answers++;
      this.setSignaling('stable');
    } else {
      throw domError('InvalidStateError', `Failed to execute 'setLocalDescription': called in ${this.signalingState}`);
    }
    this.gather(this.ufrag);
    this.checkConnectivity();
  }

  setRemoteNow(description: RTCSessionDescriptionInit): void {
    this.assertOpen();
    const sdp = readSdp(description.type, description.sdp);
    if (sdp.type === 'offer') {
      if (this.signalingState === 'have-local-offer') this.rollback(); // implicit rollback
      this.pendingRemote = sdp;
      this.setSignaling('have-remote-offer');
    } else {
      if (this.signalingState !== 'have-local-offer') {
        throw domError(
          'InvalidStateError',
          `Failed to execute 'setRemoteDescription' on 'RTCPeerConnection': Failed to set remote answer sdp: Called in wrong state: ${this.signalingState}`,
        );
      }
      this.currentRemote = sdp;
      this.currentLocal = this.pendingLocal;
      this.pendingLocal = null;
      this.setSignaling('stable');
    }
    this.fireTracks(sdp);
    this.checkConnectivity();
  }

  addCandidateNow(candidate: RTCIceCandidateInit | null): void {
    this.assertOpen();
    const remote = this.pendingRemote ?? this.currentRemote;
    if (remote === null) throw domError('InvalidStateError', 'The remote description was null');
    if (candidate === null || candidate.candidate === '' || candidate.candidate === undefined) return; // end of candidates
    if (!candidate.candidate.startsWith('candidate:') || (candidate.usernameFragment ?? remote.ufrag) !== remote.ufrag) {
      throw domError('OperationError', 'Error processing ICE candidate');
    }
    this.stats.remoteCandidates++;
    const u = candidate.usernameFragment ?? remote.ufrag;
    this.candidatesByUfrag.set(u, (this.candidatesByUfrag.get(u) ?? 0) + 1);
    for (const pc of this.options.link?.members ?? []) pc.checkConnectivity();
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): { track: MediaStreamTrack } {
    this.assertOpen();
    const fake = track as unknown as FakeTrack;
    if (this.senders.some((s) => s.track === fake)) throw domError('InvalidAccessError', 'A sender already exists for the track');
    this.senders.push({ track: fake, stream: streams[0] as unknown as FakeMediaStream | undefined });
    this.updateNegotiationNeeded();
    return { track };
  }

  restartIce(): void {
    if (this.closed) return;
    this.stats.restarts++;
    this.restartFrom = this.currentLocal?.ufrag ?? null;
    this.updateNegotiationNeeded();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true; // a real close() fires no state-change events
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
    for (const t of this.receivedTracks) t.stop();
    this.options.link?.members.delete(this);
  }

  /** Test control: ICE gives up (as after a long outage). */
  failIce(): void {
    this.setConnection('failed');
  }

  /**
   * Test control: the old candidate pair answers again once the network is back, as Chromium's did
   * after a 45 s blackout even with our restart offer still unanswered (bench/faults.ts timeline).
   */
  reviveOldPair(): void {
    this.setConnection('connected');
  }

  linkChanged(): void {
    if (this.closed) return;
    if (!this.options.link?.up) {
      if (this.connectionState === 'connected' || this.connectionState === 'connecting') this.setConnection('disconnected');
    } else {
      this.checkConnectivity();
    }
  }

  /** The ICE username fragment of the remote description in force, if any. */
  remoteUfrag(): string | undefined {
    return (this.pendingRemote ?? this.currentRemote)?.ufrag;
  }

  knowsCandidatesOf(ufrag: string): boolean {
    return (this.candidatesByUfrag.get(ufrag) ?? 0) > 0;
  }

  // ---- internals ----
  private newUfrag(): string {
    return `${this.id}u${++this.ufragCount}`;
  }

  private assertOpen(): void {
    if (this.closed) throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
  }

  private dispatch(type: string, props: Record<string, unknown> = {}): void {
    this.dispatchEvent(Object.assign(new Event(type), props));
  }

  private setSignaling(state: RTCSignalingState): void {
    this.signalingState = state;
    this.dispatch('signalingstatechange');
    if (state === 'stable') {
      if (this.restartFrom !== null && this.currentLocal !== null && this.currentLocal.ufrag !== this.restartFrom) {
        this.restartFrom = null;
      }
      this.negotiationNeeded = false; // re-evaluated now that we are back in stable
      this.updateNegotiationNeeded();
    }
  }

  private rollback(): void {
    if (this.signalingState === 'have-local-offer') {
      // The ICE credentials a rolled-back offer introduced go with it: the next description gets fresh
      // ones, so candidates sent for the rolled-back offer never fit again (the harder case for the peer).
      if (this.pendingLocal?.ufrag !== this.currentLocal?.ufrag) this.ufrag = this.newUfrag();
      this.pendingLocal = null;
    }
    else if (this.signalingState === 'have-remote-offer') this.pendingRemote = null;
    else throw domError('InvalidStateError', `Cannot rollback in ${this.signalingState}`);
    this.stats.rollbacks++;
    this.setSignaling('stable');
  }

  private needsNegotiation(): boolean {
    if (this.restartFrom !== null && this.currentLocal?.ufrag === this.restartFrom) return true;
    const sent = new Set(this.sendingTracks());
    return this.senders.some((s) => !sent.has(s.track.id));
  }

  /** Like the browser: one event, queued, only while stable with an idle operations chain; re-checked on return to stable. */
  private updateNegotiationNeeded(): void {
    if (this.negotiationNeeded) return;
    this.options.clock.later(() => {
      if (this.closed || this.pendingOps > 0 || this.signalingState !== 'stable') return;
      if (this.negotiationNeeded || !this.needsNegotiation()) return;
      this.negotiationNeeded = true;
      this.dispatch('negotiationneeded');
    }, 0);
  }

  private fireTracks(sdp: Sdp): void {
    for (const line of sdp.lines) {
      const id = `remote:${line.track}`;
      if (this.receivedTracks.some((t) => t.id === id)) continue;
      const track = new FakeTrack(line.kind, id);
      this.receivedTracks.push(track);
      const streams: FakeMediaStream[] = [];
      if (!this.options.noStreams && line.stream !== '-') {
        const stream = this.remoteStreams.get(line.stream) ?? new FakeMediaStream([], line.stream);
        this.remoteStreams.set(line.stream, stream);
        stream.addTrack(track);
        streams.push(stream);
      }
      this.dispatch('track', { track, streams, receiver: { track } });
    }
  }

  private gather(ufrag: string): void {
    if (this.gathered.has(ufrag)) return;
    this.gathered.add(ufrag);
    const ms = this.options.gatherMs ?? 2;
    const candidate = (n: number): RTCIceCandidateInit => ({
      candidate: `candidate:${n} 1 udp 2122260223 192.0.2.${n} ${50000 + n} typ host`,
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
    });
    const emit = (c: RTCIceCandidateInit | null) => () => {
      if (this.closed) return;
      this.dispatch('icecandidate', { candidate: c === null ? null : { ...c, toJSON: () => c } });
    };
    this.options.clock.later(emit(candidate(1)), ms);
    this.options.clock.later(emit(candidate(2)), 2 * ms);
    this.options.clock.later(emit(null), 3 * ms);
  }

  private readyKey(): string | null {
    const local = this.pendingLocal ?? this.currentLocal;
    const remote = this.pendingRemote ?? this.currentRemote;
    if (this.closed || !local || !remote || !this.options.link?.up) return null;
    if (!this.gathered.has(local.ufrag)) return null;
    // ICE checks need our credentials on the other side: a restart offer it never got cannot connect.
    if (![...this.options.link.members].some((pc) => pc !== this && pc.remoteUfrag() === local.ufrag)) return null;
    // Either we have the other side's candidates, or it has ours (it then reaches us as peer-reflexive).
    const peerHasOurs = [...this.options.link.members].some((pc) => pc !== this && pc.knowsCandidatesOf(local.ufrag));
    if (!this.candidatesByUfrag.get(remote.ufrag) && !peerHasOurs) return null;
    return `${local.ufrag}/${remote.ufrag}`;
  }

  checkConnectivity(): void {
    const key = this.readyKey();
    if (key === null || key === this.connectedKey) {
      // Same ICE session as before: a healed blip reconnects; a failed session stays failed.
      if (key !== null && this.connectionState === 'disconnected') this.setConnection('connected');
      return;
    }
    if (this.connectionState === 'connected') {
      this.connectedKey = key; // an ICE restart while connected switches over silently
      return;
    }
    if (this.connectionState !== 'connecting') this.setConnection('connecting');
    this.options.clock.later(() => {
      if (this.readyKey() !== key || this.connectionState === 'connected') return;
      this.connectedKey = key;
      this.setConnection('connected');
    }, this.options.connectMs ?? 5);
  }

  private setConnection(state: RTCPeerConnectionState): void {
    if (this.closed || this.connectionState === state) return;
    this.connectionState = state;
    this.iceConnectionState = state === 'connecting' ? 'checking' : (state);
    this.dispatch('iceconnectionstatechange');
    this.dispatch('connectionstatechange');
  }
}
