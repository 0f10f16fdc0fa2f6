// The call's media with a port that reports getStats, in virtual time (1 frame = 1 ms, the real rules:
// silent 1.5 s, polled every 0.5 s): packets that stop while the pc still says connected turn the call
// `reconnecting` within 2 s, and `connected` again at the first reading with packets.
import { NEVER, of, tap, throwError } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callMedia$ } from '../../src/rtc/call-media';
import type { CallMediaEvent } from '../../src/rtc/connection-types';
import { FakeMediaStream, FakeTrack, asStream } from './fake-media';
import { quietPort } from './quiet-port';

/** A report whose inbound counters are `n` (packets, frames) and whose round trip is `rtt` s. */
const report = (n: number, rtt = 0.02): unknown[] => [
  { id: 'iv', type: 'inbound-rtp', kind: 'video', packetsReceived: n, framesDecoded: n, packetsLost: 0 },
  { id: 'cp', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rtt },
];

const describeEvent = (e: CallMediaEvent): string => (e.kind === 'state' ? e.state : e.kind === 'quality' ? `quality ${e.poor ?? 'good'}` : e.kind);

describe('call media: getStats folded into the call', () => {
  it('no packets for 1.5 s while connected: reconnecting; packets again: connected; a long round trip: poor (high delay)', marbles((m) => {
    const stream = asStream(new FakeMediaStream([new FakeTrack('video')]));
    // Packets advance until 3 s, stand still until 6 s, then flow again; from 7 s the round trip is 450 ms.
    const counts = (t: number): number => (t < 3_000 ? t : t < 6_000 ? 3_000 : t);
    const port = quietPort({
      connectionState$: m.hot<RTCPeerConnectionState>('10ms c', { c: 'connected' }),
      stats: () => of(report(counts(m.scheduler.now()), m.scheduler.now() >= 7_000 ? 0.45 : 0.02)),
    });
    const seen: [number, string][] = [];
    const sub = callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, {
      localMedia: () => of(stream), createPort: () => port, scheduler: m.scheduler, log: () => undefined,
    }).subscribe({ next: (e) => seen.push([m.scheduler.now(), describeEvent(e)]), error: (e: unknown) => seen.push([m.scheduler.now(), String(e)]) });
    m.scheduler.schedule(() => sub.unsubscribe(), 8_000);
    m.flush();
    expect(seen).toEqual([
      [0, 'connecting'],
      [0, 'local'],
      [10, 'connected'],
      [10, 'verification'], // words of no certificates: unavailable (spec/rtc/call-verification.test.ts)
      [10, 'quality good'],
      [4_510, 'reconnecting'], // last packets at the 3 010 reading: 1.5 s later, 1.5 s after the picture froze
      [6_010, 'connected'],
      [7_510, 'quality high-delay'], // the second reading in a row above 400 ms (call-stats hysteresis)
    ]);
  }));

  it('our video is off while media is interrupted and on again (from a keyframe) once it is back: packets again, or connected after disconnected', marbles((m) => {
    const stream = asStream(new FakeMediaStream([new FakeTrack('video')]));
    const counts = (t: number): number => (t < 3_000 ? t : t < 6_000 ? 3_000 : t);
    const video: [number, boolean][] = [];
    const port = quietPort({
      connectionState$: m.hot<RTCPeerConnectionState>('10ms c 4989ms d 3999ms c', { c: 'connected', d: 'disconnected' }),
      stats: () => of(report(counts(m.scheduler.now()))),
      setVideoActive: (active) => of(undefined).pipe(tap(() => video.push([m.scheduler.now(), active]))),
      restartIce: () => restarts.push(m.scheduler.now()),
    });
    const restarts: number[] = [];
    const sub = callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, {
      localMedia: () => of(stream), createPort: () => port, scheduler: m.scheduler, log: () => undefined,
    }).subscribe();
    m.scheduler.schedule(() => sub.unsubscribe(), 10_000);
    m.flush();
    expect(video).toEqual([
      [4_510, false], // interrupted: 1.5 s after the last packets
      [6_010, true], // the first reading with packets again
      [9_000, true], // connected after disconnected (on again while on means a keyframe)
    ]);
    // In the outage (disconnected at 5 s): media flowing again restarts ICE at once, then the 2 s timer's restart.
    expect(restarts).toEqual([6_010, 7_000]);
  }));

  it('a failed switch of our video is logged and the call goes on', marbles((m) => {
    const stream = asStream(new FakeMediaStream([new FakeTrack('video')]));
    const counts = (t: number): number => (t < 3_000 ? t : t < 6_000 ? 3_000 : t);
    const port = quietPort({
      connectionState$: m.hot<RTCPeerConnectionState>('10ms c', { c: 'connected' }),
      stats: () => of(report(counts(m.scheduler.now()))),
      setVideoActive: () => throwError(() => new Error('InvalidModificationError')),
    });
    const logs: string[] = [];
    const states: string[] = [];
    const sub = callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, {
      localMedia: () => of(stream), createPort: () => port, scheduler: m.scheduler, log: (level, message) => logs.push(`${level} ${message}`),
    }).subscribe({ next: (e) => e.kind === 'state' && states.push(e.state) });
    m.scheduler.schedule(() => sub.unsubscribe(), 7_000);
    m.flush();
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual(['warn impolite: could not turn our video off', 'warn impolite: could not turn our video on']);
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  }));
});
