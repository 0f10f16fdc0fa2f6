import {
  EMPTY,
  ReplaySubject,
  Subject,
  Subscription,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  first,
  distinctUntilChanged,
  from,
  ignoreElements,
  map,
  merge,
  of,
  take,
  tap,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import {
  RtcError,
  type Connection,
  type ConnectionOptions,
  type ConnectionState,
  type Signal,
} from './connection-types';
import { acquireLocalMedia, type MediaDevicesLike } from './local-media';
import { applyRemoteSignals, freshFlags, isSignal, makeOffers, type NegotiationEvent } from './negotiation';
import { peerPort, type PeerPort, type RemoteTrack } from './peer-port';
import { connectionStates, defaultRecoveryTiming, type RecoveryTiming } from './recovery';
import { consoleLog, type RtcLog } from './rtc-log';

/** The browser, as the Connection uses it; every field defaults to the real thing. */
export interface ConnectionDeps {
  readonly mediaDevices?: MediaDevicesLike | undefined;
  readonly createPort?: (config: RTCConfiguration) => PeerPort;
  /** Builds the remote stream when a track arrives without one. */
  readonly createStream?: () => MediaStream;
  readonly scheduler?: SchedulerLike;
  readonly log?: RtcLog;
  readonly timing?: RecoveryTiming;
}

const browserPort = (config: RTCConfiguration): PeerPort => peerPort(new RTCPeerConnection(config));

/**
 * The real Connection. Nothing happens until `initMedia()` or `open()`; one `close()` releases
 * everything. Subscribe to `signals$` before `open()` (it is not replayed).
 */
export function createConnection(options: ConnectionOptions, deps: ConnectionDeps = {}): Connection {
  const log = deps.log ?? consoleLog;
  const scheduler = deps.scheduler ?? asyncScheduler;
  const timing = deps.timing ?? defaultRecoveryTiming;
  const createPort = deps.createPort ?? browserPort;
  const createStream = deps.createStream ?? (() => new MediaStream());
  const mediaDevices = 'mediaDevices' in deps ? deps.mediaDevices : navigator.mediaDevices;

  // Private sinks, exposed read-only: the Connection is an imperative object at its edge.
  const local = new ReplaySubject<MediaStream>(1);
  const remote = new ReplaySubject<MediaStream>(1);
  // ReplaySubject, not BehaviorSubject: a late subscriber still sees 'closed' or 'failed' after the end.
  const state = new ReplaySubject<ConnectionState>(1);
  state.next('new');
  const signals = new Subject<Signal>();
  const incoming = new Subject<Signal>();
  const early: Signal[] = [];
  const owned = new Subscription();
  let localStream: MediaStream | undefined;
  let port: PeerPort | undefined;
  let mediaStarted = false;
  let opened = false;
  let closed = false;
  let role = 'unopened';

  const release = (): void => {
    closed = true;
    owned.unsubscribe(); // removes every listener, cancels timers and a pending getUserMedia
    for (const track of localStream?.getTracks() ?? []) track.stop();
    port?.close();
    early.length = 0;
    for (const s of [local, remote, signals, incoming]) s.complete();
  };

  const fail = (error: unknown): void => {
    if (closed) return;
    const rtcError = error instanceof RtcError ? error : new RtcError('negotiation', { cause: error });
    log('error', `${role}: connection failed (${rtcError.reason})`, rtcError.cause);
    state.next('failed');
    state.error(rtcError);
    release();
  };

  const onNegotiation = (e: NegotiationEvent): void => {
    switch (e.kind) {
      case 'send':
        signals.next(e.signal);
        return;
      case 'ignored-offer':
        log('debug', `${role}: ignored a colliding offer`);
        return;
      case 'candidate-held':
        log('debug', `${role}: remote candidate held until a remote description`);
        return;
      case 'candidate-ignored':
        log('debug', `${role}: candidate of an ignored offer did not apply`, e.error);
        return;
      case 'candidate-error':
        log('error', `${role}: remote candidate failed to apply`, e.error);
        return;
      case 'failed':
        throw e.error;
    }
  };

  /** Remote stream: the sender's stream, or one we build from the received tracks. */
  const remoteStreams = (tracks$: Observable<RemoteTrack>): Observable<MediaStream> => {
    let built: MediaStream | undefined;
    return tracks$.pipe(
      map(({ track, streams }) => {
        const [first] = streams;
        if (first !== undefined) return first;
        built ??= createStream();
        if (!built.getTracks().includes(track)) built.addTrack(track);
        return built;
      }),
      distinctUntilChanged(),
    );
  };

  const session = (p: PeerPort, polite: boolean): Observable<never> => {
    const flags = freshFlags();
    const negotiation$ = merge(
      p.negotiationNeeded$.pipe(makeOffers(p, flags)),
      concat(from(early.splice(0)), incoming).pipe(applyRemoteSignals(p, polite, flags)),
    ).pipe(tap(onNegotiation));
    const candidates$ = p.candidates$.pipe(tap((candidate) => signals.next({ kind: 'candidate', candidate })));
    // The impolite side's tracks start the first negotiation; the polite side adds its own when that
    // offer arrives, so they ride in its answer. Both offering at once made the polite side roll back an
    // offer still being set, after which Chromium gathered no candidates and the call never connected.
    const turn$: Observable<unknown> = polite ? p.signalingState$.pipe(first((s) => s === 'have-remote-offer')) : of(null);
    // Tracks go in when media is ready, now or later (a later addTrack renegotiates).
    const tracks$ = turn$.pipe(
      concatMap(() => local),
      take(1),
      tap((stream) => {
        for (const track of stream.getTracks()) p.addTrack(track, stream);
      }),
      catchError(() => EMPTY), // no media: we still receive; the Peer saw the media error on localStream$
    );
    const remote$ = remoteStreams(p.tracks$).pipe(tap((s) => remote.next(s)));
    const states$ = connectionStates(p.connectionState$, () => p.restartIce(), timing, scheduler).pipe(
      tap((s) => {
        if (s === 'reconnecting') log('info', `${role}: restarting ICE`);
        state.next(s);
      }),
    );
    const trace$ = merge(
      p.signalingState$.pipe(map((s) => `signaling ${s}`)),
      p.iceConnectionState$.pipe(map((s) => `ice ${s}`)),
      p.connectionState$.pipe(map((s) => `connection ${s}`)),
    ).pipe(tap((line) => log('debug', `${role}: ${line}`)));
    // Listeners first (negotiation, candidates), then tracks, so no event is missed.
    return merge(trace$, negotiation$, candidates$, remote$, states$, tracks$).pipe(ignoreElements());
  };

  return {
    localStream$: local.asObservable(),
    remoteStream$: remote.asObservable(),
    state$: state.asObservable(),
    signals$: signals.asObservable(),

    initMedia: () =>
      defer(() => {
        if (!mediaStarted && !closed) {
          mediaStarted = true;
          owned.add(
            acquireLocalMedia(mediaDevices).subscribe({
              next: (stream) => {
                localStream = stream;
                local.next(stream);
              },
              error: (error: unknown) => local.error(error),
            }),
          );
        }
        return local.pipe(take(1));
      }),

    open: (polite) => {
      if (opened || closed) {
        log('warn', `${role}: open() ignored, the connection is ${closed ? 'closed' : 'already open'}`);
        return;
      }
      opened = true;
      role = polite ? 'polite' : 'impolite';
      try {
        port = createPort({ iceServers: [...options.iceServers] });
      } catch (error: unknown) {
        fail(error); // e.g. a malformed ICE server URL
        return;
      }
      state.next('connecting');
      owned.add(session(port, polite).subscribe({ error: fail }));
    },

    receive: (signal) => {
      if (closed) {
        log('debug', `${role}: signal after close dropped`, signal);
      } else if (!isSignal(signal)) {
        log('debug', `${role}: malformed signal dropped`, signal);
      } else if (opened) {
        incoming.next(signal);
      } else {
        early.push(signal); // the other side may be quicker than our open()
      }
    },

    close: () => {
      if (closed) return;
      release();
      state.next('closed');
      state.complete();
    },
  };
}
