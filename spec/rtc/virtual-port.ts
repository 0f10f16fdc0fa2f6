// The test port: the real port's events and plain methods, with the three asynchronous operations
// replaced by Observables that run on a virtual-time scheduler through an operations chain.
import { defer, finalize, map, timer, type Observable, type SchedulerLike } from 'rxjs';
import { peerPort, type PeerPort } from '../../src/rtc/peer-port';
import type { FakePeerConnection } from './fake-peer-connection';

export function virtualPort(pc: FakePeerConnection, scheduler: SchedulerLike, opMs = 1): PeerPort {
  const base = peerPort(pc as unknown as RTCPeerConnection);
  let busyUntil = 0;
  // Like the browser's operations chain: each operation starts when the previous one has finished.
  const op = <T>(work: () => T): Observable<T> =>
    defer(() => {
      busyUntil = Math.max(scheduler.now(), busyUntil) + opMs;
      pc.beginOp();
      return timer(busyUntil - scheduler.now(), scheduler).pipe(
        map(work),
        finalize(() => pc.endOp()),
      );
    });
  return {
    ...base,
    setRemote: (d) => op(() => pc.setRemoteNow(d)),
    setLocal: () =>
      op(() => {
        pc.setLocalNow();
        return pc.localJson();
      }),
    addCandidate: (c) => op(() => pc.addCandidateNow(c)),
  };
}
