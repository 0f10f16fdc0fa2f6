// Two calls' media wired to each other through a virtual-time scheduler: the backbone of the
// negotiation tests. Each direction has its own delay per message, so signals can be delivered
// late, back to back, or out of order (the verto relay neither orders nor acknowledges).
import { BehaviorSubject, EMPTY, ReplaySubject, Subject, VirtualAction, VirtualTimeScheduler, firstValueFrom, map, mergeMap, of, throwError, timer, type Observable, type Subscription } from 'rxjs';
import { callMedia$ } from '../../src/rtc/call-media';
import type { ConnectionState, Signal } from '../../src/rtc/connection-types';
import { acquireLocalMedia } from '../../src/rtc/local-media';
import type { RecoveryTiming } from '../../src/rtc/recovery';
import type { RtcLogLevel } from '../../src/rtc/rtc-log';
import { FakeMediaDevices, FakeMediaStream, asStream, type FakeDevicesOptions } from './fake-media';
import { FakeLink, FakePeerConnection, type Clock } from './fake-peer-connection';
import { virtualPort } from './virtual-port';

export interface SideOptions {
  /** Devices to take media from before the test starts; `null`: no media until `giveMedia()`. */
  readonly media?: FakeDevicesOptions | null;
  /** Delay in ms of the n-th signal this side sends (default 10 ms each). */
  readonly delay?: (n: number, signal: Signal) => number;
  readonly noStreams?: boolean;
}

/** How the test drives one side: the Peer's part (subscribe, route signals in, unsubscribe). */
export interface SideControl {
  /** Subscribes the call's media with this role. */
  open(polite: boolean): void;
  /** Delivers one signal to this side, as the Peer routes the call's signals. */
  receive(signal: Signal): void;
  /** Unsubscribes: the call ends on this side. */
  close(): void;
  /** Local media that was pending arrives now (a permission prompt answered late). */
  giveMedia(): Promise<void>;
}

/** What a side observed: its states, then 'failed' (the stream's error) or 'closed' (we unsubscribed). */
export type Outcome = ConnectionState | 'failed' | 'closed';

export interface Side {
  readonly connection: SideControl;
  readonly devices: FakeMediaDevices;
  readonly pcs: FakePeerConnection[];
  /** The RTCPeerConnection, once open() created it. */
  pc(): FakePeerConnection;
  readonly states: [number, Outcome][];
  readonly sent: [number, Signal][];
  readonly logs: { t: number; level: RtcLogLevel; message: string }[];
  readonly remoteStreams: MediaStream[];
  /** Whether this side's signalling is up (its signallingUp$); signals to or from a side that is down are lost. */
  readonly signalling: BehaviorSubject<boolean>;
  /** Signals it sent that were lost (its or the receiver's signalling down, or no network). */
  readonly lost: [number, Signal][];
  error: unknown;
}

export interface Pair {
  readonly scheduler: VirtualTimeScheduler;
  readonly link: FakeLink;
  readonly a: Side;
  readonly b: Side;
  /** Runs `fn` at virtual time `t`. */
  at(t: number, fn: () => void): void;
  /** Runs virtual time until nothing is left to do. */
  run(): void;
  /**
   * This side's signalling goes down or comes back. Back: the other side hears it too (as the Peer
   * hears the other page's `ready` when it re-subscribed).
   */
  setSignalling(s: Side, up: boolean): void;
  /**
   * The whole network goes away or comes back: ICE's link, and every signal on the way (the sides'
   * sockets are dead, but until `setSignalling` they do not know it).
   */
  setNetwork(up: boolean): void;
}

export interface PairOptions {
  readonly a?: SideOptions;
  readonly b?: SideOptions;
  readonly opMs?: number;
  readonly timing?: RecoveryTiming;
}

