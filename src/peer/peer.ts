import {
  EMPTY,
  Subject,
  asapScheduler,
  asyncScheduler,
  concatMap,
  connect,
  defer,
  distinctUntilChanged,
  expand,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeMap,
  observeOn,
  of,
  scan,
  share,
  startWith,
  switchMap,
  tap,
  timer,
  type Observable,
} from 'rxjs';
import { saveAudioChoice, type AudioChoice } from '../rtc/audio-devices';
import type { AudioDevices } from '../rtc/call-audio';
import { sameJson } from '../json';
import type { CallMedia, IceOptions, Signal } from '../rtc/connection-types';
import { keepaliveDelay } from '../verto/backoff';
import type { VertoClient } from '../verto/client-types';
import { navHidden$ } from '../view/activity';
import type { CallAlert, PeerView } from '../view/ui-types';
import { callConnection$, type CallConnectionDeps, type CallKey } from './call-connection';
import { saveName, type NameStore } from './display-name';
import { decodePeerMessage } from './peer-message';
import { MEDIA_ON, initialState, localChoice, type Call, type LocalChoice, type Effect, type PeerEvent, type PeerState, type Step } from './peer-state';
import { nextDeadline, reduce } from './reduce';
import { callAlert, callDuration, controls, dialog, inCall, menuItems, remoteCameraOff, statusText } from './view-model';

/** `video`, `streamOf`: see CallConnectionDeps (the browser's by default). */
export interface PeerDeps extends IceOptions, Pick<CallConnectionDeps, 'video' | 'streamOf'> {
  readonly client: VertoClient;
  readonly view: PeerView;
  /** The media of one call (`callMedia$` in the page). */
  readonly callMedia: CallMedia;
  /** Our bare client id (for the glare tie-break and to ignore our own presence). */
  readonly selfId: string;
  /** The display name to start with (see `loadName`). */
  readonly name: string;
  readonly names: NameStore;
  /** A fresh callId (UUID v4 in the page: `crypto.randomUUID`). */
  readonly newCallId: () => string;
  /** In [0, 1): only for the keepalive jitter. */
  readonly random: () => number;
  /** Current time in ms; defaults to the RxJS scheduler clock so marble tests run in virtual time. */
  readonly now?: () => number;
  readonly log?: (message: string, detail?: unknown) => void;
  /** Ringing and hidden-tab attention for the call (src/view/ringer.ts, attention.ts); none when absent. */
  readonly alerts?: (alert$: Observable<CallAlert>) => Observable<unknown>;
  /** The microphone and speaker chosen in an earlier call (`loadAudioChoice`); kept in `names`' store. */
  readonly audio?: AudioChoice;
  /** navigator.mediaDevices: the microphone and speaker can be chosen mid-call; absent: not. */
  readonly mediaDevices?: AudioDevices;
}


/**
 * The media a call needs, keyed by callId: none while it only rings on our side. A call is first seen
 * here as `offering` (we placed it: polite) or `accepting` (impolite); later phases keep the same key.
 */
const callKey = (call: Call | null): CallKey | null =>
  call === null || call.phase === 'ringing' ? null : { callId: call.callId, peerId: call.peerId, polite: call.phase === 'offering' };

/**
 * When a state's texts are read (at `at`, then again): every second while waiting to reconnect (the
 * countdown), else on each whole second of a connected call (its duration); once otherwise.
 */
function rereads(s: PeerState, at: number): Observable<unknown> {
  if (s.client.kind === 'reconnecting') return timer(0, 1000);
  if (s.call?.phase !== 'connected') return of(0);
  const into = (((at - s.call.since) % 1000) + 1000) % 1000;
  return merge(of(0), timer(1000 - into, 1000));
}

/**
 * The Peer: presence, call control and one Connection at a time, as one stream. Subscribe once, at the edge;
 * unsubscribing leaves: an open call gets `close`, then the client disconnects (publishing `gone`).
 *
 * state = scan(reduce) over presence, peer messages, intents, client status, keepalive ticks, deadlines
 * and connection events; everything else is an effect of a state change.
 */
