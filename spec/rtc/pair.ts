// Two Connections wired to each other through a virtual-time scheduler: the backbone of the
// negotiation tests. Each direction has its own delay per message, so signals can be delivered
// late, back to back, or out of order (the verto relay neither orders nor acknowledges).
import { VirtualAction, VirtualTimeScheduler, firstValueFrom, map, mergeMap, timer } from 'rxjs';
import { createConnection } from '../../src/rtc/connection';
import type { Connection, ConnectionState, Signal } from '../../src/rtc/connection-types';
import type { RecoveryTiming } from '../../src/rtc/recovery';
import type { RtcLogLevel } from '../../src/rtc/rtc-log';
import { FakeMediaDevices, FakeMediaStream, asStream, type FakeDevicesOptions } from './fake-media';
import { FakeLink, FakePeerConnection, type Clock } from './fake-peer-connection';
import { virtualPort } from './virtual-port';

export interface SideOptions {
  /** Devices to initialise media from before the test starts; `null`: no media at the start. */
  readonly media?: FakeDevicesOptions | null;
  /** Delay in ms of the n-th signal this side sends (default 10 ms each). */
  readonly delay?: (n: number, signal: Signal) => number;
  readonly noStreams?: boolean;
}

export interface Side {
  readonly connection: Connection;
  readonly devices: FakeMediaDevices;
  readonly pcs: FakePeerConnection[];
  /** The RTCPeerConnection, once open() created it. */
  pc(): FakePeerConnection;
  readonly states: [number, ConnectionState][];
  readonly sent: [number, Signal][];
  readonly logs: { t: number; level: RtcLogLevel; message: string }[];
  readonly remoteStreams: MediaStream[];
  error: unknown;
  completed: boolean;
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

  const side = async (o: SideOptions = {}): Promise<Side> => {
    const devices = new FakeMediaDevices(o.media ?? {});
    const pcs: FakePeerConnection[] = [];
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
      error: undefined,
      completed: false,
      connection: createConnection(
        { iceServers: [] },
        {
          mediaDevices: devices,
          createPort: (config) => {
            const pc = new FakePeerConnection(config, { clock, link, noStreams: o.noStreams });
            pcs.push(pc);
            return virtualPort(pc, scheduler, options.opMs ?? 1);
          },
          createStream: () => asStream(new FakeMediaStream()),
          scheduler,
          timing: options.timing,
          log: (level, message) => s.logs.push({ t: scheduler.now(), level, message }),
        },
      ),
    };
    s.connection.state$.subscribe({
      next: (state) => s.states.push([scheduler.now(), state]),
      error: (e: unknown) => (s.error = e),
      complete: () => (s.completed = true),
    });
    s.connection.remoteStream$.subscribe((r) => s.remoteStreams.push(r));
    if (o.media !== null) await firstValueFrom(s.connection.initMedia()).catch(() => undefined); // denial is a scenario too
    return s;
  };

  const a = await side(options.a);
  const b = await side(options.b);
  const wire = (from: Side, to: Side, delay: SideOptions['delay'] = () => 10) =>
    from.connection.signals$
      .pipe(
        mergeMap((signal, n) => {
          from.sent.push([scheduler.now(), signal]);
          return timer(delay(n, signal), scheduler).pipe(map(() => signal));
        }),
      )
      .subscribe((signal) => to.connection.receive(signal));
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

export const lastState = (s: Side): ConnectionState | undefined => s.states.at(-1)?.[1];
