import {
  EMPTY,
  Observable,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  filter,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  share,
  shareReplay,
  switchMap,
  take,
  tap,
  throwError,
} from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { RtcError, type CallMediaEvent, type CallMediaOptions, type Signal } from './connection-types';
import { acquireLocalMedia } from './local-media';
import { applyRemoteSignals, freshFlags, makeOffers, type NegotiationEvent } from './negotiation';
import { peerPort, type PeerPort, type RemoteTrack } from './peer-port';
import { callVerdicts$, withInterruption } from './call-stats';
import { verificationWords$ } from './call-verification';
import { connectionStates, defaultRecoveryTiming, mediaBack, type RecoveryStep, type RecoveryTiming } from './recovery';
import { consoleLog, type RtcLog } from './rtc-log';
import { holding, stopAll } from './user-media';

/** The browser, as the call's media uses it; every field defaults to the real thing. */
export interface CallMediaDeps {
  /** Camera and microphone, emitted once; the call stops the tracks when it ends. */
  readonly localMedia?: () => Observable<MediaStream>;
  readonly createPort?: (config: RTCConfiguration) => PeerPort;
  /** Builds the remote stream when a track arrives without one. */
  readonly createStream?: () => MediaStream;
  readonly scheduler?: SchedulerLike;
  readonly log?: RtcLog;
  readonly timing?: RecoveryTiming;
}

const browserPort = (config: RTCConfiguration): PeerPort => peerPort(new RTCPeerConnection(config));


/** Remote stream: the sender's stream, or one we build from the received tracks. */
function remoteStreams(tracks$: Observable<RemoteTrack>, createStream: () => MediaStream): Observable<MediaStream> {
  return defer(() => {
    let built: MediaStream | undefined;
    return tracks$.pipe(
      map(({ track, streams }) => {
        const [sent] = streams;
        if (sent !== undefined) return sent;
        built ??= createStream();
        if (!built.getTracks().includes(track)) built.addTrack(track);
        return built;
      }),
      distinctUntilChanged(),
    );
  });
}

/**
 * The media of one call as one stream (see `CallMedia`): local media, an RTCPeerConnection behind a
 * port, perfect negotiation over `remoteSignals$`, ICE recovery. Everything lives in the subscription.
 *
 * @example
 *   callMedia$({ polite: true, iceServers }, signalsOfThisCall$, online$).pipe(tap(show)) // unsubscribe = hang up
 */
