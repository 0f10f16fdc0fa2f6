import { defer, map, type Observable } from 'rxjs';
import { fromEvent } from '../dom-event';

/**
 * The RTCPeerConnection as our negotiation code sees it. Every browser Promise becomes an Observable
 * here, once, so negotiation can run in virtual time against a test port (virtual time cannot drive awaited Promises).
 */
export interface PeerPort {
  signalingState(): RTCSignalingState;
  /** The remote description in force (pending or current), as plain JSON. */
  remoteDescription(): RTCSessionDescriptionInit | null;
  /** Our description in force (pending or current), as plain JSON: a pending offer can be sent again. */
  localDescription(): RTCSessionDescriptionInit | null;
  setRemote(description: RTCSessionDescriptionInit): Observable<void>;
  /** Argument-free setLocalDescription (creates the offer or answer, rolls back implicitly); emits the result. */
  setLocal(): Observable<RTCSessionDescriptionInit>;
  /** `null` means end of candidates. */
  addCandidate(candidate: RTCIceCandidateInit | null): Observable<void>;
  addTrack(track: MediaStreamTrack, stream: MediaStream): void;
  /**
   * Puts `track` (`null`: nothing, the sender goes quiet) on the sender of that kind, with no
   * renegotiation: camera off and on, screen sharing, a device switch. Errors if the call has no such sender.
   */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Observable<void>;
  restartIce(): void;
  close(): void;
  /** One getStats() reading, as the report's entries (src/rtc/call-stats.ts reads them). */
  readonly stats?: () => Observable<Iterable<unknown>>;
  /**
   * Our video sender's encodings off (`false`: nothing queued or sent while media cannot get through)
   * or on, starting over with a keyframe (src/rtc/call-media.ts, around an interruption).
   */
  readonly setVideoActive?: (active: boolean) => Observable<void>;
  /** Our gathered candidates, `null` at the end of gathering. */
  readonly candidates$: Observable<RTCIceCandidateInit | null>;
  readonly negotiationNeeded$: Observable<unknown>;
  readonly tracks$: Observable<RemoteTrack>;
  readonly connectionState$: Observable<RTCPeerConnectionState>;
  readonly iceConnectionState$: Observable<RTCIceConnectionState>;
  readonly signalingState$: Observable<RTCSignalingState>;
}

export interface RemoteTrack {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
}

const plain = (d: RTCSessionDescription | null): RTCSessionDescriptionInit | null => (d === null ? null : { type: d.type, sdp: d.sdp });

/** Wraps a real (or API-faithful fake) RTCPeerConnection. Event streams are lazy: listeners exist only while subscribed. */
export function peerPort(pc: RTCPeerConnection): PeerPort {
  return {
    signalingState: () => pc.signalingState,
    remoteDescription: () => plain(pc.remoteDescription),
    localDescription: () => plain(pc.localDescription),
    setRemote: (description) => defer(() => pc.setRemoteDescription(description)),
    setLocal: () =>
      defer(async () => {
        await pc.setLocalDescription();
        const d = pc.localDescription;
        if (d === null) throw new Error('setLocalDescription left no local description');
        return { type: d.type, sdp: d.sdp };
      }),
    addCandidate: (candidate) => defer(() => pc.addIceCandidate(candidate)),
    addTrack: (track, stream) => {
      pc.addTrack(track, stream);
    },
    // Found by the receiver's kind, which stays fixed while the sender's track comes and goes.
    replaceTrack: (kind, track) =>
      defer(async () => {
        const transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
        if (transceiver === undefined) throw new Error(`this call has no ${kind} sender`);
        await transceiver.sender.replaceTrack(track);
      }),
    restartIce: () => pc.restartIce(),
    // Only where the connection can report (the test fakes cannot; then there is nothing to poll).
    ...(typeof pc.getStats === 'function' ? { stats: () => defer(async () => (await pc.getStats()).values()) } : {}),
    // Encodings on again after being off make the encoder start over with a keyframe (there is no API to
    // ask for one outside encoded transforms), so `true` while already on turns them off first.
    ...(typeof pc.getTransceivers === 'function'
      ? {
          setVideoActive: (active: boolean) =>
            defer(async () => {
              // Found by the receiver's kind, as in replaceTrack: a camera turned off (no track) meanwhile must still come back on.
              const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && t.currentDirection !== 'stopped')?.sender;
              if (sender === undefined) return;
              const on = sender.getParameters().encodings.every((e) => e.active !== false);
              for (const value of active && on ? [false, true] : [active]) {
                const parameters = sender.getParameters();
                if (parameters.encodings.length === 0) return;
                for (const encoding of parameters.encodings) encoding.active = value;
                await sender.setParameters(parameters);
              }
            }),
        }
      : {}),
    close: () => pc.close(),
    candidates$: fromEvent(pc, 'icecandidate').pipe(
      map((e) => {
        const c = (e as RTCPeerConnectionIceEvent).candidate;
        return c === null ? null : c.toJSON();
      }),
    ),
    negotiationNeeded$: fromEvent(pc, 'negotiationneeded'),
    tracks$: fromEvent(pc, 'track').pipe(
      map((e) => {
        const t = e as RTCTrackEvent;
        return { track: t.track, streams: t.streams };
      }),
    ),
    connectionState$: fromEvent(pc, 'connectionstatechange').pipe(map(() => pc.connectionState)),
    iceConnectionState$: fromEvent(pc, 'iceconnectionstatechange').pipe(map(() => pc.iceConnectionState)),
    signalingState$: fromEvent(pc, 'signalingstatechange').pipe(map(() => pc.signalingState)),
  };
}
