// The recovery policy in virtual time (1 frame = 1 ms; timings scaled down to 3 ms and 7 ms).
import { marbles } from 'rxjs-marbles/jest';
import { RtcError } from '../../src/rtc/connection-types';
import { connectionStates } from '../../src/rtc/recovery';

const timing = { disconnectedMs: 3, restartMs: 7 };
const states = { n: 'new', g: 'connecting', c: 'connected', d: 'disconnected', f: 'failed' } as const;
const out = { c: 'connected', r: 'reconnecting' } as const;

// prettier-ignore
describe('connectionStates', () => {
  it('a short blip changes nothing and restarts nothing', marbles((m) => {
    const restarts: number[] = [];
    const pc$ = m.hot<RTCPeerConnectionState>('gc-d-c----', states);
    const unsub = '                            ^---------!';
    const expected = '                         -c--------';
    m.expect(connectionStates(pc$, () => restarts.push(m.scheduler.now()), timing, m.scheduler), unsub).toBeObservable(expected, out);
    m.flush();
    expect(restarts).toEqual([]);
  }));

  it('disconnected past the bound: restart, reconnecting, then connected again', marbles((m) => {
    const restarts: number[] = [];
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d-----gc----', states);
    const unsub = '                            ^--------------!';
    const expected = '                         -c----r---c----';
    m.expect(connectionStates(pc$, () => restarts.push(m.scheduler.now()), timing, m.scheduler), unsub).toBeObservable(expected, out);
    m.flush();
    expect(restarts).toEqual([6]);
  }));

  it('failed: restart at once; no connected within the bound: ice-failed', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-f--f---', states);
    const expected = '                         -c-r------ #';
    m.expect(connectionStates(pc$, () => undefined, timing, m.scheduler)).toBeObservable(
      expected.replace(' ', ''), out, new RtcError('ice-failed'),
    );
  }));

  it('a second episode after recovery restarts again', marbles((m) => {
    const restarts: number[] = [];
    const pc$ = m.hot<RTCPeerConnectionState>('cf-c-f-c-', states);
    const unsub = '                            ^--------!';
    const expected = '                         cr-c-r-c-';
    m.expect(connectionStates(pc$, () => restarts.push(m.scheduler.now()), timing, m.scheduler), unsub).toBeObservable(expected, out);
    m.flush();
    expect(restarts).toEqual([1, 5]);
  }));
});