export function callMedia$(
  options: CallMediaOptions,
  remoteSignals$: Observable<Signal>,
  signallingUp$: Observable<boolean>,
  deps: CallMediaDeps = {},
): Observable<CallMediaEvent> {
  const { polite } = options;
  const role = polite ? 'polite' : 'impolite';
  const log = deps.log ?? consoleLog;
  const scheduler = deps.scheduler ?? asyncScheduler;
  const timing = deps.timing ?? defaultRecoveryTiming;
  const createPort = deps.createPort ?? browserPort;
  const createStream = deps.createStream ?? (() => new MediaStream());
  const localMedia = deps.localMedia ?? (() => acquireLocalMedia(navigator.mediaDevices, options.mic, options.camera));

  const onNegotiation = (e: NegotiationEvent): Observable<CallMediaEvent> => {
    switch (e.kind) {
      case 'send':
        return of({ kind: 'signal', signal: e.signal });
      case 'ignored-offer':
        log('debug', `${role}: ignored a colliding offer`);
        return EMPTY;
      case 'ignored-answer':
        log('debug', `${role}: ignored an answer without an offer of ours (sent twice, or stale)`);
        return EMPTY;
      case 'candidate-held':
        log('debug', `${role}: remote candidate held until a remote description`);
        return EMPTY;
      case 'candidate-ignored':
        log('debug', `${role}: candidate of an ignored offer did not apply`, e.error);
        return EMPTY;
      case 'candidate-error':
        log('error', `${role}: remote candidate failed to apply`, e.error);
        return EMPTY;
      case 'failed':
        return throwError(() => e.error);
    }
  };

  const session = (port: PeerPort): Observable<CallMediaEvent> => {
    const flags = freshFlags();
    const negotiation$ = merge(
      port.negotiationNeeded$.pipe(makeOffers(port, flags)),
      remoteSignals$.pipe(applyRemoteSignals(port, polite, flags)),
    ).pipe(mergeMap(onNegotiation));
    const candidates$ = port.candidates$.pipe(map((candidate): CallMediaEvent => ({ kind: 'signal', signal: { kind: 'candidate', candidate } })));
    // The impolite side's tracks start the first negotiation; the polite side adds its own once that
    // offer has arrived, so they ride in its answer. Both offering at once made the polite side roll back
    // an offer still being set, after which Chromium gathered no candidates and the call never connected.
    const turn$ = defer(() =>
      polite && port.remoteDescription() === null ? port.signalingState$.pipe(filter((s) => s === 'have-remote-offer'), take(1)) : of(null),
    );
    // Tracks go in when media is ready, now or later (a later addTrack renegotiates); stopped at teardown.
    // A track replaced before then waits for them (the polite side adds its own at the first offer).
    const media$ = defer(localMedia).pipe(
      take(1),
      switchMap((stream) => holding(() => stream, stopAll)),
      switchMap((stream) => {
        const added$ = turn$.pipe(
          tap(() => {
            for (const track of stream.getTracks()) port.addTrack(track, stream);
          }),
          shareReplay({ bufferSize: 1, refCount: true }),
        );
        const replaceTrack = (kind: 'audio' | 'video', track: MediaStreamTrack | null): Observable<void> => added$.pipe(concatMap(() => port.replaceTrack(kind, track)));
        return merge(of<CallMediaEvent>({ kind: 'local', stream, replaceTrack }), added$.pipe(ignoreElements()));
      }),
    );
    const remote$ = remoteStreams(port.tracks$, createStream).pipe(map((stream): CallMediaEvent => ({ kind: 'remote', stream })));
    // Our offer still waiting for its answer, sent again (the other side answers it again; a copy it
    // already answered comes back as an answer we ignore).
    const pendingOffer$ = defer((): Observable<CallMediaEvent> => {
      const pending = port.localDescription();
      if (port.signalingState() !== 'have-local-offer' || pending?.type !== 'offer') return EMPTY;
      log('info', `${role}: sending the pending offer again`);
      return of({ kind: 'signal', signal: { kind: 'description', description: pending } });
    });
    // A restart in stable makes a new offer (negotiationneeded); one already pending (its offer or the
    // answer may have been lost with the socket) is sent again; answering their offer just now: that answer is the restart.
    const restart$ = defer((): Observable<CallMediaEvent> => {
      if (port.signalingState() !== 'stable') return pendingOffer$;
      log('info', `${role}: restarting ICE`);
      port.restartIce();
      return EMPTY;
    });
    // Readings start once connected (the silence of setup is no interruption) and end with the call.
    const readStats = port.stats;
    const verdicts$ =
      readStats === undefined ? EMPTY : port.connectionState$.pipe(filter((s) => s === 'connected'), take(1), switchMap(() => callVerdicts$(readStats, scheduler)), share());
    const steps$ = concat(
      of<RecoveryStep>({ kind: 'state', state: 'connecting' }),
      connectionStates(port.connectionState$, signallingUp$, timing, scheduler, verdicts$.pipe(map((v) => v.flowing)), polite),
    ).pipe(share());
    // While media is interrupted our video is off: nothing gets through, and what the sender would queue
    // meanwhile goes out first after the restore, ahead of any keyframe (the picture came back ~1 s late
    // after an 8 s blackout). When media is back it is on again, starting with a keyframe, so the other
    // side's picture need not wait for its own keyframe request (src/rtc/recovery.ts mediaBack).
    const setVideoActive = port.setVideoActive;
    const video$ =
      setVideoActive === undefined
        ? EMPTY
        : merge(
            verdicts$.pipe(
              map((v) => v.flowing),
              distinctUntilChanged(),
              filter((flowing) => !flowing),
            ),
            mediaBack(port.connectionState$, verdicts$.pipe(map((v) => v.flowing))).pipe(map(() => true)),
          ).pipe(
            // concatMap: off and on in the order they were asked for.
            concatMap((active) =>
              setVideoActive(active).pipe(
                tap(() => log('debug', `${role}: media ${active ? 'back: video on, from a keyframe' : 'interrupted: video off'}`)),
                catchError((error: unknown) => {
                  log('warn', `${role}: could not turn our video ${active ? 'on' : 'off'}`, error);
                  return EMPTY;
                }),
              ),
            ),
            ignoreElements(),
          );
    // Subscribed first: the shared steps' synchronous `connecting` must reach the state stream.
    const states$ = merge(
      withInterruption(
        steps$.pipe(mergeMap((step) => (step.kind === 'state' ? of(step.state) : EMPTY))),
        verdicts$.pipe(map((v) => v.flowing)),
      ).pipe(map((state): CallMediaEvent => ({ kind: 'state', state }))),
      steps$.pipe(concatMap((step) => (step.kind === 'restart' ? restart$ : step.kind === 'resend' ? pendingOffer$ : EMPTY))),
      video$,
      verdicts$.pipe(
        map((v) => v.poor),
        distinctUntilChanged(),
        map((poor): CallMediaEvent => ({ kind: 'quality', poor })),
      ),
    );
    const trace$ = merge(
      port.signalingState$.pipe(map((s) => `signaling ${s}`)),
      port.iceConnectionState$.pipe(map((s) => `ice ${s}`)),
      port.connectionState$.pipe(map((s) => `connection ${s}`)),
    ).pipe(
      tap((line) => log('debug', `${role}: ${line}`)),
      ignoreElements(),
    );
    const verification$ = verificationWords$(port.connectionState$, readStats).pipe(map((words): CallMediaEvent => ({ kind: 'verification', words })));
    // Listeners first (negotiation, candidates), then media, so no event of the port is missed.
    return merge(trace$, states$, verification$, negotiation$, candidates$, remote$, media$);
  };

  return holding(() => createPort({ iceServers: [...options.iceServers], iceTransportPolicy: options.iceTransportPolicy ?? 'all' }), (port) => port.close()).pipe(
    switchMap(session),
    catchError((error: unknown) => {
      const failure = error instanceof RtcError ? error : new RtcError('negotiation', { cause: error });
      const media = failure.reason === 'media-denied' || failure.reason === 'no-device';
      log(media ? 'info' : 'error', `${role}: call media failed (${failure.reason})`, failure.cause);
      return throwError(() => failure);
    }),
  );
}