export function runPeer(deps: PeerDeps): Observable<never> {
  return defer(() => {
    const { client, view } = deps;
    const now = deps.now ?? (() => asyncScheduler.now());
    const log = deps.log ?? (() => undefined);
    const initial: Step = { state: initialState(deps.selfId, deps.name, deps.audio), effects: [] };
    let last = initial.state; // only for the leave at teardown, which must know the call being left
    // Events caused by our own effects (deadlines, connection); delivered asap so the reducer is never re-entered.
    const feedback = new Subject<PeerEvent>();

    const presence$ = client.presence$.pipe(map((p): PeerEvent => ({ kind: 'presence', from: p.from, status: p.status, ...(p.name !== undefined ? { name: p.name } : {}) })));
    // Decoded once (the only validation of remote signals), shared by the reducer and the current call's media.
    const decoded$ = client.peerMessages$.pipe(
      mergeMap((envelope) => {
        const decoded = decodePeerMessage(envelope.message);
        if (decoded.ok) return of({ from: envelope.from, message: decoded.message });
        log(`dropped a peer message from ${envelope.from}: ${decoded.error}`);
        return EMPTY;
      }),
      share(),
    );
    const messages$ = decoded$.pipe(map(({ from, message }): PeerEvent => ({ kind: 'message', from, message })));
    /** The other side's signals of this call, in arrival order, straight to its media. */
    const signalsOf = (key: CallKey): Observable<Signal> =>
      decoded$.pipe(mergeMap(({ from, message }) => (message.kind === 'signal' && from === key.peerId && message.callId === key.callId ? of(message.signal) : EMPTY)));
    const intents$ = view.intents$.pipe(
      map((intent): PeerEvent => (intent.kind === 'call' ? { kind: 'place-call', peerId: intent.peerId, callId: deps.newCallId() } : { kind: 'intent', intent })),
    );
    const status$ = client.status$.pipe(map((status): PeerEvent => ({ kind: 'client', status })));
    // Each keepalive starts the next random wait (expand is in the bundle anyway, repeat is not).
    const nextKeepalive = () => timer(keepaliveDelay(deps.random));
    const keepalive$ = defer(nextKeepalive).pipe(
      expand(nextKeepalive),
      map((): PeerEvent => ({ kind: 'keepalive' })),
    );

    const steps$ = merge(presence$, messages$, intents$, status$, keepalive$, feedback.pipe(observeOn(asapScheduler))).pipe(
      scan((step: Step, event: PeerEvent) => reduce(step.state, event, now()), initial),
      tap((step) => {
        last = step.state;
      }),
      share(),
    );
    const effects$ = steps$.pipe(concatMap((step) => step.effects));
    const state$ = steps$.pipe(
      map((step) => step.state),
      startWith(initial.state),
    );

    const execute = (effect: Effect): void => {
      switch (effect.kind) {
        case 'send':
          return client.send(effect.to, effect.message);
        case 'publish':
          return client.publishPresence(effect.presence);
        case 'save-name':
          return saveName(deps.names, effect.name);
        case 'save-audio':
          return saveAudioChoice(deps.names, effect.audio);
        case 'disconnect':
          return client.disconnect();
      }
    };
    const executed$ = effects$.pipe(tap(execute));

    // The status and the call's duration, re-read while they change by themselves (see `rereads`).
    const clocked$ = state$.pipe(
      switchMap((s) =>
        rereads(s, now()).pipe(
          map(() => now()),
          map((at) => ({ status: statusText(s, at), duration: callDuration(s, at) })),
        ),
      ),
      // connect: both texts see every reading, the first included (both subscribed before the state flows).
      connect((texts$) =>
        merge(
          // Each is set only when it changes: a ticking duration never rewrites the status (a live region).
          texts$.pipe(map((t) => t.status), distinctUntilChanged(), tap((text) => view.setStatus(text))),
          texts$.pipe(map((t) => t.duration), distinctUntilChanged(), tap((text) => view.setCallDuration(text))),
        ),
      ),
    );
    const render$ = merge(
      clocked$,
      state$.pipe(map((s) => s.selfViewHidden), distinctUntilChanged(), tap((hidden) => view.setSelfViewHidden(hidden))),
      state$.pipe(map(menuItems), distinctUntilChanged(sameJson), tap((items) => view.setMenu(items))),
      state$.pipe(map(dialog), distinctUntilChanged(sameJson), tap((d) => view.showDialog(d))),
      state$.pipe(map(controls), distinctUntilChanged(sameJson), tap((c) => view.setControls(c))),
      state$.pipe(map(remoteCameraOff), distinctUntilChanged(), tap((name) => view.setRemoteCameraOff(name))),
      navHidden$(state$.pipe(map(inCall)), view.activity$).pipe(tap((hidden) => view.setNavHidden(hidden))),
      // From placing or receiving a call to its end, signals are waited for: the client watches its socket closely.
      state$.pipe(
        map((s) => s.call !== null),
        distinctUntilChanged(),
        tap((busy) => client.setInCall(busy)),
      ),
      deps.alerts?.(state$.pipe(map(callAlert), distinctUntilChanged(sameJson))) ?? EMPTY,
    );

    /**
     * Whether this call's signals get through: our client online or not (now, then each change), and
     * `true` again when the other side re-subscribed — both are the moment to restart ICE in an outage.
     */
    const signallingOf = (key: CallKey, onlineNow: boolean): Observable<boolean> =>
      merge(
        steps$.pipe(
          map((step) => step.state.client.kind === 'online'),
          startWith(onlineNow),
          distinctUntilChanged(),
        ),
        client.presence$.pipe(mergeMap((p) => (p.from === key.peerId && p.status === 'ready' ? of(true) : EMPTY))),
      );
    const flagsOfState = (st: PeerState, key: CallKey): LocalChoice =>
      st.call?.callId === key.callId ? localChoice(st.call) : { ...MEDIA_ON, agreed: false };
    /** The person's microphone/camera choice for this call, current first (subscribed when its media is ready). */
    const flagsOf = (key: CallKey) =>
      defer(() => steps$.pipe(map((step) => step.state), startWith(last), map((st) => flagsOfState(st, key)), distinctUntilChanged(sameJson)));
    /** The person's microphone and speaker choice, current first. */
    const audioOf = defer(() => steps$.pipe(map((step) => step.state.audio), startWith(last.audio), distinctUntilChanged(sameJson)));
    // One call's media at a time: a new callId (or none) ends the previous one (switchMap).
    const connection$ = state$.pipe(
      distinctUntilChanged((a, b) => callKey(a.call)?.callId === callKey(b.call)?.callId),
      switchMap((s) => {
        const key = callKey(s.call);
        return key === null ? EMPTY : callConnection$({ ...key, mic: s.audio.mic, camera: s.audio.camera }, signalsOf(key), signallingOf(key, s.client.kind === 'online'), deps, flagsOf(key), audioOf);
      }),
    );
    // switchMap: only the earliest pending deadline matters. Every state re-arms it, even with the same
    // deadline: a timer that fired while the clock still read a little earlier (timer granularity, the
    // clock stepping back) expired nothing, and its `clock` state must arm the next try.
    const clock$ = state$.pipe(
      map(nextDeadline),
      switchMap((deadline) => (deadline === null ? EMPTY : timer(Math.max(0, deadline - now())))),
      map((): PeerEvent => ({ kind: 'clock' })),
    );
    const feedback$ = merge(connection$, clock$).pipe(tap((event) => feedback.next(event)));

    // The client learns our name before it connects, so its `ready` after subscribe carries it.
    const start$ = defer(() => {
      client.publishPresence({ status: 'available', name: deps.name });
      client.connect();
      return EMPTY;
    });

    return merge(executed$, render$, feedback$, start$).pipe(
      ignoreElements(),
      finalize(() => reduce(last, { kind: 'leave' }, now()).effects.forEach(execute)),
    );
  });
}