export async function makePair(options: PairOptions = {}): Promise<Pair> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const link = new FakeLink();
  const clock: Clock = {
    later: (fn, ms) => {
      scheduler.schedule(fn, ms);
    },
  };
  const outgoing = new Map<Side, Subject<Signal>>();
  let network = true;

  const side = async (o: SideOptions = {}): Promise<Side> => {
    const devices = new FakeMediaDevices(o.media ?? {});
    // getUserMedia is a Promise: it is answered before virtual time runs, or on `giveMedia()`.
    const media = new ReplaySubject<Observable<MediaStream>>(1);
    const answer = async () => {
      const got = await firstValueFrom(acquireLocalMedia(devices)).then(
        (stream) => of(stream),
        (error: unknown) => throwError(() => error),
      );
      media.next(got);
    };
    if (o.media !== null) await answer();
    // Everything sent to this side, replayed to it when it opens (a side that opens late has missed nothing).
    const inbox = new ReplaySubject<Signal>(Infinity);
    const out = new Subject<Signal>();
    const pcs: FakePeerConnection[] = [];
    let subscription: Subscription | undefined;
    const s: Side = {
      devices,
      pcs,
      pc: () => {
        const pc = pcs[0];
        if (pc === undefined) throw new Error('not open');
        return pc;
      },
      states: [],
      sent: [],
      logs: [],
      remoteStreams: [],
      signalling: new BehaviorSubject(true),
      lost: [],
      error: undefined,
      connection: {
        open: (polite) => {
          subscription = callMedia$({ polite, iceServers: [] }, inbox, s.signalling, {
            localMedia: () => media.pipe(mergeMap((m) => m)),
            createPort: (config) => {
              const pc = new FakePeerConnection(config, { clock, link, noStreams: o.noStreams });
              pcs.push(pc);
              return virtualPort(pc, scheduler, options.opMs ?? 1);
            },
            createStream: () => asStream(new FakeMediaStream()),
            scheduler,
            timing: options.timing,
            log: (level, message) => s.logs.push({ t: scheduler.now(), level, message }),
          }).subscribe({
            next: (e) => {
              if (e.kind === 'state') s.states.push([scheduler.now(), e.state]);
              else if (e.kind === 'remote') s.remoteStreams.push(e.stream);
              else if (e.kind === 'signal') out.next(e.signal);
            },
            error: (e: unknown) => {
              s.error = e;
              s.states.push([scheduler.now(), 'failed']);
            },
          });
        },
        receive: (signal) => inbox.next(signal),
        close: () => {
          subscription?.unsubscribe();
          s.states.push([scheduler.now(), 'closed']);
        },
        giveMedia: answer,
      },
    };
    outgoing.set(s, out);
    return s;
  };

  const a = await side(options.a);
  const b = await side(options.b);
  const wire = (from: Side, to: Side, delay: SideOptions['delay'] = () => 10) =>
    outgoing
      .get(from)!
      .pipe(
        mergeMap((signal, n) => {
          from.sent.push([scheduler.now(), signal]);
          // Lost when the sender's socket is dead as it sends, or the receiver's as it arrives.
          if (!network || !from.signalling.value) {
            from.lost.push([scheduler.now(), signal]);
            return EMPTY;
          }
          return timer(delay(n, signal), scheduler).pipe(map(() => signal));
        }),
      )
      .subscribe((signal) => {
        if (network && to.signalling.value) to.connection.receive(signal);
        else from.lost.push([scheduler.now(), signal]);
      });
  wire(a, b, options.a?.delay);
  wire(b, a, options.b?.delay);

  return {
    scheduler,
    link,
    a,
    b,
    at: (t, fn) => {
      scheduler.schedule(fn, t - scheduler.now());
    },
    run: () => scheduler.flush(),
    setSignalling: (s, up) => {
      s.signalling.next(up);
      const other = s === a ? b : a;
      if (up && other.signalling.value) other.signalling.next(true);
    },
    setNetwork: (up) => {
      network = up;
      link.setUp(up);
    },
  };
}

/** The kinds of the descriptions a side sent, e.g. ['offer', 'answer']. */
export const descriptionsSent = (s: Side): string[] =>
  s.sent.flatMap(([, signal]) => (signal.kind === 'description' ? [signal.description.type ?? '?'] : []));

/** Both sides agree on one session: each one's current local description is the other's current remote one. */
export function agreed(p: Pair): boolean {
  const a = p.a.pc();
  const b = p.b.pc();
  return (
    a.signalingState === 'stable' &&
    b.signalingState === 'stable' &&
    a.currentLocalDescription?.sdp === b.currentRemoteDescription?.sdp &&
    b.currentLocalDescription?.sdp === a.currentRemoteDescription?.sdp
  );
}

export const lastState = (s: Side): Outcome | undefined => s.states.at(-1)?.[1];
